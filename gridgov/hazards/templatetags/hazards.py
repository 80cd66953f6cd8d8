"""`{% grid_hazards grid %}`: the hazard register's box on the grid page (overdue inspections,
open and overdue hazards), so geo need not import hazards."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from gridgov.hazards.models import Hazard, HazardSite

register = template.Library()


@register.inclusion_tag("hazards/_grid_box.html", takes_context=True)
def grid_hazards(context: dict[str, Any], grid: Any) -> dict[str, Any]:
    user = context["request"].user
    now = timezone.now()
    sites = HazardSite.objects.visible_to(user).filter(grid=grid)
    hazards = Hazard.objects.visible_to(user).filter(grid=grid)
    return {
        "shown": hazards.exists() or sites.exists(),
        "overdue_sites": list(sites.overdue(now).order_by("next_inspection_at", "name")[:10]),
        "open_count": hazards.open().count(),
        "overdue_count": hazards.overdue(timezone.localdate(now)).count(),
    }
