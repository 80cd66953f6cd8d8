"""`{% grid_hazards grid %}`: the hazard register's box on the grid page (overdue inspections,
open and overdue hazards), so geo need not import hazards. One query for the counts; a second
only when some inspection is overdue."""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from gridgov.geo.models import Area
from gridgov.hazards.choices import OPEN_HAZARD_STATUSES
from gridgov.hazards.models import Hazard, HazardSite

register = template.Library()


def _count(queryset: Any) -> Coalesce:
    counted = queryset.values("grid").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


@register.inclusion_tag("hazards/_grid_box.html", takes_context=True)
def grid_hazards(context: dict[str, Any], grid: Any) -> dict[str, Any]:
    user = context["request"].user
    now = timezone.now()
    today = timezone.localdate(now)
    sites = HazardSite.objects.visible_to(user).filter(grid=OuterRef("pk"))
    hazards = Hazard.objects.visible_to(user).filter(grid=OuterRef("pk"))
    counts = (
        Area.objects.filter(pk=grid.pk)
        .annotate(
            n_sites=_count(sites.filter(is_active=True)),
            n_sites_overdue=_count(sites.overdue(now)),
            n_hazards=_count(hazards),
            n_open=_count(hazards.filter(status__in=OPEN_HAZARD_STATUSES)),
            n_overdue=_count(
                hazards.filter(Q(status__in=OPEN_HAZARD_STATUSES), deadline__lt=today)
            ),
        )
        .values("n_sites", "n_sites_overdue", "n_hazards", "n_open", "n_overdue")
        .get()
    )
    overdue_sites: list[HazardSite] = []
    if counts["n_sites_overdue"]:
        overdue_sites = list(
            HazardSite.objects.visible_to(user)
            .filter(grid=grid)
            .overdue(now)
            .order_by("next_inspection_at", "name")[:10]
        )
    return {
        "shown": bool(counts["n_sites"] or counts["n_hazards"]),
        "overdue_sites": overdue_sites,
        "open_count": counts["n_open"],
        "overdue_count": counts["n_overdue"],
    }
