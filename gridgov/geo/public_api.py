"""What the anonymous report page needs to place a problem: grid outlines and the buildings of a
community. Neither is personal data (grid boards are public), so these lists are open to anyone,
read-only, paged, and limited per client address by the API's anonymous throttle. They carry no
worker names, counts or links: code, name and shape only.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny

from gridgov.core.geojson import FeaturePagination
from gridgov.geo.api import BBOX_PARAMETER, grids_in_bbox
from gridgov.geo.choices import AreaKind
from gridgov.geo.models import Area
from gridgov.geo.serializers import PublicBuildingSerializer, PublicGridFeatureSerializer
from gridgov.registry.models import Building, Unit


@extend_schema(parameters=[BBOX_PARAMETER])
class PublicGridFeatures(generics.ListAPIView):
    """All grid outlines as a GeoJSON FeatureCollection (code, name, geometry; paged)."""

    serializer_class = PublicGridFeatureSerializer
    pagination_class = FeaturePagination
    permission_classes = [AllowAny]
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Area]:
        queryset = Area.objects.grids().order_by("code")
        return grids_in_bbox(queryset, self.request)


@extend_schema(
    parameters=[
        OpenApiParameter("community", OpenApiTypes.INT, required=True, description="community id")
    ]
)
class PublicBuildings(generics.ListAPIView):
    """The buildings of one community (id, code, name), for the report form's building list."""

    serializer_class = PublicBuildingSerializer
    permission_classes = [AllowAny]
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Building]:
        raw = self.request.query_params.get("community", "")
        if not raw.isdigit() or len(raw) > 18:
            raise ValidationError({"community": [_("Choose a community from the list.")]})
        community = Area.objects.filter(pk=int(raw), kind=AreaKind.COMMUNITY).first()
        if community is None:
            return Building.objects.none()
        units = Prefetch("units", queryset=Unit.objects.only("id", "number", "building_id"))
        return (
            Building.objects.filter(grid__parent=community)
            .only("id", "code", "name")
            .prefetch_related(units)
            .order_by("code")
        )
