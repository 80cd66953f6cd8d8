"""Checking one person record, shared by the page forms and the Excel import.

`PersonInput.check(values)` takes plain strings (a form's POST or a sheet's row), returns the
cleaned values or a list of (field, message) problems. The same rules apply on every channel:
ID number (GB 11643, birth date and sex inside it), mobile number, house by building code,
unit and house number inside the user's area, and no second registration of the same ID.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gridgov.accounts import scope
from gridgov.core.identity import (
    birth_date_of,
    check_id_matches,
    normalise_id_number,
    normalise_mobile,
    sex_of,
)
from gridgov.registry.choices import HouseUse, Registration, Relation, Sex
from gridgov.registry.models import Building, House, Person

# The fields of a person record, in the order of the form and the Excel template.
FIELDS = (
    "name",
    "id_number",
    "phone",
    "sex",
    "birth_date",
    "ethnicity",
    "registration",
    "building",
    "unit",
    "house_number",
    "household_number",
    "relation",
    "religion",
    "health",
)
MAX_TEXT = {"name": 50, "ethnicity": 20, "religion": 200, "health": 500, "household_number": 32}


@functools.cache
def _choice_names(choices: Any) -> dict[str, str]:
    """Every accepted spelling of each choice: its value, its Chinese and English labels, and the
    Chinese term in brackets ("Registered (户籍)" → "户籍")."""
    names: dict[str, str] = {}
    for member in choices:
        names[str(member.value)] = str(member.value)
        for language in ("zh-hans", "en"):
            with translation.override(language):
                text = str(member.label)
            names[text] = str(member.value)
            if "(" in text:
                names[text.split("(")[-1].rstrip(")")] = str(member.value)
    return names


def _choice(value: str, choices: Any, label: str) -> str:
    """A choice by any of its spellings, whatever language the page is in."""
    found = _choice_names(choices).get(value.strip())
    if found is None:
        raise ValidationError(
            _("%(value)s is not a valid %(label)s.") % {"value": value, "label": label}
        )
    return found


@dataclass
class Places:
    """The buildings and houses a user may register people in, loaded once per form or file."""

    buildings: dict[str, Building]
    houses: dict[tuple[int, int, str], House] = field(default_factory=dict)

    @classmethod
    def for_user(cls, user: Any) -> Places:
        """The buildings the user registers people in (`scope.REGISTRY`), not all they see."""
        reach = scope.under(scope.registry_paths(user, scope.Action.CREATE), "grid__path")
        buildings = {b.code: b for b in Building.objects.filter(reach).prefetch_related("units")}
        houses = {
            (h.unit.building_id, h.unit.number, h.number): h
            for h in House.objects.filter(unit__building__in=list(buildings.values()))
            .select_related("unit")
            .only("id", "number", "floor", "unit__number", "unit__building")
        }
        return cls(buildings=buildings, houses=houses)


@dataclass
class Checked:
    values: dict[str, Any]
    problems: list[tuple[str, str]]

    @property
    def ok(self) -> bool:
        return not self.problems


class PersonInput:
    def __init__(self, places: Places, *, editing: Person | None = None) -> None:
        self.places = places
        self.editing = editing

    def check(self, raw: dict[str, str]) -> Checked:
        values: dict[str, Any] = {}
        problems: list[tuple[str, str]] = []

        def problem(name: str, error: ValidationError | str) -> None:
            message = error if isinstance(error, str) else " ".join(error.messages)
            problems.append((name, message))

        text = {name: str(raw.get(name) or "").strip() for name in FIELDS}
        for name, limit in MAX_TEXT.items():
            if len(text[name]) > limit:
                problem(name, _("At most %(limit)d characters.") % {"limit": limit})
        if not text["name"]:
            problem("name", _("The name is required."))
        values["name"] = text["name"]
        values["ethnicity"] = text["ethnicity"] or "汉族"
        values["religion"] = text["religion"]
        values["health"] = text["health"]

        id_number = ""
        if not text["id_number"]:
            problem("id_number", _("The ID number is required."))
        else:
            try:
                id_number = normalise_id_number(text["id_number"])
            except ValidationError as error:
                problem("id_number", error)
        values["id_number"] = id_number

        values["phone"] = ""
        if text["phone"]:
            try:
                values["phone"] = normalise_mobile(text["phone"])
            except ValidationError as error:
                problem("phone", error)

        birth: dt.date | None = None
        if text["birth_date"]:
            try:
                birth = dt.date.fromisoformat(text["birth_date"][:10])
            except ValueError:
                problem("birth_date", _("Enter the birth date as YYYY-MM-DD."))
            else:
                if not dt.date(1890, 1, 1) <= birth <= timezone.localdate():
                    problem(
                        "birth_date", _("The birth date cannot be in the future or before 1890.")
                    )
                    birth = None
        sex = ""
        if text["sex"]:
            try:
                sex = _choice(text["sex"], Sex, _("sex"))
            except ValidationError as error:
                problem("sex", error)
        if id_number:
            try:
                check_id_matches(id_number, birth, sex or None)
            except ValidationError as error:
                problem("birth_date" if error.code == "id_birth_mismatch" else "sex", error)
            birth = birth or birth_date_of(id_number)
            sex = sex or sex_of(id_number)
            duplicate = Person.objects.with_id_number(id_number)
            if self.editing is not None:
                duplicate = duplicate.exclude(pk=self.editing.pk)
            if duplicate.exists():
                problem("id_number", _("A person with this ID number is already registered."))
        values["birth_date"] = birth
        values["sex"] = sex

        for name, choices, default in (
            ("registration", Registration, Registration.REGISTERED),
            ("relation", Relation, ""),
        ):
            values[name] = default
            if text[name]:
                try:
                    values[name] = _choice(text[name], choices, str(_(name)))
                except ValidationError as error:
                    problem(name, error)

        values["house"] = self._house(text, problem)
        values["household_number"] = text["household_number"]
        return Checked(values=values, problems=problems)

    def _house(self, text: dict[str, str], problem: Any) -> House | None:
        code = text["building"]
        if not code:
            problem("building", _("The building code is required."))
            return None
        building = self.places.buildings.get(code)
        if building is None:
            problem("building", _("No building %(code)s in your area.") % {"code": code})
            return None
        try:
            unit_number = int(text["unit"])
        except ValueError:
            problem("unit", _("The unit is a number."))
            return None
        if not any(u.number == unit_number for u in building.units.all()):
            problem(
                "unit",
                _("Building %(code)s has no unit %(unit)s.")
                % {
                    "code": code,
                    "unit": unit_number,
                },
            )
            return None
        number = text["house_number"]
        if not number:
            problem("house_number", _("The house number is required."))
            return None
        house = self.places.houses.get((building.pk, unit_number, number))
        if house is None:
            unit = next(u for u in building.units.all() if u.number == unit_number)
            # A house not yet in the registry: made on save (floor from its number, 301 → 3).
            floor = int(number[:-2]) if number.isdigit() and len(number) >= 3 else 1
            house = House(unit=unit, number=number, floor=floor)
            # Later rows of the same file share this house (saved once, with the first row).
            self.places.houses[(building.pk, unit_number, number)] = house
        return house


_YES = {"是", "yes", "y", "1", "true", "出租"}
_NO = {"否", "no", "n", "0", "false", "自住", ""}


class HouseInput:
    """One row of the houses sheet: a house made or updated in the user's area."""

    def __init__(self, places: Places) -> None:
        self.places = places

    def check(self, raw: dict[str, str]) -> Checked:
        problems: list[tuple[str, str]] = []

        def problem(name: str, error: ValidationError | str) -> None:
            problems.append((name, error if isinstance(error, str) else " ".join(error.messages)))

        text = {name: str(raw.get(name) or "").strip() for name in HOUSE_FIELDS}
        house = PersonInput(self.places)._house(text, problem)
        if len(text["house_number"]) > 16:
            problem("house_number", _("At most %(limit)d characters.") % {"limit": 16})
        if len(text["owner_name"]) > 50:
            problem("owner_name", _("At most %(limit)d characters.") % {"limit": 50})
        floor: int | None = None
        if text["floor"]:
            try:
                floor = int(text["floor"])
                if not -5 <= floor <= 200:
                    raise ValueError(floor)
            except ValueError:
                problem("floor", _("The floor is a whole number between -5 and 200."))
        use = ""
        if text["use"]:
            try:
                use = _choice(text["use"], HouseUse, str(_("use")))
            except ValidationError as error:
                problem("use", error)
        rented: bool | None = None
        if text["rented"].lower() in _YES:
            rented = True
        elif text["rented"].lower() in _NO:
            rented = None if not text["rented"] else False
        else:
            problem("rented", _("Write 是 or 否."))
        if problems or house is None:
            return Checked(values={}, problems=problems)
        if floor is not None:
            house.floor = floor
        if use:
            house.use = use
        if rented is not None:
            house.is_rented = rented
        if text["owner_name"]:
            house.owner_name = text["owner_name"]
        return Checked(values={"house": house}, problems=[])


HOUSE_FIELDS = ("building", "unit", "house_number", "floor", "use", "rented", "owner_name")
