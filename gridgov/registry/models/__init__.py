"""The registry's models: places (`places.py`), people and special groups (`people.py`),
Excel import jobs (`jobs.py`)."""

from gridgov.registry.models.jobs import RUNNING_STATES, ImportJob, ImportMode, ImportState
from gridgov.registry.models.people import (
    NeedToKnowGrant,
    NeedToKnowGrantQuerySet,
    Person,
    PersonQuerySet,
    SpecialGroupRecord,
    SpecialGroupRecordQuerySet,
)
from gridgov.registry.models.places import (
    Building,
    BuildingQuerySet,
    House,
    Household,
    HouseholdQuerySet,
    HouseQuerySet,
    ScopedByGridQuerySet,
    Unit,
    UnitQuerySet,
)

__all__ = [
    "RUNNING_STATES",
    "Building",
    "BuildingQuerySet",
    "House",
    "HouseQuerySet",
    "Household",
    "HouseholdQuerySet",
    "ImportJob",
    "ImportMode",
    "ImportState",
    "NeedToKnowGrant",
    "NeedToKnowGrantQuerySet",
    "Person",
    "PersonQuerySet",
    "ScopedByGridQuerySet",
    "SpecialGroupRecord",
    "SpecialGroupRecordQuerySet",
    "Unit",
    "UnitQuerySet",
]
