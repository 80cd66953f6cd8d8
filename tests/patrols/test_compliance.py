"""Compliance on a hand-built October 2026: holidays 1, 2, 5, 6, 7 Oct (weekdays off) and the
调休 Saturday 10 Oct (a working day). Every expected value below was counted by hand:

October 2026 starts on a Thursday. Weekdays: 1,2,5–9,12–16,19–23,26–30 = 22; minus the five
holiday weekdays = 17; plus Saturday the 10th = 18 working days → 36 planned rounds.
"""

import datetime as dt

import pytest
from django.utils import timezone

from gridgov.patrols.choices import RoundStatus
from gridgov.patrols.compliance import compliance, month_days, totals
from gridgov.patrols.models import CheckIn, PatrolPlan, Round
from gridgov.workdays.models import DayOverride
from tests.patrols.helpers import make_plan

pytestmark = pytest.mark.django_db


def _walk(plan: PatrolPlan, day: dt.date, checkins: int, status=RoundStatus.FINISHED) -> Round:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    round_ = Round.objects.create(
        plan=plan,
        worker=plan.worker,
        grid=plan.grid,
        area_path=plan.grid.path,
        day=day,
        status=status,
        started_at=start,
    )
    for checkpoint in list(plan.checkpoints.all())[:checkins]:
        CheckIn.objects.create(round=round_, checkpoint=checkpoint, method="qr", at=start)
    # Rows made directly bypass the check-in action, which keeps the round's count.
    Round.objects.filter(pk=round_.pk).update(
        checked_in=CheckIn.objects.filter(round=round_).count()
    )
    return round_


@pytest.fixture
def october(world):
    # The hand-built month replaces whatever the seeded calendar says about October 2026.
    DayOverride.objects.filter(date__year=2026, date__month=10).delete()
    for day in (1, 2, 5, 6, 7):
        DayOverride.objects.create(date=dt.date(2026, 10, day), is_workday=False, name="国庆节")
    DayOverride.objects.create(date=dt.date(2026, 10, 10), is_workday=True, name="国庆调休")
    plan = make_plan(world)
    d = lambda n: dt.date(2026, 10, n)  # noqa: E731
    _walk(plan, d(8), 3), _walk(plan, d(8), 3)  # green
    _walk(plan, d(9), 3)  # amber: one round missing → 3 missed
    _walk(plan, d(10), 3), _walk(plan, d(10), 2)  # 调休 Saturday: amber, 1 missed
    _walk(plan, d(12), 3, RoundStatus.INCOMPLETE)  # an incomplete round does not count: red
    _walk(plan, d(3), 3)  # a holiday: grey, an extra round
    _walk(plan, d(13), 3), _walk(plan, d(13), 3), _walk(plan, d(13), 1)  # green + 1 extra
    return plan


def test_the_month_matches_the_hand_count(october):
    days = compliance([october], month_days(2026, 10), today=dt.date(2026, 11, 1))
    by_day = {d.day.day: d for d in days}
    assert totals(days) == {"planned": 36, "done": 7, "missed": 88}
    colours = {
        c: sorted(n for n, d in by_day.items() if d.colour == c)
        for c in set(d.colour for d in days)
    }
    assert colours["green"] == [8, 13]
    assert colours["amber"] == [9, 10]
    assert colours["red"] == [12, 14, 15, 16, 19, 20, 21, 22, 23, 26, 27, 28, 29, 30]
    assert colours["grey"] == [1, 2, 3, 4, 5, 6, 7, 11, 17, 18, 24, 25, 31]
    assert (by_day[9].planned, by_day[9].done, by_day[9].missed) == (2, 1, 3)
    assert (by_day[10].planned, by_day[10].done, by_day[10].missed) == (2, 2, 1)
    assert (by_day[12].done, by_day[12].missed) == (0, 6)
    assert (by_day[3].planned, by_day[3].extra) == (0, 1)
    assert (by_day[13].done, by_day[13].extra, by_day[13].missed) == (2, 1, 0)


def test_days_after_today_have_no_colour_and_today_waits(october):
    days = compliance([october], month_days(2026, 10), today=dt.date(2026, 10, 9))
    by_day = {d.day.day: d.colour for d in days}
    assert by_day[8] == "green"
    assert by_day[9] == "none"  # today, one round still to walk
    assert by_day[12] == "none" and by_day[30] == "none"


def test_a_community_sums_its_plans(world, october):
    other = make_plan(world, worker=world.people.worker_b, grid=world.grid_b)
    _walk(other, dt.date(2026, 10, 8), 3)
    day = compliance([october, other], [dt.date(2026, 10, 8)], today=dt.date(2026, 11, 1))[0]
    assert (day.planned, day.done, day.missed, day.colour) == (4, 3, 3, "amber")


def test_a_plan_not_yet_in_force_plans_nothing(world):
    plan = make_plan(world, starts_on=dt.date(2026, 10, 20))
    days = compliance([plan], month_days(2026, 10), today=dt.date(2026, 11, 1))
    # 19 Oct is a plain Monday, before the plan; 20–23, 26–30: 9 working days → 18 rounds.
    assert {d.day.day: d.colour for d in days}[19] == "grey"
    assert totals(days)["planned"] == 18
