"""Point → grid lookup with a shapely STRtree (domain.md §2).

`GridIndex` is pure (no database) so the benchmark can build one from generated polygons. The
module keeps one index per process and rebuilds it when the grids change: each lookup compares a
cheap fingerprint of the grid table (count and latest change time) with the one it was built from.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

import numpy as np
import shapely
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

from gridgov.geo.geometry import geometry_from_geojson


class GridIndex:
    """An immutable spatial index of grid polygons keyed by grid id."""

    def __init__(self, items: Iterable[tuple[int, BaseGeometry]]):
        pairs = sorted(items, key=lambda pair: pair[0])
        self.ids = np.array([pk for pk, _ in pairs], dtype=np.int64)
        self.geometries = np.array([geometry for _, geometry in pairs], dtype=object)
        shapely.prepare(self.geometries)
        self.tree = STRtree(self.geometries)

    def __len__(self) -> int:
        return len(self.ids)

    def find(self, lon: float, lat: float) -> int | None:
        """The id of the grid containing the point (boundary included), or None.

        When a point lies on a shared edge the grid with the lowest id wins, so the answer is
        stable.
        """
        hits = self.tree.query(shapely.Point(lon, lat), predicate="intersects")
        if len(hits) == 0:
            return None
        # Items are sorted by id, so the smallest position holds the lowest id.
        return int(self.ids[hits.min()])

    def find_many(self, lons: Any, lats: Any) -> np.ndarray:
        """Vectorised lookup: an array of grid ids, -1 where no grid contains the point."""
        points = shapely.points(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
        point_idx, geom_idx = self.tree.query(points, predicate="intersects")
        none = np.iinfo(np.int64).max
        result = np.full(len(points), none, dtype=np.int64)
        # For a point in several grids (on a shared edge) the lowest id wins, as in find().
        np.minimum.at(result, point_idx, self.ids[geom_idx])
        result[result == none] = -1
        return result


_lock = threading.Lock()
_cached: tuple[tuple[Any, ...], GridIndex] | None = None


def _fingerprint() -> tuple[Any, ...]:
    from django.db.models import Count, Max

    from gridgov.geo.models import Area

    stats = Area.objects.grids().aggregate(
        n=Count("id"), last_id=Max("id"), changed=Max("updated_at")
    )
    return (stats["n"], stats["last_id"], stats["changed"])


def current_index() -> GridIndex:
    """The process's index, rebuilt first if the grid table changed since it was built."""
    global _cached
    from gridgov.geo.models import Area

    fingerprint = _fingerprint()
    cached = _cached
    if cached is not None and cached[0] == fingerprint:
        return cached[1]
    with _lock:
        if _cached is not None and _cached[0] == fingerprint:
            return _cached[1]
        rows = Area.objects.grids().exclude(boundary=None).values_list("id", "boundary")
        index = GridIndex((pk, geometry_from_geojson(boundary)) for pk, boundary in rows)
        _cached = (fingerprint, index)
        return index


def grid_id_at(lat: float, lon: float) -> int | None:
    """The id of the grid containing (lat, lon) in WGS-84, or None."""
    return current_index().find(lon, lat)


def forget_index() -> None:
    """Drop the cached index (tests, whose rolled-back rows can repeat a fingerprint)."""
    global _cached
    _cached = None
