from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gridgov.accounts.choices import Role
from gridgov.accounts.models import Membership
from gridgov.analytics.map_metrics import RATE_METRICS
from gridgov.analytics.metrics import CATALOGUE
from gridgov.cases.models import Category
from gridgov.core.models import get_visible_or_404
from gridgov.geo.models import Area
from gridgov.registry.models import Building, Household


@login_required
def map_page(request: HttpRequest) -> HttpResponse:
    grids = Area.objects.visible_to(request.user).grids().select_related("parent").order_by("code")
    return render(
        request,
        "geo/map.html",
        {
            "grids": grids[:200],
            "grid_count": grids.count(),
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "tile_crs": settings.MAP_TILE_CRS,
            "rate_metrics": [(key, CATALOGUE[key].label) for key in RATE_METRICS],
            "categories": Category.objects.active()
            .filter(parent__isnull=True)
            .order_by("code")
            .values("code", "name"),
        },
    )


@login_required
def grid_page(request: HttpRequest, code: str) -> HttpResponse:
    grid = get_visible_or_404(
        Area.objects.grids().select_related("parent__parent"), request.user, code=code
    )
    workers = (
        Membership.objects.filter(area=grid, role=Role.GRID_WORKER, is_active=True)
        .select_related("user")
        .order_by("user__full_name")
    )
    buildings = (
        Building.objects.visible_to(request.user)
        .filter(grid=grid)
        .annotate(
            n_units=Count("units", distinct=True),
            n_households=Count("units__houses__households", distinct=True),
        )
        .order_by("code")
    )
    households = (
        Household.objects.visible_to(request.user).filter(house__unit__building__grid=grid).count()
    )
    return render(
        request,
        "geo/grid.html",
        {
            "grid": grid,
            "workers": workers,
            "buildings": buildings,
            "household_count": households,
            "tile_url": settings.MAP_TILE_URL,
            "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
            "tile_crs": settings.MAP_TILE_CRS,
        },
    )
