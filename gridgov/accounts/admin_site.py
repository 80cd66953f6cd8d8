"""The Django admin, split by the three administrator duties (三权分立, domain.md §8).

Nobody gets in through `is_staff`: a user enters the admin through an administrator membership,
and each model page belongs to exactly one duty. The system administrator manages the area tree,
places and organisations; the security administrator manages accounts and who holds which role;
the audit administrator reviews the audit log. A superuser (bootstrap only) may open the admin
site and nothing more; administrator duties are granted by `gridgov grant-admin-duty`.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from gridgov.accounts import scope
from gridgov.accounts.choices import ADMIN_ROLES, Role


class GridGovAdminSite(admin.AdminSite):
    site_header = _("GridGov administration")
    site_title = _("GridGov")
    index_title = _("Administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(user.is_active and (user.is_superuser or user.roles & ADMIN_ROLES))

    def login(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        """One login page for the whole product; signed-in users without a duty get 403."""
        next_url = request.GET.get("next", "")
        if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            next_url = ""
        next_url = next_url or reverse("admin:index", current_app=self.name)
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect(next_url)
            raise PermissionDenied
        return redirect_to_login(next_url)


class DutyAdmin(admin.ModelAdmin):
    """A model page that belongs to one administrator duty and is scoped by `visible_to`."""

    duty: str = Role.SYSTEM_ADMIN
    # Other duties that may look (read-only), e.g. to pick an area when granting a role.
    viewers: tuple[str, ...] = ()

    def _has(self, request: HttpRequest, *roles: str) -> bool:
        # No superuser bypass: a superuser opens the admin site and no model page (ADR 0003).
        user = request.user
        return bool(user.is_active and user.has_role(*roles))

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

    # Every change made in the admin also goes to the audit log.
    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        _audit("admin.create", obj, message)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        _audit("admin.update", obj, message)
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet) -> Any:
        for obj in queryset:
            _audit("admin.delete", obj, "")
        return super().log_deletions(request, queryset)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        queryset = super().get_queryset(request)
        if hasattr(queryset, "visible_to"):
            queryset = queryset.visible_to(request.user)
        return queryset


def _audit(action: str, obj: Model, message: Any) -> None:
    from gridgov.audit.log import record

    record(
        action,
        obj=obj,
        object_repr=str(obj)[:200],
        detail={"change": message if isinstance(message, (list, str)) else str(message)},
    )


def scoped_for_duty(queryset: QuerySet, request: HttpRequest, base: Any) -> QuerySet:
    """For a security administrator, who has no area access, the reference rows of their
    administrative area (to pick when granting roles); for everyone else, `queryset` as is."""
    user = request.user
    if not user.has_role(Role.SECURITY_ADMIN):  # type: ignore[union-attr]
        return queryset
    paths = scope.role_paths(user, {Role.SECURITY_ADMIN})  # type: ignore[arg-type]
    field = "path" if base.model._meta.model_name == "area" else "area__path"
    return queryset | base.filter(scope.under(paths, field))
