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
from gridgov.audit.log import record
from gridgov.audit.models import AuditResult
from gridgov.core.masking import mask_id_number, mask_name, mask_phone, mask_text
from gridgov.registry.choices import PersonStatus
from gridgov.registry.models import House, Household, Person, SpecialGroupRecord
from gridgov.registry.permissions import can_edit, may_edit_special_group, owns

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


def _place(values: dict[str, Any]) -> tuple[House | None, Household | None]:
    house = values.get("house")
    if house is not None and house.pk is None:
        house.save()
    household = None
    number = values.get("household_number") or ""
    if number and house is not None:
        household, _created = Household.objects.get_or_create(
            number=number, defaults={"house": house}
        )
    return house, household


def _check_reach(actor: User, house: House | None) -> None:
    """A person is placed only in a house of the grids the actor registers people in."""
    paths = scope.registry_paths(actor, scope.Action.CREATE)
    grid = house.unit.building.grid if house is not None else None
    if not paths or (house is not None and (grid is None or not scope.covers(paths, grid.path))):
        raise PermissionDenied(_("You may not register people there."))


@transaction.atomic
def register_person(actor: User, values: dict[str, Any], *, via: str = "page") -> Person:
    _check_reach(actor, values.get("house"))
    house, household = _place(values)
    person = Person(household=household)
    for field in EDITABLE:
        setattr(person, field, values.get(field, getattr(person, field)))
    person.house = house
    person.save()
    record(
        "registry.person.create",
        actor=actor,
        obj=person,
        object_repr=person.masked_name,
        detail={"via": via, "after": {f: masked(f, getattr(person, f)) for f in EDITABLE}},
    )
    return person


@transaction.atomic
def update_person(actor: User, person: Person, values: dict[str, Any]) -> dict[str, list[str]]:
    """Apply the changed fields; return {field: [before, after]} masked (empty: nothing)."""
    person = Person.objects.select_for_update(of=("self",)).select_related("grid").get(pk=person.pk)
    if not can_edit(actor, person):
        raise PermissionDenied(_("You may not change this record."))
    if "house" in values:
        _check_reach(actor, values["house"])
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
            actor=actor,
            obj=person,
            object_repr=person.masked_name,
            detail={"changes": changes},
        )
    return changes


@transaction.atomic
def mark_departed(actor: User, person: Person, status: str, on: dt.date) -> None:
    if status not in (PersonStatus.MOVED_OUT, PersonStatus.DECEASED):
        raise ValueError(status)
    person = Person.objects.select_for_update(of=("self",)).select_related("grid").get(pk=person.pk)
    if not can_edit(actor, person):
        raise PermissionDenied(_("You may not change this record."))
    before = person.status
    person.status, person.left_on = status, on
    person.save(update_fields=["status", "left_on", "updated_at"])
    record(
        "registry.person.update",
        actor=actor,
        obj=person,
        object_repr=person.masked_name,
        detail={"changes": {"status": [before, status], "left_on": ["", on.isoformat()]}},
    )


def unmask(actor: User, person: Person, reason: str) -> dict[str, str]:
    """The full ID number and phone, for an authorised user who gives a reason. Audited
    either way; the values are shown once and never stored anywhere else."""
    reason = reason.strip()
    allowed = owns(actor, person) and not person.is_anonymised
    if not allowed or not reason:
        record(
            "registry.person.unmask",
            actor=actor,
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
        actor=actor,
        obj=person,
        object_repr=person.masked_name,
        detail={"reason": reason[:200], "fields": ["id_number", "phone"]},
    )
    return {"id_number": person.id_number, "phone": person.phone, "name": person.name}


@transaction.atomic
def set_special_group(
    actor: User,
    person: Person,
    group: str,
    *,
    since: dt.date | None,
    details: dict[str, str],
    note: str,
) -> SpecialGroupRecord:
    """Create or update a person's special-group record: needs a need-to-know grant for the
    group over the person's grid and the right to edit the person."""
    if not may_edit_special_group(actor, person, group):
        raise PermissionDenied(_("You may not change this record."))
    entry, created = SpecialGroupRecord.objects.select_for_update().get_or_create(
        person=person, group=group
    )
    entry.since, entry.details, entry.note = since, details, note
    entry.save()
    record(
        "registry.special_group.create" if created else "registry.special_group.update",
        actor=actor,
        obj=entry,
        object_repr=f"{person.masked_name} · {group}",
        detail={"group": group, "fields": sorted(k for k, v in details.items() if v)},
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
