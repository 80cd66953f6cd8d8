"""Import grid boundaries from a GeoJSON FeatureCollection.

The whole file is checked before anything is written; any problem refuses the whole file with
one message per problem naming the feature. A feature needs a Polygon/MultiPolygon geometry and
`code` and `name` properties. A code of 1–3 digits is taken as the grid's number within the
community and prefixed with the community code (community 222405001001 + "7" → 222405001001007).
A code that already exists in the community updates that grid's name and boundary.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from shapely import STRtree
from shapely.geometry.base import BaseGeometry

from gridgov.geo.choices import AreaKind
from gridgov.geo.geometry import GeometryProblem, geojson_from_geometry, geometry_from_geojson
from gridgov.geo.models import Area


class GridImportError(Exception):
    """The file was refused; `problems` lists every reason, each naming its feature."""

    def __init__(self, problems: list[str]):
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass
class GridFeature:
    number: int  # 1-based position in the file, for messages
    code: str
    name: str
    geometry: BaseGeometry

    @property
    def label(self) -> str:
        return _("feature %(number)s (code %(code)s)") % {"number": self.number, "code": self.code}


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)


def import_grids(raw: bytes | str, *, community: Area) -> ImportResult:
    """Check the file, then create or update the community's grids in one transaction."""
    if community.kind != AreaKind.COMMUNITY:
        raise GridImportError([_("Grids can only be imported into a community.")])
    features = _read_features(raw, community)
    _check_codes(features, community)
    _check_overlaps(features, community)
    return _write(features, community)


def _read_features(raw: bytes | str, community: Area) -> list[GridFeature]:
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        raise GridImportError([_("The file is not UTF-8 text.")]) from None
    except json.JSONDecodeError as error:
        raise GridImportError(
            [
                _("The file is not valid JSON (line %(line)s, column %(column)s).")
                % {"line": error.lineno, "column": error.colno}
            ]
        ) from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise GridImportError([_("The file is not a GeoJSON FeatureCollection.")])
    items = data.get("features")
    if not isinstance(items, list) or not items:
        raise GridImportError([_("The FeatureCollection has no features.")])

    problems: list[str] = []
    features: list[GridFeature] = []
    for number, item in enumerate(items, start=1):
        label = _("feature %(number)s") % {"number": number}
        if not isinstance(item, dict) or item.get("type") != "Feature":
            problems.append(_("%(feature)s: not a GeoJSON Feature.") % {"feature": label})
            continue
        properties = item.get("properties") or {}
        code = _normalise_code(properties.get("code"), community)
        name = str(properties.get("name") or "").strip()
        if code:
            label = _("feature %(number)s (code %(code)s)") % {"number": number, "code": code}
        if not code:
            problems.append(_("%(feature)s: the property “code” is missing.") % {"feature": label})
        elif len(code) > 32:
            problems.append(
                _("%(feature)s: the code is longer than 32 characters.") % {"feature": label}
            )
        if not name:
            problems.append(_("%(feature)s: the property “name” is missing.") % {"feature": label})
        elif len(name) > 100:
            problems.append(
                _("%(feature)s: the name is longer than 100 characters.") % {"feature": label}
            )
        geometry_json = item.get("geometry")
        if not isinstance(geometry_json, dict):
            problems.append(_("%(feature)s: it has no polygon.") % {"feature": label})
            continue
        try:
            geometry = geometry_from_geojson(geometry_json)
        except GeometryProblem as problem:
            problems.append(_("%(feature)s: %(problem)s.") % {"feature": label, "problem": problem})
            continue
        if code and name:
            features.append(GridFeature(number, code, name, geometry))
    if problems:
        raise GridImportError(problems)
    return features


def _normalise_code(value: Any, community: Area) -> str:
    code = str(value).strip() if value is not None else ""
    if code.isdigit() and len(code) <= 3:
        return f"{community.code}{int(code):03d}"
    return code


def _check_codes(features: list[GridFeature], community: Area) -> None:
    problems: list[str] = []
    first_seen: dict[str, GridFeature] = {}
    for feature in features:
        if feature.code in first_seen:
            problems.append(
                _("%(feature)s: the code is used again (first by feature %(first)s).")
                % {"feature": feature.label, "first": first_seen[feature.code].number}
            )
        else:
            first_seen[feature.code] = feature
    elsewhere = Area.objects.filter(code__in=first_seen).exclude(
        kind=AreaKind.GRID, parent=community
    )
    for area in elsewhere:
        problems.append(
            _("%(feature)s: the code already belongs to %(area)s, outside this community.")
            % {"feature": first_seen[area.code].label, "area": area.name}
        )
    if problems:
        raise GridImportError(problems)


def _check_overlaps(features: list[GridFeature], community: Area) -> None:
    """Refuse overlaps between new grids, or with existing grids the file does not replace."""
    tolerance = settings.GRID_OVERLAP_TOLERANCE
    replaced = {f.code for f in features}
    existing = [
        (code, name, geometry_from_geojson(boundary))
        for code, name, boundary in Area.objects.grids()
        .exclude(code__in=replaced)
        .exclude(boundary=None)
        .values_list("code", "name", "boundary")
    ]
    shapes = [f.geometry for f in features] + [geometry for _c, _n, geometry in existing]
    tree = STRtree(shapes)
    problems: list[str] = []
    for i, feature in enumerate(features):
        for j in tree.query(feature.geometry, predicate="intersects"):
            j = int(j)
            if j < len(features) and j >= i:
                continue  # itself, or a later feature: each pair is named on its later one
            other = shapes[j]
            shared = feature.geometry.intersection(other).area
            if shared <= tolerance * min(feature.geometry.area, other.area):
                continue
            if j < len(features):
                other_label = features[j].label
            else:
                code, name, _g = existing[j - len(features)]
                other_label = _("existing grid %(code)s %(name)s") % {"code": code, "name": name}
            problems.append(
                _("%(feature)s: it overlaps %(other)s by %(share).1f%% of the smaller grid.")
                % {
                    "feature": feature.label,
                    "other": other_label,
                    "share": 100 * shared / min(feature.geometry.area, other.area),
                }
            )
    if problems:
        raise GridImportError(problems)


@transaction.atomic
def _write(features: list[GridFeature], community: Area) -> ImportResult:
    result = ImportResult()
    existing = {a.code: a for a in Area.objects.filter(code__in=[f.code for f in features])}
    for feature in features:
        grid = existing.get(feature.code) or Area(
            kind=AreaKind.GRID, code=feature.code, parent=community
        )
        is_new = grid.pk is None
        grid.name = feature.name
        grid.boundary = geojson_from_geometry(feature.geometry)
        grid.save()
        (result.created if is_new else result.updated).append(feature.code)
    return result
