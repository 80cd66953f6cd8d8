"""Every change to a patrol plan and its checkpoints, made by the community's staff (the grid
worker walks the plan; the staff draw it up). Each change is one function here, audited.

What a checkpoint may be (its kind, target, point, radius) is ruled by `checkpoints.py`; this
module adds who may change it and the audit. A checkpoint that has been checked in at is kept
(its check-ins point to it): it can be moved, changed or retired (not expected from that day
on), not removed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Unpack

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.accounts.choices import Role
from gridgov.accounts.models import Membership
from gridgov.audit.log import record
from gridgov.geo.choices import AreaKind
from gridgov.geo.models import Area
from gridgov.lifecycle import IllegalMove, NotAllowed
from gridgov.patrols import checkpoints
from gridgov.patrols.access import may_plan
from gridgov.patrols.checkpoints import MAX_RADIUS_M, CheckpointPlace
from gridgov.patrols.models import CheckIn, Checkpoint, PatrolPlan

MAX_ROUNDS_PER_DAY = 6
__all__ = ["MAX_RADIUS_M", "MAX_ROUNDS_PER_DAY"]


def _check_planner(user: Any, grid: Area) -> None:
    if grid.kind != AreaKind.GRID:
        raise IllegalMove(_("Choose a grid."))
    if not may_plan(user, grid.path):
        raise NotAllowed(_("Only the community's staff draw up the patrol plans of its grids."))


def _audit(change: str, acting_user: Any, plan: PatrolPlan, detail: dict[str, Any]) -> None:
    """One audit row of a plan change by the community's staff, inside the change's transaction."""
    record(
        f"patrol_plan.{change}",
        actor=acting_user,
        role=Role.COMMUNITY_STAFF,
        obj=plan,
        object_repr=str(plan),
        detail=detail,
    )


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
        _audit("created", acting_user, plan, _plan_detail(plan))
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
            _audit("changed", acting_user, locked, changed)
    return locked


def add_checkpoint(
    plan: PatrolPlan, *, acting_user: Any, **place: Unpack[CheckpointPlace]
) -> Checkpoint:
    """Add a checkpoint at the end of the plan's route, by the rules of `checkpoints.py` (the
    target's position gives the point if the map was not clicked)."""
    _check_planner(acting_user, plan.grid)
    with transaction.atomic():
        checkpoint = checkpoints.add_checkpoint(plan, **place)
        _audit(
            "checkpoint_added",
            acting_user,
            plan,
            {"checkpoint": checkpoint.pk, "name": checkpoint.name, "kind": checkpoint.kind},
        )
    return checkpoint


def _snapshot(cp: Checkpoint) -> tuple[Any, ...]:
    return (
        cp.kind,
        cp.name,
        cp.unit_id,
        cp.hazard_site_id,
        cp.talk_point_id,
        cp.lat,
        cp.lon,
        cp.radius_m,
    )


def change_checkpoint(
    checkpoint: Checkpoint, *, acting_user: Any, **place: Unpack[CheckpointPlace]
) -> Checkpoint:
    """Change a checkpoint's kind, target, name, place or radius (its QR code stays)."""
    plan = checkpoint.plan
    _check_planner(acting_user, plan.grid)
    checked = checkpoints.check_checkpoint(plan, **place)
    with transaction.atomic():
        locked = Checkpoint.objects.select_for_update().get(pk=checkpoint.pk)
        before = _snapshot(locked)
        for field, value in checked.items():
            setattr(locked, field, value)
        locked.save()
        after = _snapshot(locked)
        if before != after:
            _audit(
                "checkpoint_changed",
                acting_user,
                plan,
                {"checkpoint": locked.pk, "before": list(before), "after": list(after)},
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
        _audit(
            "checkpoint_moved",
            acting_user,
            plan,
            {"checkpoint": checkpoint.pk, "from": index + 1, "to": target + 1},
        )


def remove_checkpoint(checkpoint: Checkpoint, *, acting_user: Any) -> None:
    """Remove a checkpoint nobody has checked in at yet (one with check-ins is retired)."""
    plan = checkpoint.plan
    _check_planner(acting_user, plan.grid)
    with transaction.atomic():
        PatrolPlan.objects.select_for_update().get(pk=plan.pk)
        if CheckIn.objects.filter(checkpoint=checkpoint).exists():
            raise IllegalMove(
                _("This checkpoint has check-ins and stays on the record: retire it instead.")
            )
        detail = {"checkpoint": checkpoint.pk, "name": checkpoint.name}
        checkpoint.delete()
        _audit("checkpoint_removed", acting_user, plan, detail)


def retire_checkpoint(
    checkpoint: Checkpoint, *, acting_user: Any, day: dt.date | None = None
) -> Checkpoint:
    """Retire a checkpoint from `day` (today) on: its check-ins stay on the record; rounds,
    QR sheets and compliance no longer expect it from that day."""
    plan = checkpoint.plan
    _check_planner(acting_user, plan.grid)
    day = day or timezone.localdate()
    with transaction.atomic():
        locked = Checkpoint.objects.select_for_update().get(pk=checkpoint.pk)
        if locked.retired_on is not None:
            raise IllegalMove(_("This checkpoint is already retired."))
        locked.retired_on = day
        locked.save(update_fields=["retired_on"])
        _audit(
            "checkpoint_retired",
            acting_user,
            plan,
            {"checkpoint": locked.pk, "name": locked.name, "from": day.isoformat()},
        )
    return locked
