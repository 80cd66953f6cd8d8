"""The case page's buttons and forms, the page and API routes and the OpenAPI operations are
generated from the action specs: a spec added here appears everywhere, with no other change
(issue #9 item 1). The expected names and labels are written by hand below."""

from __future__ import annotations

import enum
import importlib

import pytest
from django.urls import clear_url_caches
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers
from rest_framework.test import APIClient

from gridgov.accounts.choices import Role
from gridgov.cases.actions import CASES
from gridgov.cases.choices import EventKind, Status
from gridgov.cases.inputs import _Input
from gridgov.lifecycle import ActionSpec, Move, transition
from tests.cases_helpers import make_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


class Extra(enum.StrEnum):
    KNOCK = "knock_twice"


class KnockInput(_Input):
    knocks = serializers.CharField(label="How it sounded", max_length=2000)


def knock(move: Move, knocks: str) -> None:
    move.event(EventKind.PROGRESS_NOTE, knocks)


def _reload_routes() -> None:
    import gridgov.urls

    importlib.reload(gridgov.urls)
    clear_url_caches()


@pytest.fixture
def knock_spec():
    spec = CASES.register(
        ActionSpec(
            action=Extra.KNOCK,
            label="knocked",
            button="Knock twice",
            path=0,  # before "accept": the next step of the normal path
            sources=frozenset({Status.SUBMITTED}),
            targets=frozenset(),
            roles=(Role.COMMUNITY_STAFF,),
            effect=knock,
            input=KnockInput,
        )
    )
    _reload_routes()
    yield spec
    CASES.unregister(spec.name)
    _reload_routes()


def test_a_new_spec_appears_on_the_page_in_the_api_and_in_the_schema(world, client_for, knock_spec):
    case = make_case(world)
    page = client_for("staff").get(f"/cases/{case.number}/").content.decode()
    assert '<details class="action action-knock_twice">' in page
    assert '<summary class="button primary">Knock twice</summary>' in page
    assert f'action="/cases/{case.number}/knock_twice/"' in page
    assert '<textarea name="knocks" rows="2" required>' in page
    assert "How it sounded" in page
    # The button "Accept" is no longer the red one: the new step comes first.
    assert '<summary class="button">受理</summary>' in page  # "Accept", page in Chinese
    # The worker holds no role the spec names: no button.
    assert (
        "Knock twice" not in client_for("worker_a").get(f"/cases/{case.number}/").content.decode()
    )

    posted = client_for("staff").post(f"/cases/{case.number}/knock_twice/", {"knocks": "咚咚"})
    assert posted.status_code == 302
    assert case.events.filter(kind=EventKind.PROGRESS_NOTE, note="咚咚").count() == 1

    api = APIClient()
    api.force_authenticate(world.people.staff)
    detail = api.get(f"/api/v1/cases/{case.pk}/").json()
    assert detail["actions"][:2] == ["knock_twice", "accept"]
    bad = api.post(f"/api/v1/cases/{case.pk}/knock_twice/", {}, format="json")
    assert bad.status_code == 400 and "knocks" in bad.json()
    moved = api.post(f"/api/v1/cases/{case.pk}/knock_twice/", {"knocks": "再敲"}, format="json")
    assert moved.status_code == 200
    assert case.events.filter(kind=EventKind.PROGRESS_NOTE).count() == 2

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/cases/{id}/knock_twice/"]["post"]
    assert operation["operationId"] == "cases_knock_twice"
    assert operation["summary"] == "Knock twice"
    body = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert body == "#/components/schemas/KnockInput"
    assert schema["components"]["schemas"]["KnockInput"]["required"] == ["knocks"]


def test_without_the_spec_nothing_of_it_remains(world, client_for):
    case = make_case(world)
    assert "knock" not in client_for("staff").get(f"/cases/{case.number}/").content.decode()
    response = client_for("staff").post(f"/cases/{case.number}/knock_twice/", {"knocks": "x"})
    assert response.status_code == 404
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "/api/v1/cases/{id}/knock_twice/" not in schema["paths"]


def test_the_old_hyphenated_api_spelling_still_works_outside_the_schema(world):
    case = make_case(world)
    api = APIClient()
    api.force_authenticate(world.people.staff)
    assert (
        api.post(f"/api/v1/cases/{case.pk}/handle-locally/", {}, format="json").status_code == 409
    )
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "/api/v1/cases/{id}/merge-into/" not in schema["paths"]
    assert "/api/v1/cases/{id}/merge_into/" in schema["paths"]


class Silent(enum.StrEnum):
    HUSH = "hush"


def test_a_move_that_writes_no_event_is_rolled_back(world):
    def hush(move: Move) -> None:
        move.obj.title = "悄悄改了"
        move.save("title")

    spec = CASES.register(
        ActionSpec(
            action=Silent.HUSH,
            label="hushed",
            button="Hush",
            sources=frozenset({Status.SUBMITTED}),
            targets=frozenset({Status.ACCEPTED}),
            roles=(Role.COMMUNITY_STAFF,),
            effect=hush,
        )
    )
    try:
        case = make_case(world)
        with pytest.raises(RuntimeError, match="wrote no event"):
            transition(CASES, case, spec.name, acting_user=world.people.staff, data={})
    finally:
        CASES.unregister(spec.name)
    case.refresh_from_db()
    assert (case.status, case.title, case.events.count()) == (Status.SUBMITTED, "楼道水管破裂", 1)
