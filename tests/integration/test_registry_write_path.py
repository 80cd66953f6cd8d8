"""One write path for people: the page and the Excel import both register through
`actions.register_people`, which checks the actor's registry reach itself."""

from __future__ import annotations

import inspect

import pytest
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.urls import reverse

from gridgov.audit.models import AuditEntry
from gridgov.core import crypto
from gridgov.registry import actions
from gridgov.registry.inputs import PersonInput, Places
from gridgov.registry.models import House, Household, Person
from tests.registry_helpers import house_in, id_number, workbook

pytestmark = pytest.mark.django_db

HEADERS = [
    "姓名",
    "公民身份号码",
    "楼栋编号",
    "单元",
    "房号",
    "手机号码",
    "户号",
    "民族",
    "户籍类型",
]


def _row(person: Person) -> dict:
    entry = AuditEntry.objects.get(action="registry.person.create", object_id=str(person.pk))
    return {
        "grid": person.grid_id,
        "house": person.house_id,
        "household": person.household.number if person.household else None,
        "id_index": person.id_index,
        "phone_index": person.phone_index,
        "sex": person.sex,
        "birth_date": str(person.birth_date),
        "ethnicity": person.ethnicity,
        "registration": person.registration,
        "audit_action": entry.action,
        "audit_actor": entry.actor_name,
        "audit_after": entry.detail["after"],
    }


def test_the_page_and_the_import_write_the_same_rows(world, client_for):
    house_in(world.building_a)
    number = id_number("19900215", male=False)
    worker = client_for("worker_a")
    page = worker.post(
        reverse("registry:person-new"),
        {
            "name": "赵六",
            "id_number": number,
            "phone": "13800001111",
            "building": "B-A1",
            "unit": "1",
            "house_number": "301",
            "household_number": "H-301",
            "ethnicity": "朝鲜族",
            "registration": "floating",
        },
    )
    assert page.status_code == 302
    by_page = Person.objects.get()
    from_page = _row(by_page)
    by_page.delete()

    data = workbook(
        [["赵六", number, "B-A1", 1, "301", "13800001111", "H-301", "朝鲜族", "floating"]], HEADERS
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        worker.post(reverse("registry:import"), {"file": _upload(data), "mode": "valid_rows"})
    from_import = _row(Person.objects.get())

    assert from_import == from_page
    # The expectations themselves, written by hand.
    assert from_page["grid"] == world.grid_a.pk
    assert from_page["house"] == House.objects.get(number="301").pk
    assert from_page["household"] == "H-301"
    assert from_page["id_index"] == crypto.blind_index(number)
    assert (from_page["sex"], from_page["birth_date"]) == ("female", "1990-02-15")
    assert (from_page["ethnicity"], from_page["registration"]) == ("朝鲜族", "floating")
    assert from_page["audit_after"]["phone"] == "138****1111"
    vias = list(
        AuditEntry.objects.filter(action="registry.person.create")
        .order_by("seq")
        .values_list("detail__via", flat=True)
    )
    assert vias == ["page", "excel"]


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("people.xlsx", data)


def _checked(world, *, house_number: str = "101", building: str = "B-A1") -> dict:
    house_in(world.building_a)
    house_in(world.building_c)
    everything = Places(
        buildings={b.code: b for b in (world.building_a, world.building_c)},
        houses={
            (h.unit.building_id, h.unit.number, h.number): h
            for h in House.objects.select_related("unit")
        },
    )
    checked = PersonInput(everything).check(
        {
            "name": "钱七",
            "id_number": id_number("19700101"),
            "building": building,
            "unit": "1",
            "house_number": house_number,
        }
    )
    assert checked.ok, checked.problems
    return checked.values


@pytest.mark.parametrize("persona", ["worker_b", "resident", "leader", "dispatcher"])
def test_registering_outside_the_actors_reach_is_refused_in_the_action(world, persona):
    values = _checked(world, house_number="502")  # a house not in the registry yet
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        actions.register_people([values], acting_user=getattr(world.people, persona))
    assert not Person.objects.exists()
    assert not House.objects.filter(number="502").exists()
    assert AuditEntry.objects.count() == before


def test_one_person_out_of_reach_refuses_the_whole_batch(world):
    inside = _checked(world)
    outside = _checked(world, building="B-C1")
    with pytest.raises(PermissionDenied):
        actions.register_people([inside, outside], acting_user=world.people.worker_a)
    assert not Person.objects.exists() and not Household.objects.exists()

    created = actions.register_people([inside], acting_user=world.people.worker_a)
    assert [p.grid_id for p in created] == [world.grid_a.pk]


def test_houses_outside_the_reach_are_refused_in_the_action(world):
    house = House(unit=house_in(world.building_a).unit, number="909", floor=9)
    with pytest.raises(PermissionDenied):
        actions.save_houses([house], acting_user=world.people.worker_b, via="excel")
    assert not House.objects.filter(number="909").exists()


@pytest.mark.parametrize(
    "action",
    [
        actions.register_people,
        actions.register_person,
        actions.save_houses,
        actions.update_person,
        actions.mark_departed,
        actions.unmask,
        actions.set_special_group,
    ],
)
def test_the_acting_user_is_keyword_only(action):
    parameter = inspect.signature(action).parameters["acting_user"]
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
