"""Test helpers for the resident registry: valid ID numbers, people in the world's buildings."""

from __future__ import annotations

import io
from itertools import count
from typing import Any

from openpyxl import Workbook

from gridgov.registry.models import House, Person, Unit
from tests.id_reference import with_check

_serial = count(1)


def id_number(birth: str = "19800101", *, male: bool = True, region: str = "222405") -> str:
    """A valid 18-character ID number (a fresh sequence each call)."""
    n = next(_serial) % 500
    sequence = f"{(n * 2 + (1 if male else 0)) % 1000:03d}"
    first17 = f"{region}{birth}{sequence}"
    return with_check(first17)  # the independent reference, not the code's check_digit()


def house_in(building: Any, unit: int = 1, number: str = "101") -> House:
    unit_row, _ = Unit.objects.get_or_create(building=building, number=unit)
    house, _ = House.objects.get_or_create(
        unit=unit_row, number=number, defaults={"floor": int(number[:-2] or 1)}
    )
    return house


def make_person(building: Any, name: str = "王小明", **fields: Any) -> Person:
    fields.setdefault("id_number", id_number())
    fields.setdefault("phone", "13912345678")
    fields.setdefault("sex", "male")
    person = Person(name=name, house=fields.pop("house", None) or house_in(building), **fields)
    person.save()
    return person


def workbook(rows: list[list[Any]], headers: list[str] | None = None) -> bytes:
    from gridgov.registry.excel import PEOPLE_COLUMNS, SHEET_TITLE

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    sheet.append(headers or [h for h, _f in PEOPLE_COLUMNS])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
