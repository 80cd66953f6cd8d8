"""The metric settings in the admin: the system administrator's duty, every change audited
(DutyAdmin writes admin.create/admin.update audit rows)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from gridgov.accounts.admin_site import DutyAdmin
from gridgov.analytics.models import MetricSettings


@admin.register(MetricSettings)
class MetricSettingsAdmin(DutyAdmin):
    """One row: the list opens the row itself (made with the defaults if missing)."""

    fields = (
        "basic_counts_as_satisfied",
        "weight_response",
        "weight_resolution",
        "weight_satisfaction",
    )

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        if not self.has_view_permission(request):
            return super().changelist_view(request, extra_context)
        row, _ = MetricSettings.objects.get_or_create(pk=1)
        return HttpResponseRedirect(
            reverse(f"admin:{row._meta.app_label}_{row._meta.model_name}_change", args=[row.pk])
        )
