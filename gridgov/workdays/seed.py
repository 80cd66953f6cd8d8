"""Seed the calendar from the `chinese-calendar` package for every year it knows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from gridgov.workdays.models import CalendarYear, DayOverride

CHINESE_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _name(value: object) -> str:
    text = str(value)
    return CHINESE_NAMES.get(text, text)


@transaction.atomic
def seed_from_chinese_calendar(
    year_model: Any = CalendarYear, day_model: Any = DayOverride
) -> list[int]:
    """Add the package's holidays and swapped working days; returns the years seeded.

    Rows already present (perhaps corrected by an administrator) are left as they are. The
    models are parameters so that the data migration can pass its historical ones.
    """
    import chinese_calendar

    overrides: dict[dt.date, tuple[bool, str]] = {}
    for day, name in chinese_calendar.holidays.items():
        if day.weekday() < 5:
            overrides[day] = (False, _name(name))
    for day, name in chinese_calendar.workdays.items():
        if day.weekday() >= 5:
            overrides[day] = (True, f"{_name(name)}调休")
    years = sorted({day.year for day in chinese_calendar.holidays})
    existing = set(day_model.objects.values_list("date", flat=True))
    day_model.objects.bulk_create(
        [
            day_model(date=day, is_workday=workday, name=name)
            for day, (workday, name) in sorted(overrides.items())
            if day not in existing
        ]
    )
    known = set(year_model.objects.values_list("year", flat=True))
    year_model.objects.bulk_create(
        [year_model(year=year, source="chinese-calendar") for year in years if year not in known]
    )
    return years
