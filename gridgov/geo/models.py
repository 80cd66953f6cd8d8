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
from gridgov.geo.choices import PARENT_KIND, AreaKind

if TYPE_CHECKING:
    from gridgov.accounts.models import User


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
    code and a slash, kept by `save()`; a subtree is `path__startswith`.
    """

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

    def clean(self) -> None:
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
        self.path = f"{self.parent.path if self.parent else ''}{self.code}/"
        self._fill_extent()
        super().save(*args, **kwargs)

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

    @property
    def is_grid(self) -> bool:
        return self.kind == AreaKind.GRID

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
