"""Keep every building in the grid that contains it after grids are imported or redrawn."""

from __future__ import annotations

from gridgov.geo.lookup import current_index
from gridgov.registry.models import Building


def place_buildings(batch_size: int = 2000) -> int:
    """Re-derive the grid of every building; returns how many buildings changed grid."""
    index = current_index()
    rows = list(Building.objects.values_list("id", "lon", "lat", "grid_id"))
    if not rows or not len(index):
        return 0
    found = index.find_many([r[1] for r in rows], [r[2] for r in rows])
    changed = []
    for (pk, _lon, _lat, old), new in zip(rows, found, strict=True):
        grid_id = int(new) if new >= 0 else None
        if grid_id != old:
            changed.append(Building(pk=pk, grid_id=grid_id))
    Building.objects.bulk_update(changed, ["grid"], batch_size=batch_size)
    return len(changed)
