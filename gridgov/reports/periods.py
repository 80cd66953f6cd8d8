"""Report periods: an ISO week (`2026-W47`) or a calendar month (`2026-11`), in local time.

A period is the half-open range [start, end) of local midnights; `previous()` is the period of
the same kind just before it (the week before; the month before), the base of every
period-on-period change in a report.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone

from gridgov.reports.choices import ReportKind

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class BadPeriod(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    kind: str
    first_day: dt.date
    last_day: dt.date  # inclusive

    @property
    def code(self) -> str:
        if self.kind == ReportKind.WEEKLY:
            year, week, _day = self.first_day.isocalendar()
            return f"{year}-W{week:02d}"
        return f"{self.first_day:%Y-%m}"

    @property
    def start(self) -> dt.datetime:
        return _midnight(self.first_day)

    @property
    def end(self) -> dt.datetime:
        return _midnight(self.last_day + dt.timedelta(days=1))

    @property
    def days(self) -> list[dt.date]:
        n = (self.last_day - self.first_day).days + 1
        return [self.first_day + dt.timedelta(days=i) for i in range(n)]

    def previous(self) -> Period:
        return containing(self.kind, self.first_day - dt.timedelta(days=1))

    def next(self) -> Period:
        return containing(self.kind, self.last_day + dt.timedelta(days=1))

    def __str__(self) -> str:
        return f"{self.code} ({self.first_day:%Y-%m-%d} – {self.last_day:%Y-%m-%d})"


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def containing(kind: str, day: dt.date) -> Period:
    """The week (Monday to Sunday) or the month that contains `day`."""
    if kind == ReportKind.WEEKLY:
        monday = day - dt.timedelta(days=day.weekday())
        return Period(kind, monday, monday + dt.timedelta(days=6))
    if kind == ReportKind.MONTHLY:
        first = day.replace(day=1)
        following = (first + dt.timedelta(days=32)).replace(day=1)
        return Period(kind, first, following - dt.timedelta(days=1))
    raise BadPeriod(kind)


def parse(kind: str, code: str) -> Period:
    """`2026-W47` for a week, `2026-11` for a month; BadPeriod otherwise."""
    code = (code or "").strip()
    try:
        if kind == ReportKind.WEEKLY and (m := _WEEK.match(code)):
            return containing(kind, dt.date.fromisocalendar(int(m[1]), int(m[2]), 1))
        if kind == ReportKind.MONTHLY and (m := _MONTH.match(code)):
            return containing(kind, dt.date(int(m[1]), int(m[2]), 1))
    except ValueError as error:
        raise BadPeriod(code) from error
    raise BadPeriod(code)


def last_complete(kind: str, today: dt.date | None = None) -> Period:
    """The period a scheduled run reports on: last week (on Monday), last month (on the 1st)."""
    today = today or timezone.localdate()
    return containing(kind, today).previous()
