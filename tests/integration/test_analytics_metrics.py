"""The metrics on a hand-built March 2026 (ADR 0019), every number worked out by hand below.

Cases (local Shanghai times; "W" = water LJ-SW, "U" = urban LJ-CG):
A  created 03-02 09:00, dispatched W, claimed on time, result 03-05 10:00 (due 03-10), rated 03-06
   solved, 非常满意.  Handling 73 h.
B  created 02-20, dispatched W 02-20, claimed late 02-21, result 03-02 09:00 after its due
   02-28 18:00, rated 03-03 not solved, 不满意.  Settles on 02-28 (February), late.  240 h.
C  created 03-10 09:00, handled in the community, result 03-11 09:00 (due 03-17), rated 03-12 not
   solved 非常不满意, reopened 03-12, result 03-14 09:00 (due 03-19), rated 03-15 by staff (a
   follow-up call) solved 基本满意.  Two handling rounds, 24 h and 96 h.
D  created 03-20 09:00, in the community, result 03-21 09:00 after its due 03-20 18:00, closed
   unrated 03-31 23:30.  Settles on 03-20, late.  24 h.
E  created 03-05, merged 03-05.
F  created 03-31 20:00, voided 04-01 08:00 (April).
G  created 03-16 09:00, dispatched W, returned by W, re-dispatched to U 03-17, claimed on time,
   extension granted to 03-30 18:00, result 03-28 09:00 (after the first due, within the
   extension), rated 04-02 solved 满意.  Settles on 03-30 (March), on time; closed in April. 288 h.
H  created 03-25, dispatched W, claimed on time; still in progress, handling due 03-29 18:00.
I  created 03-30, in the community; still in progress, handling due 04-03 18:00.
J  resident app, grid B: created 03-08 09:00, handled on the spot (no deadline) 03-08 12:00,
   rated 03-09 solved 满意.  3 h.
"""

import datetime as dt
from decimal import Decimal

import pytest

from gridgov.analytics import rollups
from gridgov.analytics.metrics import counts, figures
from gridgov.analytics.models import MetricSettings
from gridgov.analytics.periods import Period
from gridgov.cases.choices import Channel, Status
from gridgov.cases.choices import EventKind as K
from tests.analytics_helpers import at, history, iso
from tests.cases_helpers import make_case

pytestmark = pytest.mark.django_db

NOW = at("2026-12-01 09:00")
MARCH = Period.month(2026, 3)
W, U = "LJ-SW", "LJ-CG"


def rated(solved: bool, level: int, proxy: bool = False) -> dict:
    return {"solved": solved, "satisfaction": level, "by_proxy": proxy}


@pytest.fixture
def march(world):
    def case(**kw):
        return make_case(world, **kw)

    history(
        case(),
        [
            (K.CREATED, "2026-03-02 09:00", {}),
            (K.ESCALATED, "2026-03-02 10:00", {}),
            (K.DISPATCHED, "2026-03-02 11:00", {"department": W}),
            (K.CLAIMED, "2026-03-02 12:00", {"due": iso("2026-03-03 12:00")}),
            (K.RESOLVED, "2026-03-05 10:00", {"due": iso("2026-03-10 18:00")}),
            (K.VERIFIED, "2026-03-05 15:00", {}),
            (K.RATED, "2026-03-06 09:00", rated(True, 5)),
        ],
        status=Status.CLOSED,
    )
    history(
        case(),
        [
            (K.CREATED, "2026-02-20 09:00", {}),
            (K.ESCALATED, "2026-02-20 09:30", {}),
            (K.DISPATCHED, "2026-02-20 10:00", {"department": W}),
            (K.CLAIMED, "2026-02-21 11:00", {"due": iso("2026-02-21 10:00")}),
            (K.RESOLVED, "2026-03-02 09:00", {"due": iso("2026-02-28 18:00")}),
            (K.VERIFIED, "2026-03-02 12:00", {}),
            (K.RATED, "2026-03-03 10:00", rated(False, 2)),
        ],
        status=Status.CLOSED,
    )
    history(
        case(),
        [
            (K.CREATED, "2026-03-10 09:00", {}),
            (K.ACCEPTED, "2026-03-10 09:30", {}),
            (K.HANDLED_LOCALLY, "2026-03-10 10:00", {}),
            (K.RESOLVED, "2026-03-11 09:00", {"due": iso("2026-03-17 18:00")}),
            (K.VERIFIED, "2026-03-11 10:00", {}),
            (K.RATED, "2026-03-12 09:00", rated(False, 1)),
            (K.REOPENED, "2026-03-12 10:00", {}),
            (K.RESOLVED, "2026-03-14 09:00", {"due": iso("2026-03-19 18:00")}),
            (K.VERIFIED, "2026-03-14 10:00", {}),
            (K.RATED, "2026-03-15 09:00", rated(True, 3, proxy=True)),
        ],
        status=Status.CLOSED,
    )
    history(
        case(),
        [
            (K.CREATED, "2026-03-20 09:00", {}),
            (K.HANDLED_LOCALLY, "2026-03-20 10:00", {}),
            (K.SLA_CHANGED, "2026-03-20 18:05", {"from": "red", "to": "overdue"}),
            (K.RESOLVED, "2026-03-21 09:00", {"due": iso("2026-03-20 18:00")}),
            (K.VERIFIED, "2026-03-21 10:00", {}),
            (K.AUTO_CLOSED, "2026-03-31 23:30", {"evaluated": False}),
        ],
        status=Status.CLOSED,
    )
    history(
        case(),
        [(K.CREATED, "2026-03-05 09:00", {}), (K.MERGED, "2026-03-05 11:00", {"into": "X"})],
        status=Status.MERGED,
    )
    history(
        case(),
        [(K.CREATED, "2026-03-31 20:00", {}), (K.VOIDED, "2026-04-01 08:00", {})],
        status=Status.VOIDED,
    )
    history(
        case(),
        [
            (K.CREATED, "2026-03-16 09:00", {}),
            (K.ESCALATED, "2026-03-16 09:30", {}),
            (K.DISPATCHED, "2026-03-16 10:00", {"department": W}),
            (K.RETURN_REQUESTED, "2026-03-16 15:00", {"basis": "三定方案"}),
            (K.RETURN_REDISPATCHED, "2026-03-17 09:00", {"from": W, "department": U}),
            (K.CLAIMED, "2026-03-17 10:00", {"due": iso("2026-03-18 09:00")}),
            (K.EXTENSION_REQUESTED, "2026-03-20 09:00", {"until": iso("2026-03-30 18:00")}),
            (K.EXTENSION_GRANTED, "2026-03-21 09:00", {"until": iso("2026-03-30 18:00")}),
            (K.RESOLVED, "2026-03-28 09:00", {"due": iso("2026-03-30 18:00")}),
            (K.VERIFIED, "2026-03-28 10:00", {}),
            (K.RATED, "2026-04-02 09:00", rated(True, 4)),
        ],
        status=Status.CLOSED,
    )
    history(
        case(),
        [
            (K.CREATED, "2026-03-25 09:00", {}),
            (K.ESCALATED, "2026-03-25 09:30", {}),
            (K.DISPATCHED, "2026-03-25 10:00", {"department": W}),
            (K.CLAIMED, "2026-03-26 09:00", {"due": iso("2026-03-26 10:00")}),
        ],
        status=Status.IN_PROGRESS,
        handle_due_at=at("2026-03-29 18:00"),
        department=world.water,
    )
    history(
        case(),
        [(K.CREATED, "2026-03-30 09:00", {}), (K.HANDLED_LOCALLY, "2026-03-30 10:00", {})],
        status=Status.IN_PROGRESS,
        handle_due_at=at("2026-04-03 18:00"),
    )
    history(
        case(building=world.building_b, channel=Channel.RESIDENT_APP),
        [
            (K.CREATED, "2026-03-08 09:00", {}),
            (K.RESOLVED, "2026-03-08 12:00", {"on_spot": True, "due": None}),
            (K.RATED, "2026-03-09 09:00", rated(True, 4)),
        ],
        status=Status.CLOSED,
    )
    rollups.rebuild()
    return world


@pytest.mark.parametrize("source", ["rollups", "direct"])
def test_march_city_figures(march, source):
    f = figures(march.city, MARCH, source=source, now=NOW)
    got = {k: (fig.numerator, fig.denominator, fig.value) for k, fig in f.items()}
    assert got == {
        # A C D E F G H I J submitted in March (B in February).
        "intake": (9, None, Decimal(9)),
        # Closures in March: A, B, C twice, D, J.
        "closed": (6, None, Decimal(6)),
        # Should close: rounds settled in March A, C, C, D, G, J (6) + H open past 03-29 (1).
        "completion_rate": (6, 7, Decimal("85.71")),
        # On time: A, C, C, G, J (D's result came after its deadline).
        "on_time_rate": (5, 7, Decimal("71.43")),
        # Dispatches A, G (W), G (U), H = 4; claims on time A, G, H = 3.
        "response_rate": (3, 4, Decimal("75.00")),
        # Rated in March: A, B, C, C, J; solved A, C (second), J.
        "resolution_rate": (3, 5, Decimal("60.00")),
        # 非常满意 A + 满意 J + 基本满意 C (counted by default) = 3 of 5.
        "satisfaction_rate": (3, 5, Decimal("60.00")),
        # 30 × 75 + 35 × 60 + 35 × 60 = 6450 → 64.50 of 100.
        "three_rates": (Decimal(6450), 100, Decimal("64.50")),
        # C reopened once; 6 closures.
        "rework_rate": (1, 6, Decimal("16.67")),
        # G returned once; 4 dispatches.
        "return_rate": (1, 4, Decimal("25.00")),
        # Never left the community: C, C, D, J of the 6 closures.
        "direct_answer_rate": (4, 6, Decimal("66.67")),
        # Hours 3, 24, 24, 73, 96, 240: the lower median is the 3rd, 24.
        "median_handling_hours": (24, 6, Decimal(24)),
        # Rated 5 of 6 closures (D closed unrated).
        "follow_up_rate": (5, 6, Decimal("83.33")),
        "overdue_open": (1, None, Decimal(1)),
    }


def test_the_satisfaction_variant_and_weights_are_site_settings(march):
    MetricSettings.objects.create(
        basic_counts_as_satisfied=False,
        weight_response=20,
        weight_resolution=40,
        weight_satisfaction=40,
    )
    f = figures(march.city, MARCH, now=NOW)
    # Without 基本满意: A and J, 2 of 5.
    assert (f["satisfaction_rate"].numerator, f["satisfaction_rate"].value) == (2, Decimal("40.00"))
    # 20 × 75 + 40 × 60 + 40 × 40 = 1500 + 2400 + 1600 = 5500.
    assert f["three_rates"].value == Decimal("55.00")
    # The raw levels are kept: any variant can be recomputed.
    c, _ = counts(march.city, MARCH, now=NOW)
    assert [c[f"sat_{n}"] for n in (5, 4, 3, 2, 1)] == [1, 1, 1, 1, 1]


def test_neighbouring_months(march):
    feb = figures(march.city, MARCH.previous(), now=NOW)
    assert MARCH.previous() == Period.month(2026, 2)
    # B: submitted, dispatched, claimed late; its round settled on 02-28, late.
    assert (feb["intake"].value, feb["response_rate"].value) == (1, Decimal("0.00"))
    assert (feb["on_time_rate"].numerator, feb["on_time_rate"].denominator) == (0, 1)
    assert feb["completion_rate"].value == Decimal("100.00")
    april = figures(march.city, MARCH.next(), now=NOW)
    # G closed on 04-02 (its round counted in March); F voided; I open past its 04-03 due.
    assert (april["closed"].value, april["resolution_rate"].value) == (1, Decimal("100.00"))
    assert (april["completion_rate"].numerator, april["completion_rate"].denominator) == (0, 1)
    assert april["median_handling_hours"].value == 288
    # Nothing to rate: no value rather than a made-up zero.
    assert figures(march.city, Period.month(2026, 6), now=NOW)["satisfaction_rate"].value is None


@pytest.mark.parametrize("source", ["rollups", "direct"])
def test_cuts(march, source):
    def fig(area=None, **kw):
        return figures(area or march.city, MARCH, source=source, now=NOW, **kw)

    # Grid B holds only J; the resident app channel too.
    for f in (fig(march.grid_b), fig(channel=Channel.RESIDENT_APP)):
        assert (f["intake"].value, f["closed"].value, f["on_time_rate"].value) == (
            1,
            1,
            Decimal("100.00"),
        )
    # The other community has nothing.
    assert fig(march.community_b)["intake"].value == 0
    # Water: dispatched A, G, H; returned G; claimed A, H on time; closed A and B (B was with
    # water when rated); rounds settled in March with water: A only; H open past due with water.
    water = fig(department=march.water)
    assert (water["return_rate"].numerator, water["return_rate"].denominator) == (1, 3)
    assert (water["response_rate"].numerator, water["response_rate"].denominator) == (2, 3)
    assert water["closed"].value == 2
    assert (water["completion_rate"].numerator, water["completion_rate"].denominator) == (1, 2)
    urban = fig(department=march.urban)
    assert (urban["response_rate"].numerator, urban["response_rate"].denominator) == (1, 1)
    assert (urban["on_time_rate"].numerator, urban["on_time_rate"].denominator) == (1, 1)
    # The level-1 category includes its subcategories: every case here.
    assert fig(category=march.category.parent)["intake"].value == 9
    # A custom range: 03-30..04-02 holds I and F submitted, the closures of D (03-31 23:30) and
    # G (04-02), and one settled round, G's (D's settled on 03-20).
    span = figures(
        march.city, Period.range(dt.date(2026, 3, 30), dt.date(2026, 4, 2)), source=source, now=NOW
    )
    assert (span["intake"].value, span["closed"].value, span["completion_rate"].numerator) == (
        2,
        2,
        1,
    )


def test_periods():
    assert Period.week(dt.date(2026, 3, 4)).start == dt.date(2026, 3, 2)  # a Monday
    assert Period.quarter(2026, 1).previous() == Period.quarter(2025, 4)
    assert Period.range(dt.date(2026, 3, 1), dt.date(2026, 3, 10)).previous() == Period.range(
        dt.date(2026, 2, 19), dt.date(2026, 2, 28)
    )
    assert Period.of("month", dt.date(2026, 12, 31)).next() == Period.month(2027, 1)
    assert str(Period.quarter(2026, 2)) == "2026-Q2"
