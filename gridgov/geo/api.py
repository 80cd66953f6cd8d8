from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from gridgov.accounts.choices import Role
from gridgov.accounts.models import Membership
from gridgov.core.geojson import FeaturePagination, parse_bbox
from gridgov.geo.models import Area, MapFeature
from gridgov.geo.serializers import (
    AreaSerializer,
    BuildingFeatureSerializer,
    GridFeatureSerializer,
    MapFeatureSerializer,
)
from gridgov.registry.models import Building

BBOX_PARAMETER = OpenApiParameter(
    "bbox", OpenApiTypes.STR, description="min_lon,min_lat,max_lon,max_lat (WGS-84)"
)


def _bbox(request: Request) -> tuple[float, float, float, float] | None:
    try:
        return parse_bbox(request.query_params.get("bbox"))
    except ValueError as error:
        raise ValidationError({"bbox": [str(error)]}) from None


def grids_in_bbox(queryset: QuerySet[Area], request: Request) -> QuerySet[Area]:
    """The grids whose bounding box meets the requested `bbox`, if one is given."""
    bbox = _bbox(request)
    if not bbox:
        return queryset
    min_lon, min_lat, max_lon, max_lat = bbox
    return queryset.filter(
        max_lon__gte=min_lon, min_lon__lte=max_lon, max_lat__gte=min_lat, min_lat__lte=max_lat
    )


class AreaList(generics.ListAPIView):
    """Areas the caller may see, filterable by level and parent code."""

    serializer_class = AreaSerializer
    filterset_fields = {"kind": ["exact"], "parent__code": ["exact"], "code": ["exact"]}

    def get_queryset(self) -> QuerySet[Area]:
        return Area.objects.visible_to(self.request.user).select_related("parent")


@extend_schema(parameters=[BBOX_PARAMETER])
class GridFeatures(generics.ListAPIView):
    """The caller's visible grids as a GeoJSON FeatureCollection (paged; follow `next`)."""

    serializer_class = GridFeatureSerializer
    pagination_class = FeaturePagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Area]:
        workers = Prefetch(
            "memberships",
            queryset=Membership.objects.filter(role=Role.GRID_WORKER, is_active=True)
            .select_related("user")
            .order_by("user__full_name"),
            to_attr="worker_memberships",
        )
        queryset = (
            Area.objects.visible_to(self.request.user)
            .grids()
            .select_related("parent")
            .annotate(n_buildings=Count("buildings"))
            .prefetch_related(workers)
            .order_by("code")
        )
        return grids_in_bbox(queryset, self.request)

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        for grid in page or []:
            grid.worker_names = [str(m.user) for m in grid.worker_memberships]
        return page


@extend_schema(
    parameters=[
        BBOX_PARAMETER,
        OpenApiParameter("grid", OpenApiTypes.STR, description="grid code"),
    ]
)
class BuildingFeatures(generics.ListAPIView):
    """The caller's visible buildings as GeoJSON Points (paged; follow `next`)."""

    serializer_class = BuildingFeatureSerializer
    pagination_class = FeaturePagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Building]:
        queryset = (
            Building.objects.visible_to(self.request.user)
            .select_related("grid")
            .annotate(n_units=Count("units"))
            .order_by("code")
        )
        bbox = _bbox(self.request)
        if bbox:
            min_lon, min_lat, max_lon, max_lat = bbox
            queryset = queryset.filter(
                lon__gte=min_lon, lon__lte=max_lon, lat__gte=min_lat, lat__lte=max_lat
            )
        if grid := self.request.query_params.get("grid"):
            queryset = queryset.filter(grid__code=grid)
        return queryset


@extend_schema(parameters=[BBOX_PARAMETER])
class BaseMapFeatures(generics.ListAPIView):
    """Roads, water and building footprints of the caller's areas (paged; follow `next`).

    The map draws them under the grids when no tile server is configured.
    """

    serializer_class = MapFeatureSerializer
    pagination_class = FeaturePagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[MapFeature]:
        queryset = MapFeature.objects.visible_to(self.request.user).order_by("kind", "pk")
        bbox = _bbox(self.request)
        if bbox:
            min_lon, min_lat, max_lon, max_lat = bbox
            queryset = queryset.filter(
                max_lon__gte=min_lon,
                min_lon__lte=max_lon,
                max_lat__gte=min_lat,
                min_lat__lte=max_lat,
            )
        return queryset
