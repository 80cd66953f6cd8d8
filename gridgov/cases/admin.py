from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gridgov.accounts.admin_site import DutyAdmin
from gridgov.cases.models import Category

STEPS = ("accept", "dispatch", "claim", "handle")


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = [
            "code",
            "name",
            "parent",
            "standard_ref",
            "is_active",
            "default_level",
            "default_department",
            *(f"{step}_{part}" for step in STEPS for part in ("limit", "unit")),
            "yellow_percent",
            "red_percent",
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parent, code = data.get("parent"), data.get("code") or ""
        if parent is not None:
            if parent.parent_id is not None:
                self.add_error("parent", _("Categories have two levels: pick a top-level parent."))
            elif self.instance.pk and self.instance.children.exists():
                self.add_error("parent", _("This category has subcategories: it stays on top."))
            elif not code.startswith(parent.code):
                self.add_error(
                    "code",
                    _("A subcategory's code starts with its parent's code (%(code)s).")
                    % {"code": parent.code},
                )
        yellow, red = data.get("yellow_percent"), data.get("red_percent")
        if yellow and red and yellow >= red:
            self.add_error("red_percent", _("The red warning comes after the yellow one."))
        return data


@admin.register(Category)
class CategoryAdmin(DutyAdmin):
    """The system administrator's case categories (README): codes, names, handling defaults and
    time limits. Categories in use are switched off (active), never deleted."""

    form = CategoryForm
    list_display = ("code", "name", "parent", "default_level", "default_department", "is_active")
    list_filter = ("is_active", "default_level", "parent")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent", "default_department")
    list_select_related = ("parent", "default_department")
    fieldsets = (
        (None, {"fields": ("code", "name", "parent", "standard_ref", "is_active")}),
        (_("Handling"), {"fields": ("default_level", "default_department")}),
        (
            _("Time limits"),
            {
                "fields": (
                    ("accept_limit", "accept_unit"),
                    ("dispatch_limit", "dispatch_unit"),
                    ("claim_limit", "claim_unit"),
                    ("handle_limit", "handle_unit"),
                    ("yellow_percent", "red_percent"),
                )
            },
        ),
    )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # cases keep their category: untick "active" instead
