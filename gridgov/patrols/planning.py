"""Every change to a patrol plan and its checkpoints, made by the community's staff (the grid
worker walks the plan; the staff draw it up). Each change is one function here, audited.

A checkpoint that has been checked in at is kept (its check-ins point to it): it can be moved
or changed, not removed; end the plan and draw up a new one to drop it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from gridgov.accounts.choices import Role
from gridgov.accounts.models import Membership
from gridgov.audit.log import record
from gridgov.geo.choices import AreaKind
from gridgov.geo.geometry import GeometryProblem, geometry_from_geojson
from gridgov.geo.models import Area
from gridgov.lifecycle import IllegalMove, NotAllowed
from gridgov.patrols.access import may_plan
from gridgov.patrols.choices import CheckpointKind
from gridgov.patrols.models import CheckIn, Checkpoint, PatrolPlan
from gridgov.registry.models import Unit

MAX_ROUNDS_PER_DAY = 6
MAX_RADIUS_M = 500
# A checkpoint may lie just outside the grid line (a gate across the road): ~50 m of slack.
GRID_SLACK_DEGREES = 0.0005


def _check_planner(user: Any, grid: Area) -> None:
    if grid.kind != AreaKind.GRID:
        raise IllegalMove(_("Choose a grid."))
    if not may_plan(user, grid.path):
        raise NotAllowed(_("Only the community's staff draw up the patrol plans of its grids."))


def grid_workers(grid: Area) -> list[Any]:
    """The grid's active grid workers: who may walk a plan of this grid."""
    memberships = Membership.objects.filter(
        role=Role.GRID_WORKER, is_active=True, user__is_active=True, area=grid
    ).select_related("user")
    users = {m.user_id: m.user for m in memberships}
    return sorted(users.values(), key=lambda u: (u.full_name, u.username))


def _check_plan_fields(
    grid: Area, worker: Any, rounds_per_day: int, starts_on: dt.date, ends_on: dt.date | None
) -> None:
    if worker.pk not in {u.pk for u in grid_workers(grid)}:
        raise IllegalMove(_("Choose one of this grid's grid workers."))
    if not 1 <= rounds_per_day <= MAX_ROUNDS_PER_DAY:
        raise IllegalMove(_("Rounds per working day are 1 to 6."))
    if ends_on is not None and ends_on < starts_on:
        raise IllegalMove(_("A plan cannot end before it starts."))


def _plan_detail(plan: PatrolPlan) -> dict[str, Any]:
    return {
        "grid": plan.grid.code,
        "worker": plan.worker_id,
        "rounds_per_day": plan.rounds_per_day,
        "starts_on": plan.starts_on.isoformat(),
        "ends_on": plan.ends_on.isoformat() if plan.ends_on else None,
        "is_active": plan.is_active,
    }


def create_plan(
    *,
    acting_user: Any,
    grid: Area,
    worker: Any,
    starts_on: dt.date,
    ends_on: dt.date | None = None,
    rounds_per_day: int = 2,
) -> PatrolPlan:
    """Draw up a plan for one of the grid's workers (2 rounds a working day by default)."""
    _check_planner(acting_user, grid)
    _check_plan_fields(grid, worker, rounds_per_day, starts_on, ends_on)
    with transaction.atomic():
        plan = PatrolPlan.objects.create(
            grid=grid,
            worker=worker,
            rounds_per_day=rounds_per_day,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        record(
            "patrol_plan.created",
            actor=acting_user,
            role=Role.COMMUNITY_STAFF,
            obj=plan,
            object_repr=str(plan),
            detail=_plan_detail(plan),
        )
    return plan


def change_plan(
    plan: PatrolPlan,
    *,
    acting_user: Any,
    worker: Any,
    starts_on: dt.date,
    ends_on: dt.date | None,
    rounds_per_day: int,
    is_active: bool = True,
) -> PatrolPlan:
    """Change who walks the plan, how often, and when it is in force (before/after audited)."""
    _check_planner(acting_user, plan.grid)
    _check_plan_fields(plan.grid, worker, rounds_per_day, starts_on, ends_on)
    with transaction.atomic():
        locked = PatrolPlan.objects.select_for_update().select_related("grid").get(pk=plan.pk)
        before = _plan_detail(locked)
        locked.worker = worker
        locked.rounds_per_day = rounds_per_day
        locked.starts_on = starts_on
        locked.ends_on = ends_on
        locked.is_active = is_active
        locked.save()
        after = _plan_detail(locked)
        changed = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        if changed:
            record(
                "patrol_plan.changed",
                actor=acting_user,
                role=Role.COMMUNITY_STAFF,
                obj=locked,
                object_repr=str(locked),
                detail=changed,
            )
    return locked


def _check_place(
    plan: PatrolPlan,
    kind: str,
    name: str,
    unit: Unit | None,
    lat: float | None,
    lon: float | None,
    radius_m: int,
) -> tuple[str, float, float]:
    if kind not in CheckpointKind.values:
        raise IllegalMove(_("Choose the kind of checkpoint."))
    if unit is not None and unit.building.grid_id != plan.grid_id:
        raise IllegalMove(_("Choose a unit of this grid."))
    name = (name or "").strip() or (str(unit) if unit is not None else "")
    if not name:
        raise IllegalMove(_("Give the checkpoint a name."))
    if (lat is None or lon is None) and unit is not None:
        lat, lon = unit.building.lat, unit.building.lon
    if lat is None or lon is None:
        raise IllegalMove(_("Click the map where the checkpoint is."))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise IllegalMove(_("That point lies outside the map."))
    if plan.grid.boundary:
        from shapely.geometry import Point

        try:
            area = geometry_from_geojson(plan.grid.boundary).buffer(GRID_SLACK_DEGREES)
        except GeometryProblem:
            area = None
        if area is not None and not area.contains(Point(lon, lat)):
            raise IllegalMove(_("That point lies outside the grid."))
    if not 5 <= radius_m <= MAX_RADIUS_M:
        raise IllegalMove(_("The check-in radius is 5 to 500 metres."))
    return name[:120], round(lat, 7), round(lon, 7)


def add_checkpoint(
    plan: PatrolPlan,
    *,
    acting_user: Any,
    kind: str,
    name: str = "",
    unit: Unit | None = None,
    lat: float | None = None,
    lon: float | None = None,
    radius_m: int = 50,
) -> Checkpoint:
    """Add a checkpoint at the end of the plan's route (a unit's building gives the point if
    the map was not clicked)."""
    _check_planner(acting_user, plan.grid)
    name, lat, lon = _check_place(plan, kind, name, unit, lat, lon, radius_m)
    with transaction.atomic():
        PatrolPlan.objects.select_for_update().get(pk=plan.pk)
        last = plan.checkpoints.aggregate(last=Max("position"))["last"]
        checkpoint = Checkpoint.objects.create(
            plan=plan,
            kind=kind,
            name=name,
            unit=unit,
            lat=lat,
            lon=lon,
            radius_m=radius_m,
            position=0 if last is None else last + 1,
        )
        record(
            "patrol_plan.checkpoint_added",
            actor=acting_user,
            role=Role.COMMUNITY_STAFF,
            obj=plan,
            object_repr=str(plan),
            detail={"checkpoint": checkpoint.pk, "name": name, "kind": kind},
        )
    return checkpoint


def change_checkpoint(
    checkpoint: Checkpoint,
    *,
    acting_user: Any,
    kind: str,
    name: str = "",
    unit: Unit | None = None,
    lat: float | None = None,
    lon: float | None = None,
    radius_m: int = 50,
) -> Checkpoint:
    """Change a checkpoint's kind, name, unit, place or radius (its QR code stays)."""
    plan = checkpoint.plan
    _check_planner(acting_user, plan.grid)
    name, lat, lon = _check_place(plan, kind, name, unit, lat, lon, radius_m)
    with transaction.atomic():
        locked = Checkpoint.objects.select_for_update().get(pk=checkpoint.pk)
        before = (locked.kind, locked.name, locked.unit_id, locked.lat, locked.lon, locked.radius_m)
        locked.kind, locked.name, locked.unit = kind, name, unit
        locked.lat, locked.lon, locked.radius_m = lat, lon, radius_m
        locked.save()
        after = (kind, name, unit.pk if unit else None, lat, lon, radius_m)
        if before != after:
            record(
                "patrol_plan.checkpoint_changed",
                actor=acting_user,
                role=Role.COMMUNITY_STAFF,
                obj=plan,
                object_repr=str(plan),
                detail={"checkpoint": locked.pk, "before": list(before), "after": list(after)},
            )
    return locked


def move_checkpoint(checkpoint: Checkpoint, *, acting_user: Any, step: int) -> None:
    """Move a checkpoint one place up (step -1) or down (+1) the route."""
    plan = checkpoint.plan
    _check_planner(acting_user, plan.grid)
    if step not in (-1, 1):
        raise IllegalMove(_("Move a checkpoint one place up or down."))
    with transaction.atomic():
        PatrolPlan.objects.select_for_update().get(pk=plan.pk)
        route = list(plan.checkpoints.order_by("position", "pk"))
        index = next(i for i, cp in enumerate(route) if cp.pk == checkpoint.pk)
        target = index + step
        if not 0 <= target < len(route):
            return
        route[index], route[target] = route[target], route[index]
        for position, cp in enumerate(route):
            cp.position = position
        Checkpoint.objects.bulk_update(route, ["position"])
        record(
            "patrol_plan.checkpoint_moved",
            actor=acting_user,
            role=Role.COMMUNITY_STAFF,
            obj=plan,
            object_repr=str(plan),
            detail={"checkpoint": checkpoint.pk, "from": index + 1, "to": target + 1},
        )


def remove_checkpoint(checkpoint: Checkpoint, *, acting_user: Any) -> None:
    """Remove a checkpoint nobody has checked in at yet."""
    plan = checkpoint.plan
    _check_planner(acting_user, plan.grid)
    with transaction.atomic():
        PatrolPlan.objects.select_for_update().get(pk=plan.pk)
        if CheckIn.objects.filter(checkpoint=checkpoint).exists():
            raise IllegalMove(
                _(
                    "This checkpoint has check-ins and stays on the record: end this plan and "
                    "draw up a new one without it."
                )
            )
        detail = {"checkpoint": checkpoint.pk, "name": checkpoint.name}
        checkpoint.delete()
        record(
            "patrol_plan.checkpoint_removed",
            actor=acting_user,
            role=Role.COMMUNITY_STAFF,
            obj=plan,
            object_repr=str(plan),
            detail=detail,
        )
