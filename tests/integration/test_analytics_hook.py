"""The rollups kept by the hook on real moves agree with the rebuild and the direct reading."""

import datetime as dt

import pytest
from django.utils import timezone

from gridgov.analytics import rollups
from gridgov.analytics.metrics import counts, figures
from gridgov.analytics.models import CaseRollup, CaseTally
from gridgov.analytics.periods import Period
from gridgov.cases import actions
from gridgov.cases.choices import Satisfaction, Status
from tests.cases_helpers import drive, make_case

pytestmark = pytest.mark.django_db


def test_real_moves_feed_the_rollups(world):
    p = world.people
    closed = drive(world, make_case(world), Status.CLOSED)
    drive(world, make_case(world), Status.VOIDED)
    local = actions.accept_case(make_case(world), acting_user=p.staff)
    local = actions.handle_locally(local, acting_user=p.staff)
    local = actions.resolve_case(local, acting_user=p.staff, result="已处理")
    local = actions.verify_case(local, acting_user=p.worker_a, passed=True)
    local = actions.rate_case(
        local, acting_user=p.staff, solved=False, satisfaction=Satisfaction.BASICALLY_SATISFIED
    )
    today = timezone.localdate()
    period = Period.month(today.year, today.month)
    by_hook = counts(world.city, period)
    direct = counts(world.city, period, source="direct")
    assert by_hook == direct
    c, _ = by_hook
    # Three cases submitted (one voided); two closed, both rated, one never left the community.
    assert (c["created"], c["closed"], c["closed_direct"], c["discarded"]) == (3, 2, 1, 1)
    assert (c["dispatched"], c["claimed"], c["claimed_on_time"]) == (1, 1, 1)
    assert (c["rated"], c["rated_by_proxy"], c["solved"], c["sat_5"], c["sat_3"]) == (2, 1, 1, 1, 1)
    assert (c["due_closed"], c["due_closed_on_time"]) == (2, 2)
    f = figures(world.city, period)
    assert f["resolution_rate"].value == 50 and f["satisfaction_rate"].value == 100
    assert CaseTally.objects.get(case_id=closed.pk).last_event_id == closed.events.last().pk
    before = list(CaseRollup.objects.order_by("id").values())
    rollups.rebuild()
    after = list(CaseRollup.objects.order_by("id").values())
    assert [{**r, "id": 0} for r in before] == [{**r, "id": 0} for r in after] or sorted(
        tuple(sorted((k, v) for k, v in r.items() if k != "id")) for r in before
    ) == sorted(tuple(sorted((k, v) for k, v in r.items() if k != "id")) for r in after)
    assert counts(world.city, period) == direct
    # Applying an event again changes nothing (the watermark).
    rollups.apply_event(closed.events.last())
    assert counts(world.city, period) == direct
    assert dt.date.today()  # keep the import honest
