"""Working-day arithmetic: is a date a working day, and when is something due.

Units (domain.md §3):
- `hours`: natural hours, round the clock (emergencies);
- `working_hours`: hours inside office time (WORKDAY_START–WORKDAY_END) on working days;
- `working_days`: the end of office time on the Nth working day after the start day.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LimitUnit(models.TextChoices):
    HOURS = "hours", _("hours")
    WORKING_HOURS = "working_hours", _("working hours")
    WORKING_DAYS = "working_days", _("working days")


def _office_hours() -> tuple[dt.time, dt.time]:
    return (
        dt.time.fromisoformat(settings.WORKDAY_START),
        dt.time.fromisoformat(settings.WORKDAY_END),
    )


@lru_cache(maxsize=64)
def _overrides(year: int, version: tuple[int, dt.datetime | None]) -> dict[dt.date, bool]:
    from gridgov.workdays.models import DayOverride

    return dict(DayOverride.objects.filter(date__year=year).values_list("date", "is_workday"))


def _version() -> tuple[int, dt.datetime | None]:
    """Changes whenever the calendar table changes, so cached years are re-read: an edit moves the
    last change time, a deletion the count (kept apart: no sum of the two can collide)."""
    from django.db.models import Count, Max

    from gridgov.workdays.models import DayOverride

    stats = DayOverride.objects.aggregate(n=Count("id"), changed=Max("updated_at"))
    return stats["n"], stats["changed"]


class WorkCalendar:
    """A snapshot of the calendar for a run of computations (one table read per year)."""

    def __init__(self) -> None:
        self._version = _version()
        self.start, self.end = _office_hours()

    def is_workday(self, day: dt.date) -> bool:
        override = _overrides(day.year, self._version).get(day)
        if override is not None:
            return override
        return day.weekday() < 5

    def due_at(self, start: dt.datetime, amount: float, unit: str) -> dt.datetime:
        """The due time of a limit of `amount` `unit`s starting at the aware datetime `start`."""
        if amount < 0:
            raise ValueError("a time limit cannot be negative")
        if unit == LimitUnit.HOURS:
            return start + dt.timedelta(hours=amount)
        local = timezone.localtime(start)
        if unit == LimitUnit.WORKING_DAYS:
            return self._working_days(local, int(amount))
        if unit == LimitUnit.WORKING_HOURS:
            return self._working_hours(local, dt.timedelta(hours=amount))
        raise ValueError(f"unknown time-limit unit {unit!r}")

    def _at(self, day: dt.date, time: dt.time) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, time))

    def _working_days(self, local: dt.datetime, days: int) -> dt.datetime:
        day = local.date()
        if days == 0:  # "within the day": end of this (or the next) working day
            while not self.is_workday(day):
                day += dt.timedelta(days=1)
            return self._at(day, self.end)
        counted = 0
        while counted < days:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                counted += 1
        return self._at(day, self.end)

    def _working_hours(self, local: dt.datetime, left: dt.timedelta) -> dt.datetime:
        day, clock = local.date(), local.time()
        for _guard in range(3660):  # ten years of days at most
            if self.is_workday(day):
                begin = max(clock, self.start)
                if begin < self.end:
                    available = self._at(day, self.end) - self._at(day, begin)
                    if left <= available:
                        return self._at(day, begin) + left
                    left -= available
            day, clock = day + dt.timedelta(days=1), dt.time.min
        raise ValueError("time limit too long")


def years_without_data(years: list[int]) -> list[int]:
    from gridgov.workdays.models import CalendarYear

    known = set(CalendarYear.objects.filter(year__in=years).values_list("year", flat=True))
    return [year for year in years if year not in known]
