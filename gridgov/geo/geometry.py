"""GeoJSON ⇄ shapely for grid boundaries, with the checks an import needs.

Coordinates are WGS-84 longitude, latitude (GeoJSON order). Conversion to GCJ-02 or BD-09 for a
Chinese web map happens only at the map edge, never here.
"""

from __future__ import annotations

import math
from typing import Any

import shapely
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape
from shapely.geometry.base import BaseGeometry

POLYGON_TYPES = ("Polygon", "MultiPolygon")
# China's extent, loosely: used only to recognise latitude/longitude given in the wrong order.
_CHINA_LON = (73.0, 136.0)
_CHINA_LAT = (3.0, 54.0)


class GeometryProblem(ValueError):
    """A boundary that cannot be used, with a message fit for the user."""


def geometry_from_geojson(geojson: Any) -> BaseGeometry:
    """Parse and check a GeoJSON Polygon/MultiPolygon; raise GeometryProblem if unusable."""
    if not isinstance(geojson, dict) or geojson.get("type") not in POLYGON_TYPES:
        raise GeometryProblem(_("the geometry is not a Polygon or MultiPolygon"))
    try:
        geometry = shape(geojson)
    except (
        ValueError,
        TypeError,
        AttributeError,
        IndexError,
        KeyError,
        shapely.errors.ShapelyError,
    ):
        raise GeometryProblem(_("the polygon coordinates are malformed")) from None
    if geometry.is_empty:
        raise GeometryProblem(_("the polygon is empty"))
    min_x, min_y, max_x, max_y = geometry.bounds
    if not all(math.isfinite(v) for v in (min_x, min_y, max_x, max_y)):
        raise GeometryProblem(_("the polygon has coordinates that are not numbers"))
    if min_x < -180 or max_x > 180 or min_y < -90 or max_y > 90:
        if _CHINA_LAT[0] <= min_x and max_x <= _CHINA_LAT[1] and _CHINA_LON[0] <= min_y:
            raise GeometryProblem(
                _("the coordinates look like latitude, longitude; GeoJSON needs longitude first")
            )
        raise GeometryProblem(_("the coordinates are outside longitude/latitude range (WGS-84)"))
    if not geometry.is_valid:
        reason = shapely.is_valid_reason(geometry)
        raise GeometryProblem(_("the ring is invalid: %(reason)s") % {"reason": reason})
    if geometry.area == 0:
        raise GeometryProblem(_("the polygon has no area"))
    return geometry


def geojson_from_geometry(geometry: BaseGeometry) -> dict[str, Any]:
    """Plain JSON (lists, not tuples), coordinates rounded to 7 decimals (about 1 cm)."""
    rounded = shapely.set_precision(geometry, 1e-7)
    data = mapping(rounded)
    return {"type": data["type"], "coordinates": _lists(data["coordinates"])}


def _lists(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_lists(v) for v in value]
    return value
