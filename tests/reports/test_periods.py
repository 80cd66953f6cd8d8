"""Report periods: ISO weeks across a year's end, months, the previous period, bad codes."""

from __future__ import annotations

import datetime as dt

import pytest

from gridgov.reports.periods import BadPeriod, last_complete, parse


@pytest.mark.parametrize(
    ("kind", "code", "first", "last", "previous"),
    [
        ("weekly", "2026-W47", "2026-11-16", "2026-11-22", "2026-W46"),
        ("weekly", "2026-W01", "2025-12-29", "2026-01-04", "2025-W52"),
        ("weekly", "2026-W53", "2026-12-28", "2027-01-03", "2026-W52"),  # 2026 has 53 weeks
        ("monthly", "2026-11", "2026-11-01", "2026-11-30", "2026-10"),
        ("monthly", "2026-01", "2026-01-01", "2026-01-31", "2025-12"),
        ("monthly", "2028-02", "2028-02-01", "2028-02-29", "2028-01"),
    ],
)
def test_periods(kind, code, first, last, previous):
    period = parse(kind, code)
    assert (period.first_day.isoformat(), period.last_day.isoformat()) == (first, last)
    assert period.previous().code == previous
    assert period.code == code
    assert (period.end - period.start).days == len(period.days)


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("weekly", "2025-W53"),  # 2025 has 52 ISO weeks
        ("weekly", "2026-11"),
        ("monthly", "2026-13"),
        ("monthly", "2026-W47"),
        ("monthly", ""),
        ("yearly", "2026"),
    ],
)
def test_bad_periods_are_refused(kind, code):
    with pytest.raises(BadPeriod):
        parse(kind, code)


def test_the_scheduled_run_reports_on_the_last_complete_period():
    monday = dt.date(2026, 11, 23)
    assert last_complete("weekly", monday).code == "2026-W47"
    assert last_complete("monthly", dt.date(2026, 12, 1)).code == "2026-11"
    assert last_complete("monthly", dt.date(2026, 1, 1)).code == "2025-12"
