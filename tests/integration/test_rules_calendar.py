"""Due times computed by hand on a small calendar typed in here (office hours 08:30–17:30):

    March 2027   Mon Tue Wed Thu Fri Sat Sun
                  1   2   3   4   5   6   7
                  8   9  10* 11  12  13+ 14        * 10th: a holiday on a Wednesday
                 15  16  17  18  19  20  21        + 13th: a Saturday worked (调休)

Every expected time below was counted on this grid, not computed with the code under test.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gridgov.workdays.calendar import LimitUnit, WorkCalendar, years_without_data
from gridgov.workdays.models import CalendarYear, DayOverride

pytestmark = pytest.mark.django_db


@pytest.fixture
def march_2027(settings):
    settings.WORKDAY_START = "08:30"
    settings.WORKDAY_END = "17:30"
    DayOverride.objects.create(date=dt.date(2027, 3, 10), is_workday=False, name="假日")
    DayOverride.objects.create(date=dt.date(2027, 3, 13), is_workday=True, name="调休")
    return WorkCalendar()


def at(text: str) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(text))


def due(calendar: WorkCalendar, start: str, amount: float, unit: str) -> str:
    return timezone.localtime(calendar.due_at(at(start), amount, unit)).strftime("%Y-%m-%d %H:%M")


@pytest.mark.parametrize(
    ("day", "works"),
    [
        ("2027-03-01", True),  # Monday
        ("2027-03-05", True),  # Friday
        ("2027-03-06", False),  # Saturday
        ("2027-03-07", False),  # Sunday
        ("2027-03-10", False),  # the holiday on a Wednesday
        ("2027-03-13", True),  # the swapped working Saturday
        ("2027-03-14", False),  # the Sunday after it
    ],
)
def test_which_days_are_working_days(march_2027, day, works):
    assert march_2027.is_workday(dt.date.fromisoformat(day)) is works


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        ("2027-03-04 10:00", 0, "2027-03-04 10:00"),
        ("2027-03-04 10:00", 0.25, "2027-03-04 10:15"),
        ("2027-03-04 07:00", 2, "2027-03-04 10:30"),  # the clock starts at opening
        ("2027-03-04 08:30", 9, "2027-03-04 17:30"),  # a whole office day, exactly
        ("2027-03-04 16:30", 1, "2027-03-04 17:30"),  # fits exactly before closing
        # 1 h on Thursday (16:30–17:30), the other 7 h from Friday 08:30
        ("2027-03-04 16:30", 8, "2027-03-05 15:30"),
        ("2027-03-04 17:30", 1, "2027-03-05 09:30"),  # at closing: tomorrow
        ("2027-03-04 17:30", 0, "2027-03-05 08:30"),  # nothing left today: the next opening
        ("2027-03-04 18:00", 1, "2027-03-05 09:30"),  # after closing: tomorrow
        ("2027-03-01 08:30", 18.5, "2027-03-03 09:00"),  # 9 + 9 + 0.5 over three days
        # half an hour on Friday, the weekend skipped, 1.5 h on Monday
        ("2027-03-05 17:00", 2, "2027-03-08 10:00"),
        ("2027-03-06 10:00", 1, "2027-03-08 09:30"),  # started on a Saturday
        ("2027-03-06 10:00", 0, "2027-03-08 08:30"),
        ("2027-03-09 17:00", 2, "2027-03-11 10:00"),  # over the Wednesday holiday
        ("2027-03-12 17:00", 2, "2027-03-13 10:00"),  # into the swapped Saturday
        ("2027-03-12 17:00", 11, "2027-03-15 10:00"),  # 0.5 Fri + 9 Sat + 1.5 Mon
    ],
)
def test_working_hours(march_2027, start, hours, expected):
    assert due(march_2027, start, hours, LimitUnit.WORKING_HOURS) == expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        ("2027-03-04 10:00", 0, "2027-03-04 17:30"),  # "within the day": today
        ("2027-03-06 10:00", 0, "2027-03-08 17:30"),  # on a Saturday: Monday
        ("2027-03-10 10:00", 0, "2027-03-11 17:30"),  # on the holiday: the next day
        ("2027-03-13 10:00", 0, "2027-03-13 17:30"),  # the swapped Saturday is a working day
        ("2027-03-04 10:00", 1, "2027-03-05 17:30"),
        ("2027-03-05 10:00", 1, "2027-03-08 17:30"),  # Friday → Monday
        ("2027-03-06 10:00", 1, "2027-03-08 17:30"),  # from a Saturday
        ("2027-03-01 10:00", 5, "2027-03-08 17:30"),
        ("2027-03-09 10:00", 1, "2027-03-11 17:30"),  # the holiday does not count
        ("2027-03-09 10:00", 2, "2027-03-12 17:30"),
        ("2027-03-12 10:00", 1, "2027-03-13 17:30"),  # the swapped Saturday counts
        ("2027-03-12 10:00", 2, "2027-03-15 17:30"),
        ("2027-03-01 10:00", 10, "2027-03-15 17:30"),  # 2,3,4,5,8,9,11,12,13,15
    ],
)
def test_working_days(march_2027, start, days, expected):
    assert due(march_2027, start, days, LimitUnit.WORKING_DAYS) == expected


def test_natural_hours_run_round_the_clock(march_2027):
    assert due(march_2027, "2027-03-05 22:00", 24, LimitUnit.HOURS) == "2027-03-06 22:00"
    assert due(march_2027, "2027-03-09 23:30", 1.5, LimitUnit.HOURS) == "2027-03-10 01:00"
    utc = dt.datetime(2027, 3, 5, 2, 0, tzinfo=dt.UTC)
    assert march_2027.due_at(utc, 2, LimitUnit.HOURS) == dt.datetime(
        2027, 3, 5, 4, 0, tzinfo=dt.UTC
    )


def test_other_office_hours_come_from_the_settings(march_2027, settings):
    settings.WORKDAY_START = "09:00"
    settings.WORKDAY_END = "18:00"
    assert due(WorkCalendar(), "2027-03-04 17:00", 2, LimitUnit.WORKING_HOURS) == "2027-03-05 10:00"
    assert due(WorkCalendar(), "2027-03-04 10:00", 0, LimitUnit.WORKING_DAYS) == "2027-03-04 18:00"


def test_bad_limits_are_refused(march_2027):
    with pytest.raises(ValueError, match=r"^a time limit cannot be negative$"):
        march_2027.due_at(at("2027-03-04 10:00"), -1, LimitUnit.HOURS)
    with pytest.raises(ValueError, match=r"^a time limit cannot be negative$"):
        march_2027.due_at(at("2027-03-04 10:00"), -0.5, LimitUnit.WORKING_HOURS)
    with pytest.raises(ValueError, match=r"^unknown time-limit unit 'weeks'$"):
        march_2027.due_at(at("2027-03-04 10:00"), 1, "weeks")
    with pytest.raises(ValueError, match=r"^time limit too long$"):
        march_2027.due_at(at("2027-03-04 10:00"), 9 * 366 * 11, LimitUnit.WORKING_HOURS)


def test_editing_the_calendar_is_seen_by_the_next_computation(march_2027):
    start = "2027-03-09 10:00"
    assert due(march_2027, start, 1, LimitUnit.WORKING_DAYS) == "2027-03-11 17:30"
    holiday = DayOverride.objects.get(date=dt.date(2027, 3, 10))
    holiday.is_workday = True  # the holiday is cancelled
    holiday.save()
    assert WorkCalendar().is_workday(dt.date(2027, 3, 10))
    assert due(WorkCalendar(), start, 1, LimitUnit.WORKING_DAYS) == "2027-03-10 17:30"


def test_adding_and_deleting_days_is_seen_by_the_next_computation(march_2027):
    assert WorkCalendar().is_workday(dt.date(2027, 3, 11))
    DayOverride.objects.create(date=dt.date(2027, 3, 11), is_workday=False, name="新增")
    assert not WorkCalendar().is_workday(dt.date(2027, 3, 11))
    # Deleting an older row leaves the newest change time as it was: the count still changes.
    DayOverride.objects.filter(date=dt.date(2027, 3, 10)).delete()
    assert WorkCalendar().is_workday(dt.date(2027, 3, 10))
    DayOverride.objects.all().delete()
    fresh = WorkCalendar()
    assert not fresh.is_workday(dt.date(2027, 3, 13))
    assert fresh.is_workday(dt.date(2027, 3, 11))


def test_an_empty_calendar_is_monday_to_friday(settings):
    calendar = WorkCalendar()
    assert calendar.is_workday(dt.date(2027, 3, 10))
    assert not calendar.is_workday(dt.date(2027, 3, 13))


def test_years_without_official_data_are_listed_in_order():
    CalendarYear.objects.create(year=2031, source="国办发明电")
    assert years_without_data([2032, 2031, 2030]) == [2032, 2030]
    assert years_without_data([2031]) == []


def test_an_edit_with_a_deletion_a_microsecond_later_is_still_seen(march_2027, monkeypatch):
    """The cache key must change with every edit: it once was `last change + count × 1 µs`, which
    an edit 1 µs after the last change together with a deletion left unchanged."""
    first = timezone.make_aware(dt.datetime(2027, 2, 1, 9, 0, 0, 0))
    monkeypatch.setattr(timezone, "now", lambda: first)
    DayOverride.objects.all().delete()
    holiday = DayOverride.objects.create(date=dt.date(2027, 3, 10), is_workday=False)
    DayOverride.objects.create(date=dt.date(2027, 3, 17), is_workday=False)
    assert not WorkCalendar().is_workday(dt.date(2027, 3, 10))
    monkeypatch.setattr(timezone, "now", lambda: first + dt.timedelta(microseconds=1))
    holiday.is_workday = True
    holiday.save()
    DayOverride.objects.filter(date=dt.date(2027, 3, 17)).delete()
    fresh = WorkCalendar()
    assert fresh.is_workday(dt.date(2027, 3, 10))
    assert fresh.is_workday(dt.date(2027, 3, 17))
