"""Who sees, changes and creates what, written out by hand: persona × object → yes or no.

Each table asserts success for the personas allowed (not only refusal for the others). The table
is the reference (docs/architecture.md "Visibility", domain.md §2 and §8), typed in
here cell by cell; nothing is computed with `visible_to()`. Each cell is checked three ways for
a case (its page, the API detail, presence in the API list) and two ways for a person (the
registry page and the API detail). "Not visible" means 404 for a signed-in user (never 403: a
refusal must not confirm that the object exists), the login page for an anonymous visitor on a
page, and 401/403 for an anonymous API call.
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from gridgov.cases import actions
from gridgov.cases.choices import Channel, Status
from tests.cases_helpers import drive, make_case
from tests.registry_helpers import make_person

pytestmark = pytest.mark.django_db

PERSONAS = (
    "resident",
    "worker_a",
    "worker_b",
    "staff",
    "other_staff",
    "dispatcher",
    "handler",
    "handler_urban",
    "mediator",
    "judicial",
    "leader",
    "sysadmin",
    "secadmin",
    "auditadmin",
    "outsider",
    "anonymous",
)

# Columns of the case table, and how each case is made (below).
CASES = (
    "grid_a",  # in grid A (community A), registered by staff from a hotline call
    "grid_b",  # in grid B (community A)
    "grid_c",  # in grid C (community B)
    "community_a",  # community A, location unclear: no grid
    "dispatched_water",  # grid A, dispatched by the street to the water department
    "mediation",  # grid A, referred to mediation
    "resident_report",  # reported by `resident` from the app, in grid C (outside their community)
)

Y, N = True, False
# fmt: off
CASE_TABLE = {
    #                grid_a grid_b grid_c comm_a water  media  resident_report
    "resident":      (N,     N,     N,     N,     N,     N,     Y),
    "worker_a":      (Y,     N,     N,     N,     Y,     Y,     N),
    "worker_b":      (N,     Y,     N,     N,     N,     N,     N),
    "staff":         (Y,     Y,     N,     Y,     Y,     Y,     N),
    "other_staff":   (N,     N,     Y,     N,     N,     N,     Y),
    "dispatcher":    (Y,     Y,     Y,     Y,     Y,     Y,     Y),
    "handler":       (N,     N,     N,     N,     Y,     N,     N),
    "handler_urban": (N,     N,     N,     N,     N,     N,     N),
    "mediator":      (N,     N,     N,     N,     N,     Y,     N),
    "judicial":      (N,     N,     N,     N,     N,     Y,     N),
    "leader":        (Y,     Y,     Y,     Y,     Y,     Y,     Y),
    "sysadmin":      (N,     N,     N,     N,     N,     N,     N),
    "secadmin":      (N,     N,     N,     N,     N,     N,     N),
    "auditadmin":    (N,     N,     N,     N,     N,     N,     N),
    "outsider":      (N,     N,     N,     N,     N,     N,     N),
    "anonymous":     (N,     N,     N,     N,     N,     N,     N),
}
# People: registry rows, seen by grid workers (their grid), community staff (their community)
# and leaders (their area); nobody else has the need (departments, the street's dispatchers,
# mediators, the three administrators).
PEOPLE = ("person_grid_a", "person_grid_c")
PEOPLE_TABLE = {
    #                grid A  grid C
    "resident":      (N,     N),
    "worker_a":      (Y,     N),
    "worker_b":      (N,     N),
    "staff":         (Y,     N),
    "other_staff":   (N,     Y),
    "dispatcher":    (N,     N),
    "handler":       (N,     N),
    "handler_urban": (N,     N),
    "mediator":      (N,     N),
    "judicial":      (N,     N),
    "leader":        (Y,     Y),
    "sysadmin":      (N,     N),
    "secadmin":      (N,     N),
    "auditadmin":    (N,     N),
    "outsider":      (N,     N),
    "anonymous":     (N,     N),
}
# Grid pages (/grids/<code>/): the area tree by membership scope. Grid workers their grid;
# community staff, residents and the community's mediation committee their community; the
# street's dispatchers, leaders and judicial office the street; departments and the system
# administrator the city. Security and audit administrators see no area data (三权分立).
GRIDS = ("grid_a", "grid_c")
GRID_TABLE = {
    #                grid A  grid C
    "resident":      (Y,     N),
    "worker_a":      (Y,     N),
    "worker_b":      (N,     N),
    "staff":         (Y,     N),
    "other_staff":   (N,     Y),
    "dispatcher":    (Y,     Y),
    "handler":       (Y,     Y),
    "handler_urban": (Y,     Y),
    "mediator":      (Y,     N),
    "judicial":      (Y,     Y),
    "leader":        (Y,     Y),
    "sysadmin":      (Y,     Y),
    "secadmin":      (N,     N),
    "auditadmin":    (N,     N),
    "outsider":      (N,     N),
    "anonymous":     (N,     N),
}
# Changing a person (the edit page): the owning grid's worker and its community's staff only;
# leaders see the registry but do not edit it (ADR 0011, `scope.REGISTRY`).
PEOPLE_CHANGE_TABLE = {
    #                grid A  grid C
    "resident":      (N,     N),
    "worker_a":      (Y,     N),
    "worker_b":      (N,     N),
    "staff":         (Y,     N),
    "other_staff":   (N,     Y),
    "dispatcher":    (N,     N),
    "handler":       (N,     N),
    "handler_urban": (N,     N),
    "mediator":      (N,     N),
    "judicial":      (N,     N),
    "leader":        (N,     N),
    "sysadmin":      (N,     N),
    "secadmin":      (N,     N),
    "auditadmin":    (N,     N),
    "outsider":      (N,     N),
    "anonymous":     (N,     N),
}
# Registering a case over the API, by where it is: a point in grid A, in grid B (the next grid of
# community A), community A with no location, a point in grid C (community B). Residents report
# anywhere; grid workers for their grid's whole community; community staff for their community;
# the street's dispatchers and leaders for the street; nobody else. Whoever registers a case
# gets it back and can open it afterwards (the creator rule, ADR 0011).
WHERE = ("grid_a", "grid_b", "community_a", "grid_c")
CREATE_TABLE = {
    #                grid_a grid_b comm_a grid_c
    "resident":      (Y,     Y,     Y,     Y),
    "worker_a":      (Y,     Y,     Y,     N),
    "worker_b":      (Y,     Y,     Y,     N),
    "staff":         (Y,     Y,     Y,     N),
    "other_staff":   (N,     N,     N,     Y),
    "dispatcher":    (Y,     Y,     Y,     Y),
    "handler":       (N,     N,     N,     N),
    "handler_urban": (N,     N,     N,     N),
    "mediator":      (N,     N,     N,     N),
    "judicial":      (N,     N,     N,     N),
    "leader":        (Y,     Y,     Y,     Y),
    "sysadmin":      (N,     N,     N,     N),
    "secadmin":      (N,     N,     N,     N),
    "auditadmin":    (N,     N,     N,     N),
    "outsider":      (N,     N,     N,     N),
    "anonymous":     (N,     N,     N,     N),
}
# Organisations (the API list): one's own, those working inside one's areas, and those above
# them; security and audit administrators and outsiders none.
ORGANISATIONS = ("HX-SQ", "HD-SQ", "LY-JD", "LJ-SW", "LY-SFS", "LJ-CG", "HX-TWH")
ORGANISATION_TABLE = {
    #                河西  河东  街道  水务  司法所 城管  调委会
    "resident":      (Y,    N,    Y,    Y,    Y,     Y,    Y),
    "worker_a":      (Y,    N,    Y,    Y,    Y,     Y,    Y),
    "worker_b":      (Y,    N,    Y,    Y,    Y,     Y,    Y),
    "staff":         (Y,    N,    Y,    Y,    Y,     Y,    Y),
    "other_staff":   (N,    Y,    Y,    Y,    Y,     Y,    N),
    "dispatcher":    (Y,    Y,    Y,    Y,    Y,     Y,    Y),
    "handler":       (Y,    Y,    Y,    Y,    Y,     Y,    Y),
    "handler_urban": (Y,    Y,    Y,    Y,    Y,     Y,    Y),
    "mediator":      (Y,    N,    Y,    Y,    Y,     Y,    Y),
    "judicial":      (Y,    Y,    Y,    Y,    Y,     Y,    Y),
    "leader":        (Y,    Y,    Y,    Y,    Y,     Y,    Y),
    "sysadmin":      (Y,    Y,    Y,    Y,    Y,     Y,    Y),
    "secadmin":      (N,    N,    N,    N,    N,     N,    N),
    "auditadmin":    (N,    N,    N,    N,    N,     N,    N),
    "outsider":      (N,    N,    N,    N,    N,     N,    N),
    "anonymous":     (N,    N,    N,    N,    N,     N,    N),
}
LOCATIONS: dict[str, dict[str, object]] = {
    "grid_a": {"lat": 42.765, "lon": 129.405},
    "grid_b": {"lat": 42.765, "lon": 129.415},
    "community_a": {"community": "222405001001"},
    "grid_c": {"lat": 42.765, "lon": 129.425},
}
# fmt: on


def test_the_tables_cover_every_persona():
    tables = (
        CASE_TABLE,
        PEOPLE_TABLE,
        GRID_TABLE,
        PEOPLE_CHANGE_TABLE,
        CREATE_TABLE,
        ORGANISATION_TABLE,
    )
    assert all(set(table) == set(PERSONAS) for table in tables)
    assert all(len(row) == len(CASES) for row in CASE_TABLE.values())
    assert all(len(row) == len(WHERE) for row in CREATE_TABLE.values())


@pytest.fixture
def cases(world):
    p = world.people
    made = {
        "grid_a": make_case(world, reporter_user=None),
        "grid_b": make_case(world, reporter_user=None, building=world.building_b),
        "grid_c": make_case(world, by=p.other_staff, reporter_user=None, building=world.building_c),
        "community_a": make_case(
            world, reporter_user=None, building=None, community=world.community_a
        ),
        "dispatched_water": drive(world, make_case(world, reporter_user=None), Status.DISPATCHED),
        "mediation": actions.refer_to_mediation(
            make_case(world, reporter_user=None), acting_user=p.staff, note="邻里纠纷"
        ),
        "resident_report": actions.create_case(
            acting_user=p.resident,
            channel=Channel.RESIDENT_APP,
            title="河东路灯不亮",
            description="河东社区丙1号楼门前路灯不亮。",
            building=world.building_c,
            reporter_user=p.resident,
        ),
    }
    assert list(made) == list(CASES)
    return made


def _api(world, persona):
    client = APIClient()
    if persona != "anonymous":
        client.force_authenticate(getattr(world.people, persona))
    return client


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sees_which_case(world, cases, client_for, persona):
    page_client = client_for(persona)
    api = _api(world, persona)
    listed = api.get("/api/v1/cases/", {"page_size": 100})
    listed_ids = (
        {row["id"] for row in listed.json()["results"]} if listed.status_code == 200 else set()
    )
    wrong = []
    for name, visible in zip(CASES, CASE_TABLE[persona], strict=True):
        case = cases[name]
        page = page_client.get(f"/cases/{case.number}/").status_code
        detail = api.get(f"/api/v1/cases/{case.pk}/").status_code
        if persona == "anonymous":
            expected = (302, {401, 403}, False)
        else:
            expected = (200 if visible else 404, {200 if visible else 404}, visible)
        got = (page, detail, case.pk in listed_ids)
        if got[0] != expected[0] or got[1] not in expected[1] or got[2] != expected[2]:
            wrong.append(f"{name}: page/api/listed expected {expected}, got {got}")
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sees_which_person(world, client_for, persona):
    people = {
        "person_grid_a": make_person(world.building_a, name="王小明"),
        "person_grid_c": make_person(world.building_c, name="李小红"),
    }
    page_client = client_for(persona)
    api = _api(world, persona)
    wrong = []
    for name, visible in zip(PEOPLE, PEOPLE_TABLE[persona], strict=True):
        person = people[name]
        page = page_client.get(f"/registry/people/{person.pk}/").status_code
        detail = api.get(f"/api/v1/people/{person.pk}/").status_code
        if persona == "anonymous":
            ok = page == 302 and detail in (401, 403)
        else:
            ok = (page, detail) == ((200, 200) if visible else (404, 404))
        if not ok:
            state = "visible" if visible else "hidden"
            wrong.append(f"{name}: expected {state}, got page/api {page, detail}")
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sees_which_grid_page(world, client_for, persona):
    client = client_for(persona)
    wrong = []
    for name, visible in zip(GRIDS, GRID_TABLE[persona], strict=True):
        status = client.get(f"/grids/{getattr(world, name).code}/").status_code
        expected = 302 if persona == "anonymous" else (200 if visible else 404)
        if status != expected:
            wrong.append(f"{name}: expected {expected}, got {status}")
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_changes_which_person(world, client_for, persona):
    people = {
        "person_grid_a": make_person(world.building_a, name="王小明"),
        "person_grid_c": make_person(world.building_c, name="李小红"),
    }
    client = client_for(persona)
    wrong = []
    for name, allowed in zip(PEOPLE, PEOPLE_CHANGE_TABLE[persona], strict=True):
        person = people[name]
        status = client.get(f"/registry/people/{person.pk}/edit/").status_code
        expected = 302 if persona == "anonymous" else (200 if allowed else 404)
        if status != expected:
            wrong.append(f"{name}: expected {expected}, got {status}")
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_registers_a_case_where(world, persona):
    from gridgov.cases.models import Case

    api = _api(world, persona)
    wrong = []
    for where, allowed in zip(WHERE, CREATE_TABLE[persona], strict=True):
        before = Case.objects.count()
        body: dict[str, object] = {"title": "井盖缺失", "description": "路口井盖缺失。"}
        body.update(LOCATIONS[where])
        response = api.post("/api/v1/cases/", body, format="json")
        if allowed:
            if response.status_code != 201:
                wrong.append(f"{where}: expected 201, got {response.status_code}")
                continue
            case_id = response.json()["id"]
            opened = api.get(f"/api/v1/cases/{case_id}/").status_code
            if opened != 200:
                wrong.append(f"{where}: registered, but opening it gave {opened}")
        else:
            refused = {401, 403} if persona == "anonymous" else {403}
            if response.status_code not in refused or Case.objects.count() != before:
                wrong.append(f"{where}: expected a refusal, got {response.status_code}")
    assert not wrong, f"{persona}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_sees_which_organisation(world, persona):
    response = _api(world, persona).get("/api/v1/organisations/", {"page_size": 100})
    if persona == "anonymous":
        assert response.status_code in (401, 403)
        return
    assert response.status_code == 200
    listed = {row["code"] for row in response.json()["results"]}
    expected = {
        code
        for code, visible in zip(ORGANISATIONS, ORGANISATION_TABLE[persona], strict=True)
        if visible
    }
    assert listed == expected, persona
