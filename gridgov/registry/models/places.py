"""Places: building (楼栋) → unit (单元) → house (房屋), and households (户) in houses.

A building belongs to the grid that contains its location; `save()` derives it, so a building
moved on the map or a grid redrawn and the building saved again lands in the right grid.
People and special groups are in `people.py`, import jobs in `jobs.py`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Self

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.accounts import scope
from gridgov.core.models import TimeStampedModel, VisibleQuerySet
from gridgov.registry.choices import HouseUse

if TYPE_CHECKING:
    from gridgov.accounts.models import User


class ScopedByGridQuerySet(VisibleQuerySet):
    """Places are seen through their grid, in the user's area scope (`scope.area_paths`)."""

    grid_field = "grid"

    def _visible_to(self, user: User) -> Self:
        return self.filter(scope.under(scope.area_paths(user), f"{self.grid_field}__path"))


class BuildingQuerySet(ScopedByGridQuerySet):
    grid_field = "grid"


class UnitQuerySet(ScopedByGridQuerySet):
    grid_field = "building__grid"


class HouseQuerySet(ScopedByGridQuerySet):
    grid_field = "unit__building__grid"


class HouseholdQuerySet(ScopedByGridQuerySet):
    grid_field = "house__unit__building__grid"


class Building(TimeStampedModel):
    """A building with its location (WGS-84) and the grid derived from it."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)
    lat = models.FloatField(
        _("latitude"), validators=[MinValueValidator(-90), MaxValueValidator(90)]
    )
    lon = models.FloatField(
        _("longitude"), validators=[MinValueValidator(-180), MaxValueValidator(180)]
    )
    floors = models.PositiveSmallIntegerField(_("floors above ground"), default=1)
    grid = models.ForeignKey(
        "geo.Area",
        verbose_name=_("grid"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="buildings",
        help_text=_("Derived from the location."),
    )

    objects = BuildingQuerySet.as_manager()

    class Meta:
        verbose_name = _("building")
        verbose_name_plural = _("buildings")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["grid", "code"], name="reg_building_grid"),
            models.Index(fields=["lon", "lat"], name="reg_building_lonlat"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        from gridgov.geo.lookup import grid_id_at

        if self.lat is not None and self.lon is not None and grid_id_at(self.lat, self.lon) is None:
            raise ValidationError(_("This location is outside every grid."))

    def save(self, *args: Any, **kwargs: Any) -> None:
        from gridgov.geo.lookup import grid_id_at

        self.grid_id = grid_id_at(self.lat, self.lon)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "grid"}
        super().save(*args, **kwargs)


class Unit(TimeStampedModel):
    """A stairway unit (单元) of a building; talk points sit here."""

    building = models.ForeignKey(
        Building, verbose_name=_("building"), on_delete=models.CASCADE, related_name="units"
    )
    number = models.PositiveSmallIntegerField(_("unit number"))

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["building", "number"]
        constraints = [
            models.UniqueConstraint(fields=["building", "number"], name="unit_unique_number")
        ]

    def __str__(self) -> str:
        return _("%(building)s unit %(number)s") % {
            "building": self.building,
            "number": self.number,
        }


class House(TimeStampedModel):
    """A dwelling or premises (房屋) in a unit."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="houses"
    )
    floor = models.SmallIntegerField(_("floor"))
    number = models.CharField(_("house number"), max_length=16)
    use = models.CharField(
        _("use"), max_length=16, choices=HouseUse.choices, default=HouseUse.RESIDENTIAL
    )
    is_rented = models.BooleanField(_("rented"), default=False)
    owner_name = models.CharField(_("owner"), max_length=50, blank=True)

    objects = HouseQuerySet.as_manager()

    class Meta:
        verbose_name = _("house")
        verbose_name_plural = _("houses")
        ordering = ["unit", "floor", "number"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="house_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.unit} {self.number}"


class Household(TimeStampedModel):
    """A household (户) living in a house, identified by its household number (户号)."""

    number = models.CharField(_("household number"), max_length=32, unique=True)
    house = models.ForeignKey(
        House, verbose_name=_("house"), on_delete=models.PROTECT, related_name="households"
    )

    objects = HouseholdQuerySet.as_manager()

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number
