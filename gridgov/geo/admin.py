from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gridgov.accounts.admin_site import DutyAdmin, scoped_for_duty
from gridgov.accounts.choices import Role
from gridgov.geo.models import FROZEN_MESSAGE, Area, Grid, MapFeature


@admin.register(Area)
class AreaAdmin(DutyAdmin):
    viewers = (Role.SECURITY_ADMIN,)
    list_display = ("code", "name", "kind", "parent")
    list_filter = ("kind",)
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)
    fields = ("kind", "code", "name", "parent", "boundary")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Frozen once saved (Area.FROZEN_FIELDS, ADR 0011): paths and cases hang on them.
        return ("kind", "code", "parent") if obj is not None else ()

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return _explained(super().get_fieldsets(request, obj), obj)

    def get_queryset(self, request: HttpRequest) -> Any:
        return scoped_for_duty(super().get_queryset(request), request, Area.objects)


@admin.register(Grid)
class GridAdmin(DutyAdmin):
    list_display = ("code", "name", "parent", "building_count")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    list_select_related = ("parent",)
    fields = ("code", "name", "parent", "boundary")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("code", "parent") if obj is not None else ()

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return _explained(super().get_fieldsets(request, obj), obj)

    def get_queryset(self, request: HttpRequest) -> Any:
        from django.db.models import Count

        queryset: Any = super().get_queryset(request)
        return queryset.grids().annotate(n_buildings=Count("buildings"))

    @admin.display(description=_("buildings"), ordering="n_buildings")
    def building_count(self, obj: Any) -> int:
        return obj.n_buildings


def _explained(fieldsets: Any, obj: Any) -> Any:
    """On a saved area, say why its level, code and parent cannot be edited."""
    if obj is None:
        return fieldsets
    (name, options), *rest = fieldsets
    return [(name, {**options, "description": FROZEN_MESSAGE}), *rest]


@admin.register(MapFeature)
class MapFeatureAdmin(DutyAdmin):
    """Base-map features (roads, water, footprints): the system administrator's reference data."""

    list_display = ("kind", "name", "area")
    list_filter = ("kind",)
    search_fields = ("name", "area__name")
    autocomplete_fields = ("area",)
    list_select_related = ("area",)
    fields = ("area", "kind", "name", "geometry")
