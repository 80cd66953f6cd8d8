from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaKind(models.TextChoices):
    """Levels of the area tree (domain.md §2), top to bottom."""

    CITY = "city", _("City / county")
    STREET = "street", _("Street")
    COMMUNITY = "community", _("Community")
    GRID = "grid", _("Grid")


# Which kind of parent each kind must have.
PARENT_KIND = {
    AreaKind.CITY: None,
    AreaKind.STREET: AreaKind.CITY,
    AreaKind.COMMUNITY: AreaKind.STREET,
    AreaKind.GRID: AreaKind.COMMUNITY,
}


class MapFeatureKind(models.TextChoices):
    """What a base-map vector feature draws (ADR 0018): under the grids, without tiles."""

    ROAD = "road", _("Road")
    WATER = "water", _("Water")
    BUILDING = "building", _("Building footprint")
