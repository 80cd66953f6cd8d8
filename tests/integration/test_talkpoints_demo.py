import io

import pytest
from django.core.management import call_command

from gridgov.cases.choices import Channel
from gridgov.cases.models import Case
from gridgov.geo.models import Area
from gridgov.registry.models import Building
from gridgov.talkpoints import coverage
from gridgov.talkpoints.models import TalkIssue, TalkPoint, TalkSession

pytestmark = pytest.mark.django_db


def test_demo_has_a_talk_point_in_every_unit_of_hexi_with_sessions():
    call_command("seed_demo", stdout=io.StringIO())
    counts = (TalkPoint.objects.count(), TalkSession.objects.count(), TalkIssue.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (
        TalkPoint.objects.count(),
        TalkSession.objects.count(),
        TalkIssue.objects.count(),
    ) == counts
    grids = list(Area.objects.grids().filter(parent__code="222405001001"))
    assert len(grids) == 9
    for grid, cov in coverage.by_grid(grids).items():
        assert cov.complete, grid
    # One talk point per building, two sessions each; three issues, one a referred dispute.
    assert counts == (Building.objects.count(), 2 * Building.objects.count(), 3)
    cases = Case.objects.filter(talk_issue__isnull=False)
    assert {c.channel for c in cases} == {Channel.TALK_POINT}
    assert cases.filter(mediation_referred_at__isnull=False).count() == 1
    # The referred dispute reads "in mediation" (调解中), not "submitted" (ADR 0016).
    assert cases.get(mediation_referred_at__isnull=False).status == "in_mediation"
