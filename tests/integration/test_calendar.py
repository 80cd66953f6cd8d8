import datetime as dt

import pytest
from django.core.checks import run_checks
from django.utils import timezone

from gridgov.workdays.calendar import LimitUnit, WorkCalendar
from gridgov.workdays.models import CalendarYear, DayOverride
from gridgov.workdays.seed import seed_from_chinese_calendar

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar():
    seed_from_chinese_calendar()
    return WorkCalendar()


def at(text):
    return timezone.make_aware(dt.datetime.fromisoformat(text))


def local(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def test_spring_festival_2026_and_its_swapped_saturdays(calendar):
    assert calendar.is_workday(dt.date(2026, 2, 14))  # Saturday worked (调休)
    assert not calendar.is_workday(dt.date(2026, 2, 16))  # Monday, Spring Festival
    assert calendar.is_workday(dt.date(2026, 2, 28))  # Saturday worked
    due = calendar.due_at(at("2026-02-13 10:00"), 1, LimitUnit.WORKING_DAYS)
    assert local(due) == "2026-02-14 17:30"
    due = calendar.due_at(at("2026-02-14 10:00"), 1, LimitUnit.WORKING_DAYS)
    assert local(due) == "2026-02-24 17:30"  # the holiday runs to Monday 23 February
    due = calendar.due_at(at("2026-02-13 10:00"), 3, LimitUnit.WORKING_DAYS)
    assert local(due) == "2026-02-25 17:30"


def test_working_hours_carry_over_into_a_swapped_saturday(calendar):
    due = calendar.due_at(at("2026-02-13 16:30"), 2, LimitUnit.WORKING_HOURS)
    assert local(due) == "2026-02-14 09:30"
    due = calendar.due_at(at("2026-02-14 17:00"), 1, LimitUnit.WORKING_HOURS)
    assert local(due) == "2026-02-24 09:00"
    due = calendar.due_at(at("2026-02-24 07:00"), 4, LimitUnit.WORKING_HOURS)
    assert local(due) == "2026-02-24 12:30"  # clock starts at office opening


def test_national_day_2026(calendar):
    assert calendar.is_workday(dt.date(2026, 9, 20))  # Sunday worked
    assert calendar.is_workday(dt.date(2026, 10, 10))  # Saturday worked
    assert not calendar.is_workday(dt.date(2026, 10, 5))
    due = calendar.due_at(at("2026-09-30 10:00"), 1, LimitUnit.WORKING_DAYS)
    assert local(due) == "2026-10-08 17:30"
    due = calendar.due_at(at("2026-10-09 10:00"), 1, LimitUnit.WORKING_DAYS)
    assert local(due) == "2026-10-10 17:30"
    due = calendar.due_at(at("2026-09-30 10:00"), 13, LimitUnit.WORKING_DAYS)
    assert local(due) == "2026-10-23 17:30"  # the swapped Saturday 10 October counts


def test_natural_hours_ignore_the_calendar(calendar):
    due = calendar.due_at(at("2026-02-16 22:00"), 24, LimitUnit.HOURS)
    assert local(due) == "2026-02-17 22:00"


@pytest.fixture
def late_2026(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2026, 11, 28))


def test_a_year_without_data_falls_back_to_monday_to_friday_and_a_check_says_so(
    calendar, late_2026
):
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not calendar.is_workday(dt.date(2027, 1, 2))  # Saturday
    assert calendar.is_workday(dt.date(2027, 1, 1))  # Friday: no data for New Year yet
    messages = [m.msg for m in run_checks(databases=["default"]) if m.id == "gridgov.W001"]
    assert messages == [
        "The working-day calendar has no holiday data for 2027: Monday–Friday is assumed."
    ]
    CalendarYear.objects.create(year=2027, source="国办发明电〔2026〕")
    assert not [m for m in run_checks(databases=["default"]) if m.id == "gridgov.W001"]


def test_an_administrator_enters_next_years_holidays(calendar, client_for, world):
    response = client_for("sysadmin").post(
        "/admin/workdays/dayoverride/add/",
        {
            "date": "2027-01-01",
            "is_workday": "",
            "name": "元旦",
        },
    )
    assert response.status_code == 302
    assert DayOverride.objects.get(date=dt.date(2027, 1, 1)).is_workday is False
    fresh = WorkCalendar()
    assert not fresh.is_workday(dt.date(2027, 1, 1))
    due = fresh.due_at(at("2026-12-31 10:00"), 1, LimitUnit.WORKING_DAYS)
    assert local(due) == "2027-01-04 17:30"


def test_the_admin_warns_about_a_year_without_data(calendar, client_for, world, late_2026):
    page = client_for("sysadmin").get("/admin/workdays/dayoverride/")
    assert page.status_code == 200
    assert "2027" in page.content.decode() and "2026" not in [
        str(m) for m in page.context["messages"]
    ]
    assert len(list(page.context["messages"])) == 1
