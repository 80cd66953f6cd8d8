"""The one-month time limit (民法典 Art. 201–203) against the calendar table seeded from the
2026 State Council holiday notice, and the warning levels. Expectations checked by hand:

- 2026-09-01 + one month = 2026-10-01, the National Day holiday (10-01..10-07, a Thursday to a
  Wednesday) → the next working day, Thursday 2026-10-08.
- 2026-01-31 + one month: February has no 31st → 2026-02-28, a Saturday but a swapped working
  day of the Spring Festival (2-28 上班) → stays 2026-02-28.
- 2026-10-29 + one month = Sunday 2026-11-29 → Monday 2026-11-30.
- 2026-12-31 + one month = 2027-01-31, a Sunday → Monday 2027-02-01 (if the 2027 calendar is
  loaded; otherwise weekends alone, which give the same day).
- 2026-03-10 + one month = Friday 2026-04-10, a working day → itself.
"""

from __future__ import annotations

import datetime as dt

import pytest

from gridgov.mediation.deadlines import due_date, follow_up_due, warning_level
from gridgov.mediation.models import MediationCase

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat


@pytest.mark.parametrize(
    ("accepted", "due"),
    [
        ("2026-09-01", "2026-10-08"),
        ("2026-01-31", "2026-02-28"),
        ("2026-10-29", "2026-11-30"),
        ("2026-12-31", "2027-02-01"),
        ("2026-03-10", "2026-04-10"),
    ],
)
def test_due_one_calendar_month_after_acceptance_moved_past_rest_days(accepted, due):
    assert due_date(D(accepted)) == D(due)


def test_the_calendar_table_holds_the_holidays_the_expectations_rest_on():
    from gridgov.workdays.models import DayOverride

    rows = dict(
        DayOverride.objects.filter(
            date__in=[D("2026-10-01"), D("2026-10-07"), D("2026-02-28")]
        ).values_list("date", "is_workday")
    )
    assert rows == {D("2026-10-01"): False, D("2026-10-07"): False, D("2026-02-28"): True}


def _case(status: str, due: str | None) -> MediationCase:
    return MediationCase(status=status, due_on=D(due) if due else None)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        ("2026-10-02", "ok"),  # 6 days left
        ("2026-10-03", "ok"),  # 5 days left: the last five days are 10-04..10-08
        ("2026-10-04", "yellow"),  # 4 days left: the first of the last five days
        ("2026-10-06", "yellow"),  # 2 days left
        ("2026-10-07", "red"),  # 1 day left: the last two days are 10-07 and 10-08
        ("2026-10-08", "red"),  # the due day itself
        ("2026-10-09", "overdue"),
    ],
)
def test_warning_levels(today, expected, settings):
    settings.MEDIATION_YELLOW_DAYS = 5
    settings.MEDIATION_RED_DAYS = 2
    assert warning_level(_case("mediating", "2026-10-08"), D(today)) == expected


def test_no_warning_once_mediation_has_ended():
    assert warning_level(_case("agreed", "2026-10-08"), D("2026-11-01")) == "ok"
    assert warning_level(_case("registered", None), D("2026-11-01")) == "ok"


def test_follow_up_falls_due_on_the_performance_date_else_15_days_after(settings):
    settings.MEDIATION_FOLLOW_UP_DAYS = 15
    assert follow_up_due(D("2026-05-01"), D("2026-05-20")) == D("2026-05-20")
    assert follow_up_due(D("2026-05-01"), None) == D("2026-05-16")
