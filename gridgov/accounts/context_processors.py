"""Navigation entries for the signed-in user's roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gridgov.accounts import scope
from gridgov.accounts.choices import ADMIN_ROLES, Role


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": []}
    from gridgov.accounts.two_factor import requires_two_factor

    if requires_two_factor(user) and not user.is_verified():  # type: ignore[attr-defined]
        return {"nav_items": []}  # nothing is reachable before the second step
    items = [("home", reverse("home"), _("Home"))]
    if user.roles - {Role.SECURITY_ADMIN, Role.AUDIT_ADMIN, Role.SYSTEM_ADMIN}:
        items.append(("cases", reverse("cases:workbench"), _("Cases")))
    if user.has_role(Role.GRID_WORKER, Role.COMMUNITY_STAFF, Role.STREET_DISPATCHER, Role.LEADER):
        items.append(("patrols", reverse("patrols:today"), _("Patrols")))
    if scope.role_paths(user, scope.CASE_AREA_ROLES):
        items.append(("dashboard", reverse("analytics:dashboard"), _("Dashboard")))
    if scope.area_paths(user) or user.has_role(Role.RESIDENT):
        items.append(("notices", reverse("notices:list"), _("Notices")))
    if scope.area_paths(user):
        items.append(("map", reverse("geo:map"), _("Map")))
    if scope.talk_point_paths(user):
        items.append(("talkpoints", reverse("talkpoints:list"), _("Talk points")))
    if scope.hazard_paths(user):
        items.append(("hazards", reverse("hazards:list"), _("Hazards")))
    if user.has_role(Role.MEDIATOR, Role.JUDICIAL_OFFICER, Role.GRID_WORKER):
        from gridgov.mediation.workbench import nav_label

        items.append(("mediation", reverse("mediation:workbench"), nav_label(user)))
    if scope.report_paths(user):
        items.append(("reports", reverse("reports:list"), _("Reports")))
    if scope.registry_paths(user):
        items.append(("registry", reverse("registry:people"), _("Residents")))
    if user.has_role(Role.AUDIT_ADMIN):
        items.append(("audit", reverse("audit:log"), _("Audit log")))
    if user.is_superuser or user.roles & ADMIN_ROLES:
        items.append(("admin", reverse("admin:index"), _("Administration")))
    return {"nav_items": items}
