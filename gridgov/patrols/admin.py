from django.contrib import admin

from gridgov.accounts.admin_site import DutyAdmin
from gridgov.patrols.models import Checkpoint, PatrolPlan


class CheckpointInline(admin.TabularInline):
    model = Checkpoint
    extra = 1
    fields = ("position", "kind", "name", "unit", "lat", "lon", "radius_m")
    raw_id_fields = ("unit",)


@admin.register(PatrolPlan)
class PatrolPlanAdmin(DutyAdmin):
    """Patrol plans are set up by the system administrator (with the community's list)."""

    list_display = ("grid", "worker", "rounds_per_day", "starts_on", "ends_on", "is_active")
    list_filter = ("is_active",)
    raw_id_fields = ("worker", "grid")
    inlines = [CheckpointInline]
