"""Every change to the resident registry, each audited with a masked before/after.

Pages, the Excel import and commands all call these; nothing else writes a person.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.accounts import scope
from gridgov.audit.log import entry_for, record, record_many
from gridgov.audit.models import AuditResult
from gridgov.core.masking import mask_id_number, mask_name, mask_phone, mask_text
from gridgov.registry.choices import PersonStatus
from gridgov.registry.models import Building, House, Household, Person, SpecialGroupRecord
from gridgov.registry.permissions import can_edit, may_edit_special_group, owns
from gridgov.registry.signals import record_changed

if TYPE_CHECKING:
    from gridgov.accounts.models import User

# The person fields a change may touch (house and household are set through their numbers).
EDITABLE = (
    "name",
    "id_number",
    "phone",
    "sex",
    "birth_date",
    "ethnicity",
    "registration",
    "relation",
    "religion",
    "health",
    "house",
)
_MASKS: dict[str, Any] = {
    "name": mask_name,
    "id_number": mask_id_number,
    "phone": mask_phone,
    "religion": mask_text,
    "health": mask_text,
}


def masked(field: str, value: Any) -> str:
    """How a value appears in a change record: personal data masked, the rest as text."""
    if value is None or value == "":
        return ""
    if field in _MASKS:
        return _MASKS[field](str(value))
    return str(value)


def _household(house: House | None, number: str, cache: dict[str, Household]) -> Household | None:
    """The household by its number (made in this house if new); `cache` spares repeated reads."""
    if not number or house is None:
        return None
    if number not in cache:
        cache[number], _created = Household.objects.get_or_create(
            number=number, defaults={"house": house}
        )
    return cache[number]


def _place(values: dict[str, Any]) -> tuple[House | None, Household | None]:
    house = values.get("house")
    if house is not None and house.pk is None:
        house.save()
    return house, _household(house, values.get("household_number") or "", {})


# building id → (grid id, grid path)
Grids = dict[int, tuple[int | None, str | None]]


def _grids_of(houses: list[House]) -> Grids:
    """{building id: (grid id, grid path)} for these houses' buildings, in one query."""
    ids = {house.unit.building_id for house in houses}
    rows = Building.objects.filter(pk__in=ids).values_list("id", "grid_id", "grid__path")
    return {pk: (grid_id, path) for pk, grid_id, path in rows}


def _check_reach(acting_user: User, houses: list[House]) -> Grids:
    """People are placed only in houses of the grids the actor registers people in; returns
    the houses' grids (building id → grid id, path) for the caller."""
    paths = scope.registry_paths(acting_user, scope.Action.CREATE)
    grids = _grids_of(houses)
    refused = not paths or any(
        not scope.covers(paths, grids.get(house.unit.building_id, (None, None))[1])
        for house in houses
    )
    if refused:
        raise PermissionDenied(_("You may not register people there."))
    return grids


@transaction.atomic
def register_people(
    rows: list[dict[str, Any]],
    *,
    acting_user: User,
    via: str = "page",
    detail: dict[str, Any] | None = None,
) -> list[Person]:
    """Register checked people (`PersonInput` values) in one go: the only way a person is made.

    The page registers one, the Excel import a batch at a time (callers keep batches to about
    a thousand: the people and their audit rows are held in memory until saved). Everything or
    nothing: one house outside the actor's registry reach refuses the whole batch. Each person's
    grid comes from their house's building and the blind indexes from `Person.rotate_keys`;
    each gets one "registry.person.create" audit row with `via`, `detail` and the masked values.
    """
    houses = [row["house"] for row in rows if row.get("house") is not None]
    grids = _check_reach(acting_user, houses)
    households: dict[str, Household] = {}
    people: list[Person] = []
    for row in rows:
        house = row.get("house")
        if house is not None and house.pk is None:
            house.save()  # a house not yet in the registry, shared by later rows of the batch
        person = Person(household=_household(house, row.get("household_number") or "", households))
        for field in EDITABLE:
            if field in row:
                setattr(person, field, row[field])
        person.house = house
        person.grid_id = grids[house.unit.building_id][0] if house is not None else None
        person.rotate_keys()
        people.append(person)
    if not people:
        return []
    created = Person.objects.bulk_create(people)
    if created[0].pk is None:  # backends that do not return ids (none we use)
        raise RuntimeError("bulk_create returned no primary keys")
    record_many(
        [
            entry_for(
                "registry.person.create",
                actor=acting_user,
                obj=person,
                object_repr=person.masked_name,
                detail={
                    "via": via,
                    **(detail or {}),
                    "after": {f: masked(f, getattr(person, f)) for f in EDITABLE},
                },
            )
            for person in created
        ]
    )
    if via == "page":
        record_changed.send(
            "registry",
            actor=acting_user,
            action="registry.person.create",
            people=created,
            fields=[f for f in EDITABLE if any(f in row for row in rows)],
        )
    return created


def register_person(values: dict[str, Any], *, acting_user: User, via: str = "page") -> Person:
    """One person: `register_people` with a batch of one."""
    return register_people([values], acting_user=acting_user, via=via)[0]


@transaction.atomic
def save_houses(
    houses: list[House], *, acting_user: User, via: str, detail: dict[str, Any] | None = None
) -> None:
    """Make or update houses (the import's houses sheet), one audit row each."""
    _check_reach(acting_user, houses)
    entries = []
    for house in houses:
        action = "registry.house.create" if house.pk is None else "registry.house.update"
        house.save()
        entries.append(
            entry_for(
                action,
                actor=acting_user,
                obj=house,
                object_repr=str(house),
                detail={
                    "via": via,
                    **(detail or {}),
                    "floor": house.floor,
                    "use": house.use,
                    "rented": house.is_rented,
                    "owner": masked("name", house.owner_name),
                },
            )
        )
    record_many(entries)


@transaction.atomic
def update_person(
    person: Person, values: dict[str, Any], *, acting_user: User
) -> dict[str, list[str]]:
    """Apply the changed fields; return {field: [before, after]} masked (empty: nothing)."""
    person = Person.objects.select_for_update(of=("self",)).select_related("grid").get(pk=person.pk)
    if not can_edit(acting_user, person):
        raise PermissionDenied(_("You may not change this record."))
    if values.get("house") is not None:
        _check_reach(acting_user, [values["house"]])
    house, household = _place(values) if "house" in values else (person.house, person.household)
    values = {**values, "house": house}
    changes: dict[str, list[str]] = {}
    for field in EDITABLE:
        if field not in values:
            continue
        before, after = getattr(person, field), values[field]
        if before != after:
            changes[field] = [masked(field, before), masked(field, after)]
            setattr(person, field, after)
    if household is not None and household != person.household:
        changes["household"] = [str(person.household or ""), str(household)]
        person.household = household
    if changes:
        person.save()
        record(
            "registry.person.update",
            actor=acting_user,
            obj=person,
            object_repr=person.masked_name,
            detail={"changes": changes},
        )
        record_changed.send(
            "registry",
            actor=acting_user,
            action="registry.person.update",
            people=[person],
            fields=sorted(changes),
        )
    return changes


@transaction.atomic
def mark_departed(person: Person, status: str, on: dt.date, *, acting_user: User) -> None:
    if status not in (PersonStatus.MOVED_OUT, PersonStatus.DECEASED):
        raise ValueError(status)
    person = Person.objects.select_for_update(of=("self",)).select_related("grid").get(pk=person.pk)
    if not can_edit(acting_user, person):
        raise PermissionDenied(_("You may not change this record."))
    before = person.status
    person.status, person.left_on = status, on
    person.save(update_fields=["status", "left_on", "updated_at"])
    record(
        "registry.person.update",
        actor=acting_user,
        obj=person,
        object_repr=person.masked_name,
        detail={"changes": {"status": [before, status], "left_on": ["", on.isoformat()]}},
    )
    record_changed.send(
        "registry",
        actor=acting_user,
        action="registry.person.update",
        people=[person],
        fields=["status", "left_on"],
    )


def unmask(person: Person, reason: str, *, acting_user: User) -> dict[str, str]:
    """The full ID number and phone, for an authorised user who gives a reason. Audited
    either way; the values are shown once and never stored anywhere else."""
    reason = reason.strip()
    allowed = owns(acting_user, person) and not person.is_anonymised
    if not allowed or not reason:
        record(
            "registry.person.unmask",
            actor=acting_user,
            obj=person,
            object_repr=person.masked_name,
            result=AuditResult.DENIED,
            detail={"reason": reason[:200]},
        )
        if not reason:
            raise PermissionDenied(_("Give the reason for showing the full record."))
        raise PermissionDenied(_("You may not see this record in full."))
    record(
        "registry.person.unmask",
        actor=acting_user,
        obj=person,
        object_repr=person.masked_name,
        detail={"reason": reason[:200], "fields": ["id_number", "phone"]},
    )
    return {"id_number": person.id_number, "phone": person.phone, "name": person.name}


@transaction.atomic
def set_special_group(
    person: Person,
    group: str,
    *,
    acting_user: User,
    since: dt.date | None,
    details: dict[str, str],
    note: str,
) -> SpecialGroupRecord:
    """Create or update a person's special-group record: needs a need-to-know grant for the
    group over the person's grid and the right to edit the person."""
    if not may_edit_special_group(acting_user, person, group):
        raise PermissionDenied(_("You may not change this record."))
    entry, created = SpecialGroupRecord.objects.select_for_update().get_or_create(
        person=person, group=group
    )
    entry.since, entry.details, entry.note = since, details, note
    entry.save()
    record(
        "registry.special_group.create" if created else "registry.special_group.update",
        actor=acting_user,
        obj=entry,
        object_repr=f"{person.masked_name} · {group}",
        detail={"group": group, "fields": sorted(k for k, v in details.items() if v)},
    )
    record_changed.send(
        "registry",
        actor=acting_user,
        action="registry.special_group.create" if created else "registry.special_group.update",
        people=[person],
        fields=[group],
    )
    return entry


ANONYMOUS_NAME = "已匿名"


def anonymise(person: Person, *, actor_name: str = "system") -> None:
    """Strip what identifies a person who left or died; keep what the counts need (grid,
    status, sex, birth year, ethnicity, registration)."""
    with transaction.atomic():
        person.name = ANONYMOUS_NAME
        person.id_number = person.phone = person.religion = person.health = ""
        if person.birth_date is not None:
            person.birth_date = person.birth_date.replace(month=1, day=1)
        person.house = None
        person.household = None
        person.relation = ""
        person.anonymised_at = timezone.now()
        person.save()
        SpecialGroupRecord.objects.filter(person=person).update(
            details_encrypted="", note="", since=None
        )
        record(
            "registry.person.anonymise",
            actor_name=actor_name,
            obj=person,
            object_repr=ANONYMOUS_NAME,
        )
