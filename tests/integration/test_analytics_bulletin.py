"""The city bulletin's figures from a constructed month (domain.md §7).

The bulletin reads "911 of 972 closed on time = 93.72%" and "737 of 972 = 75.82%". Both share
the denominator 972, so we read the second as the satisfaction rate of a month in which every
one of the 972 cases due was closed with a rating (evaluated = should close = 972), counting
only 非常满意 and 满意 (the site setting without 基本满意): 737 of them.

Constructed November 2026: 972 cases submitted 11-02 09:00 and closed with a rating on 11-20
10:00; 911 gave their result on 11-10 09:00 before a deadline of 11-12 18:00, 61 gave it on
11-16 09:00, after it. Ratings: 400 非常满意, 337 满意, 150 基本满意, 85 不满意.
"""

from decimal import Decimal

import pytest

from gridgov.analytics import rollups
from gridgov.analytics.metrics import figures
from gridgov.analytics.models import MetricSettings
from gridgov.analytics.periods import Period
from gridgov.cases.choices import EventKind as K
from gridgov.cases.choices import Status
from gridgov.cases.models import Case, CaseEvent
from tests.analytics_helpers import at, bulk_histories, clone_cases, iso
from tests.cases_helpers import make_case

pytestmark = pytest.mark.django_db


def test_the_city_bulletin(world):
    template = make_case(world)
    CaseEvent.objects.all().delete()
    cases = clone_cases(template, 972)
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(
        created_at=at("2026-11-02 09:00"), status=Status.CLOSED
    )
    Case.objects.filter(pk=template.pk).delete()
    levels = [5] * 400 + [4] * 337 + [3] * 150 + [2] * 85
    items = []
    for i, (case, level) in enumerate(zip(cases, levels, strict=True)):
        result = "2026-11-10 09:00" if i % 16 != 0 or i >= 61 * 16 else "2026-11-16 09:00"
        items.append(
            (
                case,
                [
                    (K.CREATED, "2026-11-02 09:00", {}),
                    (K.ESCALATED, "2026-11-02 10:00", {}),
                    (K.DISPATCHED, "2026-11-02 11:00", {"department": "LJ-SW"}),
                    (K.CLAIMED, "2026-11-02 12:00", {"due": iso("2026-11-03 12:00")}),
                    (K.RESOLVED, result, {"due": iso("2026-11-12 18:00")}),
                    (K.VERIFIED, "2026-11-18 10:00", {}),
                    (
                        K.RATED,
                        "2026-11-20 10:00",
                        {"solved": level >= 3, "satisfaction": level, "by_proxy": False},
                    ),
                ],
            )
        )
    bulk_histories(items)
    # The late results: every 16th case among the first 61 × 16 — 61 of them.
    assert sum(1 for _, moves in items if moves[4][1] == "2026-11-16 09:00") == 61
    rollups.rebuild()
    MetricSettings.objects.create(basic_counts_as_satisfied=False)

    f = figures(world.city, Period.month(2026, 11), now=at("2026-12-01 09:00"))

    on_time = f["on_time_rate"]
    assert (on_time.numerator, on_time.denominator, on_time.value) == (911, 972, Decimal("93.72"))
    satisfied = f["satisfaction_rate"]
    assert (satisfied.numerator, satisfied.denominator, satisfied.value) == (
        737,
        972,
        Decimal("75.82"),
    )
    assert f["completion_rate"].value == Decimal("100.00")
