"""The area tree: city/county → street → community → grid (domain.md §2).

One model holds every level so that scoping is a single prefix match on `path` (the chain of
codes from the root). Grids also carry their boundary as a GeoJSON geometry in WGS-84 and its
bounding box, which the map API filters on; point→grid lookups go through `gridgov.geo.lookup`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gridgov.core.models import TimeStampedModel, VisibleQuerySet
from gridgov.geo.choices import PARENT_KIND, AreaKind, MapFeatureKind

if TYPE_CHECKING:
    from gridgov.accounts.models import User


_NOT_READ = object()  # a deferred field: not compared
FROZEN_MESSAGE = _(
    "The level, code and parent of an area cannot be changed once saved: the areas below it, "
    "its cases and its members' scopes depend on them. Create a new area instead."
)


class AreaQuerySet(VisibleQuerySet):
    def _visible_to(self, user: User) -> Self:
        # geo may not import accounts: the user's scope (accounts.scope.area_paths) by duck typing.
        paths = user.area_scope().paths
        if not paths:
            return self.none()
        condition = Q()
        for path in paths:
            condition |= Q(path__startswith=path)
        return self.filter(condition)

    def grids(self) -> Self:
        return self.filter(kind=AreaKind.GRID)

    def within(self, area: Area) -> Self:
        """The area and everything below it."""
        return self.filter(path__startswith=area.path)


class Area(TimeStampedModel):
    """A node of the area tree, identified by an official-style code.

    Codes follow the statistical division codes: 6 digits for a city/county, +3 for a street,
    +3 for a community (the 12-digit code), +3 for a grid. `path` is the parent's path plus this
    code and a slash, set by `save()`; a subtree is `path__startswith`.

    `kind`, `code` and `parent` are frozen once saved (ADR 0011): the paths of the subtree, the
    cases' `area_path` and every membership's scope hang on them, and rewriting them would
    silently change who sees what. A redrawn division is a new area.
    """

    FROZEN_FIELDS = ("kind", "code", "parent_id")

    kind = models.CharField(_("level"), max_length=16, choices=AreaKind.choices)
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent area"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=False)
    boundary = models.JSONField(
        _("boundary"), null=True, blank=True, help_text=_("GeoJSON Polygon or MultiPolygon, WGS-84")
    )
    min_lon = models.FloatField(null=True, editable=False)
    min_lat = models.FloatField(null=True, editable=False)
    max_lon = models.FloatField(null=True, editable=False)
    max_lat = models.FloatField(null=True, editable=False)
    centre_lon = models.FloatField(null=True, editable=False)
    centre_lat = models.FloatField(null=True, editable=False)

    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["path"]
        indexes = [
            models.Index(fields=["path"], name="geo_area_path", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["kind", "path"], name="geo_area_kind_path"),
            models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="geo_area_bbox"),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def from_db(cls, db: Any, field_names: Any, values: Any) -> Area:
        area = super().from_db(db, field_names, values)
        area._saved_place = area._place()
        return area

    def _place(self) -> tuple[Any, ...]:
        return tuple(self.__dict__.get(name, _NOT_READ) for name in self.FROZEN_FIELDS)

    def _moved_fields(self) -> list[str]:
        """The frozen fields changed since this row was read (none for a new area)."""
        saved = getattr(self, "_saved_place", None)
        if self._state.adding or saved is None:
            return []
        now = self._place()
        return [
            name.removesuffix("_id")
            for name, before, after in zip(self.FROZEN_FIELDS, saved, now, strict=True)
            if before is not _NOT_READ and before != after
        ]

    def clean(self) -> None:
        moved = self._moved_fields()
        if moved:
            raise ValidationError({name: FROZEN_MESSAGE for name in moved})
        expected = PARENT_KIND.get(AreaKind(self.kind)) if self.kind else None
        if expected is None and self.parent_id is not None:
            raise ValidationError({"parent": _("A city/county has no parent area.")})
        if expected is not None and (self.parent is None or self.parent.kind != expected):
            raise ValidationError(
                {
                    "parent": _("The parent of this level must be a %(kind)s.")
                    % {"kind": AreaKind(expected).label}
                }
            )
        if self.kind == AreaKind.GRID and not self.boundary:
            raise ValidationError({"boundary": _("A grid needs a boundary polygon.")})
        if self.boundary:
            from gridgov.geo.geometry import GeometryProblem, geometry_from_geojson

            try:
                geometry_from_geojson(self.boundary)
            except GeometryProblem as problem:
                raise ValidationError({"boundary": str(problem)}) from None

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._moved_fields():
            raise ValidationError(FROZEN_MESSAGE)
        self.path = f"{self.parent.path if self.parent else ''}{self.code}/"
        self._fill_extent()
        super().save(*args, **kwargs)
        self._saved_place = self._place()

    def _fill_extent(self) -> None:
        if not self.boundary:
            self.min_lon = self.min_lat = self.max_lon = self.max_lat = None
            self.centre_lon = self.centre_lat = None
            return
        from gridgov.geo.geometry import geometry_from_geojson

        geometry = geometry_from_geojson(self.boundary)
        self.min_lon, self.min_lat, self.max_lon, self.max_lat = geometry.bounds
        centre = geometry.representative_point()
        self.centre_lon, self.centre_lat = centre.x, centre.y

    def ancestors(self) -> list[Area]:
        """Root first, without self; one query."""
        codes = [code for code in self.path.split("/") if code][:-1]
        by_code = {area.code: area for area in Area.objects.filter(code__in=codes)}
        return [by_code[code] for code in codes if code in by_code]


class Grid(Area):
    """The grids of the area tree, as their own admin page (a proxy: same table)."""

    class Meta:
        proxy = True
        verbose_name = _("grid")
        verbose_name_plural = _("grids")

    def clean(self) -> None:
        self.kind = AreaKind.GRID
        super().clean()

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.kind = AreaKind.GRID
        super().save(*args, **kwargs)


class MapFeatureQuerySet(VisibleQuerySet):
    def _visible_to(self, user: User) -> Self:
        paths = user.area_scope().paths
        if not paths:
            return self.none()
        # Roads and rivers are public geography: a grid worker also sees the features of the
        # community and street around their grid (the areas above theirs), not only inside it.
        condition = Q()
        above: set[str] = set()
        for path in paths:
            condition |= Q(area__path__startswith=path)
            codes = [code for code in path.split("/") if code]
            above.update("".join(f"{c}/" for c in codes[:n]) for n in range(1, len(codes)))
        if above:
            condition |= Q(area__path__in=sorted(above))
        return self.filter(condition)


class MapFeature(TimeStampedModel):
    """One vector feature of the base map: a road, a river or a building footprint (WGS-84).

    Where no tile server is set (offline, or no key), the map draws these under the grids so it is
    never a blank canvas. Each belongs to an area (usually a community) and is seen with it; its
    bounding box is kept for the `bbox` filter of the map API.
    """

    area = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="map_features", verbose_name=_("area")
    )
    kind = models.CharField(_("type"), max_length=16, choices=MapFeatureKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    geometry = models.JSONField(_("geometry"), help_text=_("A GeoJSON geometry in WGS-84."))
    min_lon = models.FloatField(editable=False)
    min_lat = models.FloatField(editable=False)
    max_lon = models.FloatField(editable=False)
    max_lat = models.FloatField(editable=False)

    objects = MapFeatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("base-map feature")
        verbose_name_plural = _("base-map features")
        ordering = ["kind", "pk"]
        indexes = [
            models.Index(
                fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="mapfeature_bbox"
            )
        ]

    def __str__(self) -> str:
        return self.name or f"{self.get_kind_display()} {self.pk}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        from shapely.geometry import shape

        self.min_lon, self.min_lat, self.max_lon, self.max_lat = shape(self.geometry).bounds
        super().save(*args, **kwargs)
