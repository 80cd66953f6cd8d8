from django.contrib import admin

from gridgov.accounts.admin_site import DutyAdmin
from gridgov.registry.models import Building, House, Household, Unit


class UnitInline(admin.TabularInline):
    model = Unit
    extra = 0


@admin.register(Building)
class BuildingAdmin(DutyAdmin):
    list_display = ("code", "name", "grid", "floors", "address")
    list_filter = ("grid",)
    search_fields = ("code", "name", "address")
    list_select_related = ("grid",)
    readonly_fields = ("grid",)
    inlines = (UnitInline,)


@admin.register(Unit)
class UnitAdmin(DutyAdmin):
    list_display = ("building", "number")
    search_fields = ("building__name", "building__code")
    list_select_related = ("building",)
    autocomplete_fields = ("building",)


@admin.register(House)
class HouseAdmin(DutyAdmin):
    list_display = ("unit", "floor", "number", "use", "is_rented")
    list_filter = ("use", "is_rented")
    search_fields = ("number", "unit__building__name")
    list_select_related = ("unit__building",)
    autocomplete_fields = ("unit",)


@admin.register(Household)
class HouseholdAdmin(DutyAdmin):
    list_display = ("number", "house")
    search_fields = ("number",)
    list_select_related = ("house__unit__building",)
    autocomplete_fields = ("house",)
