"""factory-boy factories for the suite. Geometry helpers make small square grids."""

from __future__ import annotations

from typing import Any

import factory

from gridgov.accounts.choices import OrganisationKind, Role
from gridgov.accounts.models import Membership, Organisation, User
from gridgov.geo.choices import AreaKind
from gridgov.geo.models import Area
from gridgov.registry.models import Building, House, Household, Unit


def square(min_lon: float, min_lat: float, size: float = 0.01) -> dict[str, Any]:
    """A GeoJSON square polygon with its south-west corner at (min_lon, min_lat)."""
    max_lon, max_lat = min_lon + size, min_lat + size
    ring = [
        [min_lon, min_lat],
        [max_lon, min_lat],
        [max_lon, max_lat],
        [min_lon, max_lat],
        [min_lon, min_lat],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    kind = AreaKind.CITY
    code = factory.Sequence(lambda n: f"{900000 + n}")
    name = factory.Sequence(lambda n: f"区域{n}")
    parent = None


class GridFactory(AreaFactory):
    kind = AreaKind.GRID
    boundary = factory.LazyFunction(lambda: square(129.40, 42.76))


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    code = factory.Sequence(lambda n: f"ORG-{n}")
    name = factory.Sequence(lambda n: f"单位{n}")
    kind = OrganisationKind.COMMUNITY_OFFICE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试{n}")
    password = factory.PostGenerationMethodCall("set_password", "Correct-horse-9")

    @factory.post_generation
    def phone(self, create: bool, extracted: str | None, **kwargs: Any) -> None:
        if extracted:
            self.phone = extracted
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.RESIDENT


class BuildingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Building

    code = factory.Sequence(lambda n: f"B{n:04d}")
    name = factory.Sequence(lambda n: f"{n}号楼")
    lat = 42.765
    lon = 129.405
    floors = 6


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    building = factory.SubFactory(BuildingFactory)
    number = factory.Sequence(lambda n: n + 1)


def building_with_households(households: int = 2, **kwargs: Any) -> Building:
    """A building with one unit and `households` houses, each with one household."""
    building = BuildingFactory(**kwargs)
    unit = Unit.objects.create(building=building, number=1)
    for n in range(households):
        house = House.objects.create(unit=unit, floor=1 + n // 2, number=f"{1 + n // 2}0{n % 2}")
        Household.objects.create(number=f"{building.code}-{n}", house=house)
    return building
