"""The demo's checkpoints point at real units, talk points and hazard sites of their grid."""

import io

import pytest
from django.core.management import call_command

from gridgov.patrols.choices import CheckpointKind
from gridgov.patrols.models import Checkpoint, PatrolPlan

pytestmark = pytest.mark.django_db


def test_demo_checkpoints_are_linked_to_what_they_are_in_their_grid():
    call_command("seed_demo", stdout=io.StringIO())
    plans = list(PatrolPlan.objects.select_related("grid"))
    assert len(plans) == 9  # one per grid worker of the nine demo grids
    checkpoints = list(
        Checkpoint.objects.select_related("plan", "unit__building", "talk_point", "hazard_site")
    )
    kinds = {cp.kind for cp in checkpoints}
    assert kinds == {CheckpointKind.UNIT, CheckpointKind.TALK_POINT, CheckpointKind.HAZARD_SITE}
    for cp in checkpoints:
        grid_id = cp.plan.grid_id
        if cp.kind == CheckpointKind.UNIT:
            assert cp.unit.building.grid_id == grid_id
            assert (cp.lat, cp.lon) == (cp.unit.building.lat, cp.unit.building.lon)
        elif cp.kind == CheckpointKind.TALK_POINT:
            assert cp.talk_point.grid_id == grid_id
        else:
            assert cp.hazard_site.grid_id == grid_id
    # A plan has a hazard-site checkpoint exactly when its grid has an active hazard site.
    from gridgov.hazards.models import HazardSite

    grids_with_sites = set(
        HazardSite.objects.filter(is_active=True).values_list("grid_id", flat=True)
    )
    with_sites = {cp.plan.grid_id for cp in checkpoints if cp.kind == CheckpointKind.HAZARD_SITE}
    assert with_sites == {p.grid_id for p in plans} & grids_with_sites
    assert with_sites  # the demo has sites
