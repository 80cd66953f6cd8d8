from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _

from gridgov.accounts.admin_site import DutyAdmin
from gridgov.accounts.choices import Role
from gridgov.audit.log import record
from gridgov.registry.models import Building, House, Household, NeedToKnowGrant, Unit


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
    exclude = ("owner_name",)  # personal data: kept in the registry pages, not the system admin
    search_fields = ("number", "unit__building__name")
    list_select_related = ("unit__building",)
    autocomplete_fields = ("unit",)


@admin.register(Household)
class HouseholdAdmin(DutyAdmin):
    list_display = ("number", "house")
    search_fields = ("number",)
    list_select_related = ("house__unit__building",)
    autocomplete_fields = ("house",)


@admin.register(NeedToKnowGrant)
class NeedToKnowGrantAdmin(DutyAdmin):
    """Need-to-know grants for special groups: the security administrator's duty, audited."""

    duty = Role.SECURITY_ADMIN
    list_display = ("user", "group", "area", "reason", "granted_by", "expires_at", "revoked_at")
    list_filter = ("group", "revoked_at")
    list_select_related = ("user", "area", "granted_by")

    autocomplete_fields = ("user", "area")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoke instead: the grant's history stays

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Nobody changes a grant of their own (ADR 0003).
        own = obj is not None and obj.user_id == request.user.pk
        return not own and super().has_change_permission(request, obj)

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        acting = request.user

        class NoOwnGrantForm(form):  # type: ignore[valid-type, misc]
            def clean(self) -> Any:
                data = super().clean()
                if data.get("user") is not None and data["user"].pk == acting.pk:
                    raise forms.ValidationError(
                        _("Nobody grants access to themselves: ask another security administrator.")
                    )
                return data

        return NoOwnGrantForm

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)
        record(
            "registry.grant.update" if change else "registry.grant.create",
            obj=obj,
            object_repr=str(obj)[:200],
            detail={
                "user": obj.user.username,
                "group": obj.group,
                "area": obj.area.code,
                "reason": obj.reason,
                "revoked": obj.revoked_at is not None,
            },
        )
