"""`{% talk_point_coverage grid %}`: the coverage card of the grid page (one grouped query)."""

from __future__ import annotations

from typing import Any

from django import template

from gridgov.accounts import scope
from gridgov.geo.models import Area
from gridgov.talkpoints import coverage

register = template.Library()


@register.inclusion_tag("talkpoints/_coverage.html", takes_context=True)
def talk_point_coverage(context: dict[str, Any], grid: Area) -> dict[str, Any]:
    assert grid.parent_id is not None
    per_grid = coverage.of_community_grids(grid.parent_id)
    user = context["request"].user
    return {
        "grid": grid,
        "grid_coverage": per_grid.get(grid.pk, coverage.Coverage(0, 0)),
        "community_coverage": sum(per_grid.values(), coverage.Coverage(0, 0)),
        "show_link": scope.covers(scope.talk_point_paths(user), grid.path),
    }
