"""The Django admin, split by the three administrator duties (三权分立, domain.md §8).

Nobody gets in through `is_staff`: a user enters the admin through an administrator membership,
and each model page belongs to exactly one duty. The system administrator manages the area tree,
places and organisations; the security administrator manages accounts and who holds which role;
the audit administrator reviews the audit log. Superusers (bootstrap only) see everything.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from gridgov.accounts.choices import ADMIN_ROLES, Role


class GridGovAdminSite(admin.AdminSite):
    site_header = _("GridGov administration")
    site_title = _("GridGov")
    index_title = _("Administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active and (user.is_superuser or user.roles & ADMIN_ROLES)  # type: ignore[union-attr]
        )

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        # One login page for the whole product.
        return redirect_to_login(request.get_full_path())


class DutyAdmin(admin.ModelAdmin):
    """A model page that belongs to one administrator duty and is scoped by `visible_to`."""

    duty: str = Role.SYSTEM_ADMIN
    # Other duties that may look (read-only), e.g. to pick an area when granting a role.
    viewers: tuple[str, ...] = ()

    def _has(self, request: HttpRequest, *roles: str) -> bool:
        user = request.user
        return bool(user.is_active and (user.is_superuser or user.has_role(*roles)))  # type: ignore[union-attr]

    def _on_duty(self, request: HttpRequest) -> bool:
        return self._has(request, self.duty)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._on_duty(request)

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._has(request, self.duty, *self.viewers)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._on_duty(request)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._on_duty(request)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._on_duty(request)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(request.user)
        return queryset
