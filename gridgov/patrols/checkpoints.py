"""What a checkpoint is: a building unit, a talk point or a hazard site of the plan's grid (or
another place), and where it lies.

A checkpoint links to at most one target and only the one its kind names (database check
constraints say the same). Its coordinates default from the target: the building of the unit,
the building of the talk point's first unit, the hazard site's own position.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from gridgov.hazards.models import HazardSite
from gridgov.lifecycle import IllegalMove
from gridgov.patrols.choices import CheckpointKind
from gridgov.patrols.models import Checkpoint, PatrolPlan
from gridgov.registry.models import Unit
from gridgov.talkpoints.models import TalkPoint


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


def add_checkpoint(
    plan: PatrolPlan,
    *,
    kind: str,
    name: str = "",
    unit: Unit | None = None,
    hazard_site: HazardSite | None = None,
    talk_point: TalkPoint | None = None,
    lat: float | None = None,
    lon: float | None = None,
    radius_m: int = 50,
    position: int | None = None,
) -> Checkpoint:
    """Add a checkpoint to a plan: exactly one target matching `kind` (none for "other")."""
    if kind not in CheckpointKind.values:
        raise IllegalMove(_("Choose the kind of the checkpoint."))
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
    lat = lat if lat is not None else t_lat
    lon = lon if lon is not None else t_lon
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise IllegalMove(_("Give the checkpoint's position."))
    name = (name or "").strip() or t_name
    if not name:
        raise IllegalMove(_("Give the checkpoint a name."))
    if not 5 <= radius_m <= 1000:
        raise IllegalMove(_("The check-in radius is 5 to 1000 m."))
    with transaction.atomic():
        if position is None:
            position = plan.checkpoints.count()
        return Checkpoint.objects.create(
            plan=plan,
            kind=kind,
            name=name[:120],
            unit=unit,
            hazard_site=hazard_site,
            talk_point=talk_point,
            lat=lat,
            lon=lon,
            radius_m=radius_m,
            position=position,
        )
