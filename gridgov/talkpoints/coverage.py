"""Coverage: building units with an active talk point / all building units (domain.md §4).

Counted per grid in one grouped query over units; a community's figure is the sum of its
grids' (a unit shared by two active talk points counts once).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from gridgov.geo.models import Area
from gridgov.registry.models import Unit


@dataclass(frozen=True)
class Coverage:
    """Covered units out of all units of an area."""

    covered: int
    total: int

    @property
    def percent(self) -> int | None:
        """Whole per cent, rounded down so "100%" means every unit; None without units."""
        if self.total == 0:
            return None
        return self.covered * 100 // self.total

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.covered == self.total

    def __add__(self, other: Coverage) -> Coverage:
        return Coverage(self.covered + other.covered, self.total + other.total)


def by_grid(grids: list[Area]) -> dict[int, Coverage]:
    """Coverage of each grid (by id); a grid without units has 0 / 0."""
    found = _grouped(Unit.objects.filter(building__grid__in=grids))
    return {grid.pk: found.get(grid.pk, Coverage(0, 0)) for grid in grids}


def of_community_grids(community_id: int) -> dict[int, Coverage]:
    """Coverage of each grid of a community that has units, in one query (the grid page)."""
    return _grouped(Unit.objects.filter(building__grid__parent_id=community_id))


def _grouped(units: QuerySet[Unit]) -> dict[int, Coverage]:
    rows = (
        units.values("building__grid")
        .annotate(
            total=Count("pk", distinct=True),
            covered=Count("pk", filter=Q(talk_points__is_active=True), distinct=True),
        )
        .order_by()
    )
    return {row["building__grid"]: Coverage(row["covered"], row["total"]) for row in rows}


def of_areas(grids: list[Area]) -> Coverage:
    """The coverage of several grids together (a community's, a street's)."""
    return sum(by_grid(grids).values(), Coverage(0, 0))
