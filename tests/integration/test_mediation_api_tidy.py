"""The mediation API is scoped exactly like the pages (ADR 0016, the tables of
test_mediation_permissions.py): 404 outside need-to-know, parties masked, the list paginated
without N+1, and one route per move that refuses as the pages do and changes nothing then."""

from __future__ import annotations

import pytest

from gridgov.mediation import actions
from gridgov.mediation.models import MediationCase
from tests.integration import test_mediation_permissions as pages
from tests.mediation_helpers import register
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db
mworld = pages.mworld  # the fixture: the pages' personas, a second grid worker of grid A
_state = pages._state


def _api(table: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    """The pages' (view, act) table as the API answers it: the anonymous caller gets 403 (no
    login redirect), and a move made is 200 (no redirect to the page)."""
    return {
        persona: (403, 403) if persona == "anonymous" else (view, 200 if act == 302 else act)
        for persona, (view, act) in table.items()
    }


LEVEL_1 = _api(pages.LEVEL_1)
LEVEL_2 = _api(pages.LEVEL_2)


@pytest.mark.parametrize("level", [1, 2])
def test_read_and_move_matrix_mirrors_the_pages(mworld, client_for, level):
    p = mworld.people
    mediation = actions.accept(register(mworld), acting_user=p.worker_a)
    table = LEVEL_1
    if level == 2:
        actions.escalate(mediation, acting_user=p.worker_a, reason="升级", mediator=p.mediator)
        table = LEVEL_2
    url = f"/api/v1/mediations/{mediation.pk}/"
    check_matrix(client_for, "get", url, {k: v[0] for k, v in table.items()})
    party = {"side": "respondent", "name": "第三人"}
    refused = {k: v[1] for k, v in table.items() if v[1] != 200}
    check_matrix(
        client_for,
        "post",
        f"{url}add_party/",
        refused,
        data=party,
        content_type="application/json",
        state=lambda: _state(mediation),
    )
    allowed = [k for k, v in table.items() if v[1] == 200]
    before = _state(mediation)[0]
    check_matrix(
        client_for,
        "post",
        f"{url}add_party/",
        dict.fromkeys(allowed, 200),
        data=party,
        content_type="application/json",
    )
    assert _state(mediation)[0] == before + len(allowed)


def test_the_list_holds_exactly_the_cases_within_need_to_know(mworld, client_for):
    pages.register_three(mworld)
    for persona, visible in {**pages.LISTED, "police": set(), "resident": set()}.items():
        body = client_for(persona).get("/api/v1/mediations/").json()
        assert {row["title"] for row in body["results"]} == visible, persona
        assert body["count"] == len(visible), persona


def test_parties_are_masked_as_on_the_page_and_no_address_is_given(mworld, client_for):
    mediation = register(mworld)
    party = mediation.parties.get(side="applicant")
    party.address = "河西社区甲1号楼3单元502"
    party.id_number = "110101199003074514"
    party.save()
    response = client_for("mediator").get(f"/api/v1/mediations/{mediation.pk}/")
    text = response.content.decode()
    assert response.status_code == 200
    for secret in ("李建国", "13900001111", "110101199003074514", "502", "甲1号楼"):
        assert secret not in text, secret
    applicant = next(x for x in response.json()["parties"] if x["side"] == "applicant")
    assert (applicant["name"], applicant["phone"], applicant["id_number"]) == (
        "李**", "139****1111", "1****************4",
    )  # fmt: skip
    assert "address" not in applicant


def test_the_list_is_paginated_and_its_queries_do_not_grow(
    mworld, client_for, django_assert_num_queries
):
    client = client_for("mediator")
    for i in range(3):
        register(mworld, title=f"纠纷{i}")
    client.get("/api/v1/mediations/")
    # session, user, two-factor device, memberships; the count and the page (need-to-know and
    # the referring case, community and grid joined into them: nothing per row).
    with django_assert_num_queries(6) as first:
        body = client.get("/api/v1/mediations/?page_size=2").json()
    assert (body["count"], len(body["results"])) == (3, 2) and body["next"]
    for i in range(5):
        register(mworld, title=f"更多{i}")
    with django_assert_num_queries(len(first.captured_queries)):
        body = client.get("/api/v1/mediations/").json()
    assert (body["count"], len(body["results"])) == (8, 8)


def test_a_move_in_the_wrong_state_is_409_and_changes_nothing(mworld, client_for):
    mediation = register(mworld)
    client = client_for("mediator")
    response = client.post(f"/api/v1/mediations/{mediation.pk}/accept/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "accepted"
    before = _state(mediation)
    response = client.post(f"/api/v1/mediations/{mediation.pk}/accept/", {}, format="json")
    assert response.status_code == 409
    assert "受理" in response.json()["detail"]
    assert _state(mediation) == before
    assert MediationCase.objects.get(pk=mediation.pk).status == "accepted"


def test_the_status_filter_and_the_detail_actions(mworld, client_for):
    p = mworld.people
    first = register(mworld, title="已受理")
    actions.accept(first, acting_user=p.worker_a)
    register(mworld, title="待受理")
    client = client_for("mediator")
    rows = client.get("/api/v1/mediations/?status=accepted").json()["results"]
    assert [r["title"] for r in rows] == ["已受理"]
    detail = client.get(f"/api/v1/mediations/{first.pk}/").json()
    assert "record_session" in detail["actions"] and "accept" not in detail["actions"]
    assert [e["kind"] for e in detail["events"]][:2] == ["registered", "accepted"]
