"""The demo community's base map: roads, the Hailan River (海兰河) and building footprints.

Generated, not surveyed: streets along the block's lattice, a river meandering along its south
edge, and a slab footprint around each building's point. Stored as `geo.MapFeature` rows so the
map draws them under the grids when no tile server is set (ADR 0018).
"""

from __future__ import annotations

import math

from shapely.geometry import LineString, Polygon, mapping

from gridgov.geo.choices import MapFeatureKind
from gridgov.geo.models import Area, MapFeature
from gridgov.registry.models import Building

from . import layout

EAST_WEST_ROADS = ["滨河路", "新华街", "龙门街", "光明街"]  # south to north
NORTH_SOUTH_ROADS = ["海兰路", "六道街", "中心街", "东山路"]  # west to east
MARGIN = 0.0015  # roads run this far beyond the block


def _geometry(shape: LineString | Polygon) -> dict:
    """A GeoJSON geometry with coordinates rounded to ~0.1 m (lists, not tuples: JSON)."""
    data = mapping(shape)
    if data["type"] == "LineString":
        coords = [[round(x, 6), round(y, 6)] for x, y in data["coordinates"]]
    else:
        coords = [[[round(x, 6), round(y, 6)] for x, y in ring] for ring in data["coordinates"]]
    return {"type": data["type"], "coordinates": coords}


def _roads() -> list[tuple[str, LineString]]:
    west = layout.ORIGIN_LON - MARGIN
    east = layout.ORIGIN_LON + layout.COLS * layout.CELL_LON + MARGIN
    south = layout.ORIGIN_LAT - MARGIN / 2
    north = layout.ORIGIN_LAT + layout.ROWS * layout.CELL_LAT + MARGIN
    roads = []
    for k, name in enumerate(EAST_WEST_ROADS):
        lat = layout.ORIGIN_LAT + k * layout.CELL_LAT
        roads.append((name, LineString([(west, lat), (east, lat)])))
    for k, name in enumerate(NORTH_SOUTH_ROADS):
        lon = layout.ORIGIN_LON + k * layout.CELL_LON
        roads.append((name, LineString([(lon, south), (lon, north)])))
    return roads


def _river() -> Polygon:
    """A meander south of the block, about 60 m wide."""
    points = []
    west = layout.ORIGIN_LON - 0.006
    east = layout.ORIGIN_LON + layout.COLS * layout.CELL_LON + 0.006
    for i in range(41):
        lon = west + (east - west) * i / 40
        lat = layout.ORIGIN_LAT - 0.0016 + 0.0006 * math.sin(i / 40 * 3 * math.pi)
        points.append((lon, lat))
    return LineString(points).buffer(0.00028, cap_style="flat").simplify(0.00002)


def _footprint(lon: float, lat: float, index: int) -> Polygon:
    """A residential slab of about 55 m × 14 m, some turned a little."""
    half_lon, half_lat = 0.00033, 0.00006
    angle = (index % 3 - 1) * 0.12
    corners = [(-half_lon, -half_lat), (half_lon, -half_lat), (half_lon, half_lat)]
    corners.append((-half_lon, half_lat))
    return Polygon(
        [
            (lon + x * math.cos(angle) - y * math.sin(angle), lat + x * math.sin(angle) + y)
            for x, y in corners
        ]
    )


def seed_basemap(community_code: str) -> int:
    """Write the community's base-map features once; returns how many were made."""
    community = Area.objects.get(code=community_code)
    if MapFeature.objects.filter(area=community).exists():
        return 0
    rows = [
        MapFeature(area=community, kind=MapFeatureKind.ROAD, name=name, geometry=_geometry(line))
        for name, line in _roads()
    ]
    rows.append(
        MapFeature(
            area=community, kind=MapFeatureKind.WATER, name="海兰河", geometry=_geometry(_river())
        )
    )
    buildings = Building.objects.filter(grid__parent=community).select_related("grid")
    for index, building in enumerate(buildings.order_by("code")):
        if building.lon is None or building.lat is None:
            continue
        rows.append(
            MapFeature(
                area=building.grid or community,
                kind=MapFeatureKind.BUILDING,
                name=building.name,
                geometry=_geometry(_footprint(building.lon, building.lat, index)),
            )
        )
    for row in rows:  # save() fills the bounding box; a few dozen rows
        row.save()
    return len(rows)
