from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.accounts.admin_site import DutyAdmin
from gridgov.workdays.calendar import years_without_data
from gridgov.workdays.models import CalendarYear, DayOverride


class MissingYearWarning:
    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> Any:
        year = timezone.localdate().year
        for missing in years_without_data([year, year + 1]):
            messages.warning(
                request,
                _(
                    "No holiday data for %(year)s: Monday–Friday is assumed. Enter the State "
                    "Council's schedule and then mark the year as entered."
                )
                % {"year": missing},
            )
        return super().changelist_view(request, extra_context)  # type: ignore[misc]


@admin.register(CalendarYear)
class CalendarYearAdmin(MissingYearWarning, DutyAdmin):
    list_display = ("year", "source", "updated_at")


@admin.register(DayOverride)
class DayOverrideAdmin(MissingYearWarning, DutyAdmin):
    list_display = ("date", "is_workday", "name")
    list_filter = ("is_workday",)
    date_hierarchy = "date"
    search_fields = ("name",)
