from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from gridgov.accounts import scope
from gridgov.accounts.admin_site import DutyAdmin
from gridgov.hazards.models import HazardSite


@admin.register(HazardSite)
class HazardSiteAdmin(DutyAdmin):
    """Sites are set up by the system administrator of the area (hazards themselves change only
    through the register's actions)."""

    list_display = ("name", "kind", "grid", "responsible_party", "inspection_interval_days")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "address", "responsible_party")
    raw_id_fields = ("grid",)
    readonly_fields = ("last_inspected_at", "next_inspection_at")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        paths = scope.area_paths(request.user)  # type: ignore[arg-type]
        return HazardSite.objects.filter(scope.under(paths, "area_path"))
