"""What a checkpoint is: a building unit, a talk point or a hazard site of the plan's grid (or
another place), and where it lies. The one set of rules for every checkpoint, whoever makes it:
the plan pages (`planning.py`, which adds the staff check and the audit) and the demo seed.

A checkpoint links to at most one target and only the one its kind names (database check
constraints say the same). Its coordinates default from the target: the building of the unit,
the building of the talk point's first unit, the hazard site's own position. A point given
explicitly (clicked on the map) must lie in the grid, unless it is the target's own position
(a record of the grid already).
"""

from __future__ import annotations

from typing import Required, TypedDict, Unpack

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from gridgov.geo.geometry import GeometryProblem, geometry_from_geojson
from gridgov.hazards.models import HazardSite
from gridgov.lifecycle import IllegalMove
from gridgov.patrols.choices import CheckpointKind
from gridgov.patrols.models import Checkpoint, PatrolPlan
from gridgov.registry.models import Unit
from gridgov.talkpoints.models import TalkPoint

MAX_RADIUS_M = 500
# A checkpoint may lie just outside the grid line (a gate across the road): ~50 m of slack.
GRID_SLACK_DEGREES = 0.0005


def _target_position(
    kind: str, unit: Unit | None, site: HazardSite | None, talk_point: TalkPoint | None
) -> tuple[float | None, float | None, int | None, str]:
    """(lat, lon, grid id, name) of the target."""
    if kind == CheckpointKind.UNIT and unit is not None:
        building = unit.building
        return building.lat, building.lon, building.grid_id, str(unit)
    if kind == CheckpointKind.TALK_POINT and talk_point is not None:
        first = talk_point.units.select_related("building").order_by("pk").first()
        lat, lon = (first.building.lat, first.building.lon) if first is not None else (None, None)
        return lat, lon, talk_point.grid_id, talk_point.name
    if kind == CheckpointKind.HAZARD_SITE and site is not None:
        return site.lat, site.lon, site.grid_id, site.name
    return None, None, None, ""


def _in_grid(plan: PatrolPlan, lat: float, lon: float) -> bool:
    if not plan.grid.boundary:
        return True
    from shapely.geometry import Point

    try:
        area = geometry_from_geojson(plan.grid.boundary).buffer(GRID_SLACK_DEGREES)
    except GeometryProblem:
        return True
    return bool(area.contains(Point(lon, lat)))


class CheckpointPlace(TypedDict, total=False):
    """What a checkpoint is and where: the keyword arguments of every function that makes or
    changes one (`kind` is required; a missing target is none, a missing point the target's)."""

    kind: Required[str]
    name: str
    unit: Unit | None
    hazard_site: HazardSite | None
    talk_point: TalkPoint | None
    lat: float | None
    lon: float | None
    radius_m: int


def check_checkpoint(plan: PatrolPlan, **place: Unpack[CheckpointPlace]) -> CheckpointPlace:
    """The checked place of a checkpoint of `plan`, every field filled (the name and point from
    the target where not given); IllegalMove with a localized reason otherwise. Exactly one
    target matching `kind` (none for "other")."""
    kind = place["kind"]
    unit, hazard_site = place.get("unit"), place.get("hazard_site")
    talk_point, radius_m = place.get("talk_point"), place.get("radius_m", 50)
    lat, lon = place.get("lat"), place.get("lon")
    if kind not in CheckpointKind.values:
        raise IllegalMove(_("Choose the kind of checkpoint."))
    targets = {
        CheckpointKind.UNIT: unit,
        CheckpointKind.HAZARD_SITE: hazard_site,
        CheckpointKind.TALK_POINT: talk_point,
    }
    given = [k for k, v in targets.items() if v is not None]
    if kind == CheckpointKind.OTHER:
        if given:
            raise IllegalMove(_("An “other place” checkpoint links to nothing."))
    elif given != [kind]:
        raise IllegalMove(_("Link the checkpoint to exactly one target of its kind."))
    t_lat, t_lon, grid_id, t_name = _target_position(kind, unit, hazard_site, talk_point)
    if grid_id is not None and grid_id != plan.grid_id:
        raise IllegalMove(_("That place is not in the plan's grid."))
    if lat is None or lon is None:
        lat, lon = t_lat, t_lon
    if lat is None or lon is None:
        raise IllegalMove(_("Click the map where the checkpoint is."))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise IllegalMove(_("That point lies outside the map."))
    if (lat, lon) != (t_lat, t_lon) and not _in_grid(plan, lat, lon):
        raise IllegalMove(_("That point lies outside the grid."))
    name = (place.get("name") or "").strip() or t_name
    if not name:
        raise IllegalMove(_("Give the checkpoint a name."))
    if not 5 <= radius_m <= MAX_RADIUS_M:
        raise IllegalMove(_("The check-in radius is 5 to 500 metres."))
    return {
        "kind": kind,
        "name": name[:120],
        "unit": unit,
        "hazard_site": hazard_site,
        "talk_point": talk_point,
        "lat": round(lat, 7),
        "lon": round(lon, 7),
        "radius_m": radius_m,
    }


def add_checkpoint(plan: PatrolPlan, **place: Unpack[CheckpointPlace]) -> Checkpoint:
    """Add a checkpoint at the end of the plan's route (rules: `check_checkpoint`)."""
    checked = check_checkpoint(plan, **place)
    with transaction.atomic():
        PatrolPlan.objects.select_for_update().get(pk=plan.pk)
        last = plan.checkpoints.aggregate(last=Max("position"))["last"]
        return Checkpoint.objects.create(
            plan=plan, position=0 if last is None else last + 1, **checked
        )
