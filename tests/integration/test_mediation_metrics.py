"""The mediation metrics on hand-built event rows, with the numbers counted by hand.

March 2026 in 河西社区 (grid A, B); M6 is in 河东社区 and never counts.

case  accepted  concluded (on time)       agreement, follow-up due   follow-ups            court
M1    03-02     agreed 03-10 (yes)        A1, 03-20                  03-21 partly,      confirmed
                                                                     04-05 performed
M2    03-05     failed 03-20 (yes)
M3    03-08     agreed 04-15 (no)         A3, 04-30
M4    02-20     agreed 03-25 (no)         A4, 04-09                                         rejected
M5    03-10     — (still mediating)
M6    03-03     agreed 03-04 (yes)        A6, 03-14                  03-14 performed     (河东)
M7    03-12     agreed 03-15 (yes)        A7, 03-30                  03-30 not performed
M8    03-01     agreed 03-28 (yes)        A8, 04-12
M9    01-15     agreed 02-10 (yes), re-mediated, agreed again 03-18 (no): A9b, 04-20

success  = accepted in March and ever agreed: M1 M3 M7 M8 / accepted in March: M1 M2 M3 M5 M7
           M8                                                                    = 4 / 6
on time  = first conclusions in March: M1 M2 M4 M7 M8 (M9's is in February); by due: M1 M2
           M7 M8                                                                 = 4 / 5
agreements reached in March: A1 A4 A7 A8 A9b
performance = last follow-up performed: A1 / followed up: A1 A7                  = 1 / 2
follow-up   = followed up / due by 03-31: A1 A7                                  = 2 / 2
              as of 04-15 the due ones are A1 A7 A4 A8                           = 2 / 4
confirmation = confirmed: A1 / A1 A4 A7 A8 A9b                                   = 1 / 5
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from gridgov.mediation import metrics
from gridgov.mediation.models import MediationCase, MediationEvent

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 3, 1), dt.date(2026, 3, 31)


@pytest.fixture
def data(world):
    cases: dict[str, MediationCase] = {}

    def case(name, area):
        cases[name] = MediationCase.objects.create(
            community=area.parent, grid=area, area=area, source="written",
            dispute_type="neighbour", title=name, summary=name, status="mediating",
        )  # fmt: skip
        return cases[name]

    def event(name, event_kind, day, **data):
        row = MediationEvent.objects.create(mediation=cases[name], kind=event_kind, data=data)
        at = timezone.make_aware(dt.datetime.fromisoformat(f"2026-{day}T12:00"))
        MediationEvent.objects.filter(pk=row.pk).update(created_at=at)

    def agreed(name, day, agreement, follow_up_due, on_time):
        event(
            name, "agreed", day, agreement=agreement, kind="written",
            follow_up_due=f"2026-{follow_up_due}", on_time=on_time,
        )  # fmt: skip

    for name in ("M1", "M2", "M3", "M4", "M5", "M7", "M8", "M9"):
        case(name, world.grid_a if name != "M7" else world.grid_b)
    case("M6", world.grid_c)
    event("M1", "accepted", "03-02")
    agreed("M1", "03-10", 1, "03-20", True)
    event("M1", "followed_up", "03-21", agreement=1, result="partly")
    event("M1", "followed_up", "04-05", agreement=1, result="performed")
    event("M1", "confirmation_result", "03-25", agreement=1, result="confirmed")
    event("M2", "accepted", "03-05")
    event("M2", "failed", "03-20", on_time=True)
    event("M3", "accepted", "03-08")
    agreed("M3", "04-15", 3, "04-30", False)
    event("M4", "accepted", "02-20")
    agreed("M4", "03-25", 4, "04-09", False)
    event("M4", "confirmation_result", "04-01", agreement=4, result="rejected")
    event("M5", "accepted", "03-10")
    event("M6", "accepted", "03-03")
    agreed("M6", "03-04", 6, "03-14", True)
    event("M6", "followed_up", "03-14", agreement=6, result="performed")
    event("M7", "accepted", "03-12")
    agreed("M7", "03-15", 7, "03-30", True)
    event("M7", "followed_up", "03-30", agreement=7, result="not_performed")
    event("M8", "accepted", "03-01")
    agreed("M8", "03-28", 8, "04-12", True)
    event("M9", "accepted", "01-15")
    agreed("M9", "02-10", 91, "02-25", True)
    agreed("M9", "03-18", 92, "04-20", False)
    return world.community_a.path


def pair(ratio):
    return (ratio.numerator, ratio.denominator)


def test_success_rate(data):
    ratio = metrics.success_rate(START, END, data)
    assert pair(ratio) == (4, 6)
    assert ratio.percent == Decimal("66.67")


def test_on_time_rate_counts_each_case_first_conclusion_only(data):
    assert pair(metrics.on_time_rate(START, END, data)) == (4, 5)


def test_performance_rate_reads_the_last_follow_up(data):
    assert pair(metrics.performance_rate(START, END, data)) == (1, 2)


def test_follow_up_rate_counts_the_follow_ups_that_fell_due(data):
    assert pair(metrics.follow_up_rate(START, END, data)) == (2, 2)
    assert pair(metrics.follow_up_rate(START, END, data, as_of=dt.date(2026, 4, 15))) == (2, 4)


def test_confirmation_rate(data):
    assert pair(metrics.confirmation_rate(START, END, data)) == (1, 5)


def test_an_area_and_a_period_cut_the_figures(data, world):
    hedong = world.community_b.path
    assert pair(metrics.success_rate(START, END, hedong)) == (1, 1)
    assert pair(metrics.performance_rate(START, END, hedong)) == (1, 1)
    grid_b = world.grid_b.path  # M7 alone
    assert pair(metrics.on_time_rate(START, END, grid_b)) == (1, 1)
    february = (dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert pair(metrics.success_rate(*february, data)) == (1, 1)  # M4, agreed in March
    assert pair(metrics.on_time_rate(*february, data)) == (1, 1)  # M9's first conclusion
    assert metrics.Ratio(0, 0).percent is None


def test_the_metrics_read_what_the_actions_write(world):
    """End to end: a real agreement reached and followed up counts."""
    from gridgov.mediation import actions
    from tests.mediation_helpers import add_personas, agreed

    add_personas(world)
    mediation = agreed(world)
    actions.follow_up(mediation, acting_user=world.people.mediator, result="performed")
    today = timezone.localdate()
    path = world.community_a.path
    assert pair(metrics.success_rate(today, today, path)) == (1, 1)
    assert pair(metrics.on_time_rate(today, today, path)) == (1, 1)
    assert pair(metrics.performance_rate(today, today, path)) == (1, 1)
    assert pair(metrics.confirmation_rate(today, today, path)) == (0, 1)


def test_figures_give_the_five_rates_for_an_analytics_period(data, world):
    from gridgov.analytics.periods import Period

    march = Period.month(2026, 3)  # end exclusive: 1 April
    found = metrics.figures(world.community_a, march)
    assert {k: (f.numerator, f.denominator) for k, f in found.items()} == {
        "success": (4, 6),
        "on_time": (4, 5),
        "performance": (1, 2),
        "follow_up": (2, 2),
        "confirmation": (1, 5),
    }
    assert found["success"].value == Decimal("66.67")
    assert "调解成功率" in str(found["success"].label)


def test_the_dashboard_shows_the_mediation_success_rate(data, world):
    from gridgov.analytics import dashboards
    from gridgov.analytics.periods import Period

    board = dashboards.build(world.people.leader, world.community_a, Period.month(2026, 3))
    tile = next(t for t in board.tiles if t.key == "mediation_success")
    assert (tile.numerator, tile.denominator, tile.value) == (4, 6, Decimal("66.67"))
