"""Periods for figures: a day, week, month, quarter, year or a custom range of days.

A period is a half-open range of local calendar days `[start, end)` (TIME_ZONE, Asia/Shanghai).
`previous()` is the period of the same kind just before it (for a custom range: the same number
of days just before it), for period-on-period change (环比).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class PeriodKind(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"
    RANGE = "range"


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    """`[start, end)` in local days. Build one with the class methods or `Period.of(kind, day)`."""

    kind: PeriodKind
    start: dt.date
    end: dt.date  # exclusive

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError("a period ends after it starts")

    # -- constructors -------------------------------------------------------------------
    @classmethod
    def day(cls, day: dt.date) -> Period:
        return cls(PeriodKind.DAY, day, day + dt.timedelta(days=1))

    @classmethod
    def week(cls, day: dt.date) -> Period:
        """The Monday-to-Sunday week containing `day`."""
        start = day - dt.timedelta(days=day.weekday())
        return cls(PeriodKind.WEEK, start, start + dt.timedelta(days=7))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        start = dt.date(year, month, 1)
        return cls(PeriodKind.MONTH, start, _add_months(start, 1))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        start = dt.date(year, 3 * (quarter - 1) + 1, 1)
        return cls(PeriodKind.QUARTER, start, _add_months(start, 3))

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(PeriodKind.YEAR, dt.date(year, 1, 1), dt.date(year + 1, 1, 1))

    @classmethod
    def range(cls, first: dt.date, last: dt.date) -> Period:
        """A custom range from `first` to `last`, both included."""
        return cls(PeriodKind.RANGE, first, last + dt.timedelta(days=1))

    @classmethod
    def of(cls, kind: str, day: dt.date) -> Period:
        """The period of `kind` (not "range") that contains `day`."""
        match PeriodKind(kind):
            case PeriodKind.DAY:
                return cls.day(day)
            case PeriodKind.WEEK:
                return cls.week(day)
            case PeriodKind.MONTH:
                return cls.month(day.year, day.month)
            case PeriodKind.QUARTER:
                return cls.quarter(day.year, (day.month - 1) // 3 + 1)
            case PeriodKind.YEAR:
                return cls.year(day.year)
        raise ValueError("a range needs its first and last day")

    # -- navigation ---------------------------------------------------------------------
    @property
    def last(self) -> dt.date:
        """The last day included."""
        return self.end - dt.timedelta(days=1)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    def previous(self) -> Period:
        if self.kind in (PeriodKind.DAY, PeriodKind.WEEK, PeriodKind.RANGE):
            return Period(self.kind, self.start - dt.timedelta(days=self.days), self.start)
        return Period.of(self.kind, self.start - dt.timedelta(days=1))

    def next(self) -> Period:
        if self.kind in (PeriodKind.DAY, PeriodKind.WEEK, PeriodKind.RANGE):
            return Period(self.kind, self.end, self.end + dt.timedelta(days=self.days))
        return Period.of(self.kind, self.end)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day < self.end

    def __str__(self) -> str:
        if self.kind == PeriodKind.DAY:
            return self.start.isoformat()
        if self.kind == PeriodKind.MONTH:
            return f"{self.start:%Y-%m}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        if self.kind == PeriodKind.YEAR:
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.last.isoformat()}"
