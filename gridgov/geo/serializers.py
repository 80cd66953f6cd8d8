from typing import Any

from django.urls import reverse
from rest_framework import serializers

from gridgov.geo.models import Area


class AreaSerializer(serializers.ModelSerializer):
    parent_code = serializers.CharField(
        source="parent.code", default=None, allow_null=True, read_only=True
    )

    class Meta:
        model = Area
        fields = ["id", "kind", "code", "name", "parent_code", "centre_lat", "centre_lon"]


class _GridProperties(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    community = serializers.CharField(allow_null=True)
    buildings = serializers.IntegerField()
    workers = serializers.ListField(child=serializers.CharField())
    url = serializers.CharField()


class _BuildingProperties(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    grid = serializers.CharField(allow_null=True)
    units = serializers.IntegerField()
    floors = serializers.IntegerField()


class _Feature(serializers.Serializer):
    """GeoJSON Feature; the declared fields describe it in the OpenAPI document."""

    type = serializers.ChoiceField(choices=["Feature"])
    id = serializers.CharField()
    geometry = serializers.JSONField()


class GridFeatureSerializer(_Feature):
    """A grid as a GeoJSON Feature: boundary geometry plus what the map popup shows."""

    properties = _GridProperties()

    def to_representation(self, grid: Any) -> dict[str, Any]:
        return {
            "type": "Feature",
            "id": grid.code,
            "geometry": grid.boundary,
            "properties": {
                "code": grid.code,
                "name": grid.name,
                "community": grid.parent.name if grid.parent_id else None,
                "buildings": grid.n_buildings,
                "workers": grid.worker_names,
                "url": reverse("geo:grid", args=[grid.code]),
            },
        }


class BuildingFeatureSerializer(_Feature):
    """A building as a GeoJSON Point Feature."""

    properties = _BuildingProperties()

    def to_representation(self, building: Any) -> dict[str, Any]:
        return {
            "type": "Feature",
            "id": building.code,
            "geometry": {"type": "Point", "coordinates": [building.lon, building.lat]},
            "properties": {
                "code": building.code,
                "name": building.name,
                "grid": building.grid.code if building.grid_id else None,
                "units": building.n_units,
                "floors": building.floors,
            },
        }


class _PublicGridProperties(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class PublicGridFeatureSerializer(_Feature):
    """A grid outline for anyone: code, name and boundary, nothing about who works there."""

    properties = _PublicGridProperties()

    def to_representation(self, grid: Any) -> dict[str, Any]:
        return {
            "type": "Feature",
            "id": grid.code,
            "geometry": grid.boundary,
            "properties": {"code": grid.code, "name": grid.name},
        }


class PublicUnitSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()


class PublicBuildingSerializer(serializers.Serializer):
    """A building as the report form lists it, with its units (numbers only: no people)."""

    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    units = PublicUnitSerializer(many=True, read_only=True)


class _MapFeatureProperties(serializers.Serializer):
    kind = serializers.CharField()
    name = serializers.CharField()


class MapFeatureSerializer(_Feature):
    """A base-map feature (road, water, building footprint) as a GeoJSON Feature."""

    properties = _MapFeatureProperties()

    def to_representation(self, feature: Any) -> dict[str, Any]:
        return {
            "type": "Feature",
            "id": str(feature.pk),
            "geometry": feature.geometry,
            "properties": {"kind": feature.kind, "name": feature.name},
        }
