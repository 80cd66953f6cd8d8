from typing import Any

from django.core.checks import Tags, Warning, register
from django.db import DatabaseError
from django.utils import timezone


# A database check: run by `migrate` and by `gridgov check --database default`.
@register("gridgov", Tags.database)
def calendar_years_known(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """Warn when this year or next has no official holiday data (Monday–Friday is assumed)."""
    from gridgov.workdays.calendar import years_without_data

    if not kwargs.get("databases"):
        return []  # only when asked to look at a database (migrate, check --database)
    this_year = timezone.localdate().year
    try:
        missing = years_without_data([this_year, this_year + 1])
    except DatabaseError:
        return []  # not migrated yet
    return [
        Warning(
            f"The working-day calendar has no holiday data for {year}: Monday–Friday is assumed.",
            hint="Enter the State Council's holiday schedule in the admin (Working-day calendar).",
            id="gridgov.W001",
        )
        for year in missing
    ]
