"""Need-to-know on mediation files (ADR 0016), pinned by hand-written tables: every persona ×
view / act, at level 1 and after escalation to level 2. 404 for everyone outside, residents,
community staff, leaders, departments and administrators included. Parties masked by default;
unmasking audited."""

from __future__ import annotations

import pytest

from gridgov.accounts.choices import Role
from gridgov.audit.models import AuditEntry
from gridgov.mediation import actions
from gridgov.mediation.models import MediationCase, MediationEvent, MediationParty
from tests.factories import MembershipFactory, UserFactory
from tests.mediation_helpers import add_personas, register
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db


@pytest.fixture
def mworld(world):
    add_personas(world)
    user = UserFactory(username="worker_a2")
    MembershipFactory(
        user=user, role=Role.GRID_WORKER, organisation=world.office_a, area=world.grid_a
    )
    world.people.worker_a2 = user
    return world


# Registered in grid A (河西社区), accepted by worker_a, who mediates at level 1.
#            persona:      (view, act)
LEVEL_1 = {
    "anonymous": (302, 302),
    "outsider": (404, 404),
    "resident": (404, 404),
    "worker_a": (200, 302),  # the assigned grid worker
    "worker_a2": (200, 302),  # the grid's other worker, while at level 1
    "worker_b": (404, 404),  # another grid
    "staff": (404, 404),  # community staff: not need-to-know
    "other_staff": (404, 404),
    "dispatcher": (404, 404),
    "handler": (404, 404),
    "police": (404, 404),  # alerted on a risk, but no access to the file
    "mediator": (200, 302),  # the committee over 河西社区
    "mediator2": (200, 302),
    "mediator_b": (404, 404),  # the committee of 河东社区
    "judicial": (200, 302),  # the street's judicial office
    "judicial_b": (404, 404),  # another street's
    "leader": (404, 404),
    "sysadmin": (404, 404),
    "secadmin": (404, 404),
    "auditadmin": (404, 404),
}

# The same case escalated to level 2 with `mediator` assigned.
LEVEL_2 = {
    **LEVEL_1,
    "worker_a": (200, 403),  # a past mediator reads the file, acts no more
    "worker_a2": (404, 404),  # the grid's worker sees level-1 cases only
}


def _state(mediation):
    return (
        MediationParty.objects.filter(mediation=mediation).count(),
        MediationEvent.objects.filter(mediation=mediation).count(),
    )


@pytest.mark.parametrize("level", [1, 2])
def test_view_and_act_matrix(mworld, client_for, level):
    p = mworld.people
    mediation = register(mworld)
    mediation = actions.accept(mediation, acting_user=p.worker_a)
    table = LEVEL_1
    if level == 2:
        actions.escalate(mediation, acting_user=p.worker_a, reason="升级", mediator=p.mediator)
        table = LEVEL_2
    url = f"/mediation/{mediation.pk}/"
    check_matrix(client_for, "get", url, {k: v[0] for k, v in table.items()})
    party = {"side": "respondent", "name": "第三人"}
    refused = {k: v[1] for k, v in table.items() if v[1] != 302 or k == "anonymous"}
    check_matrix(
        client_for, "post", f"{url}add_party/", refused, data=party, state=lambda: _state(mediation)
    )
    allowed = [k for k, v in table.items() if v[1] == 302 and k != "anonymous"]
    before = _state(mediation)[0]
    check_matrix(client_for, "post", f"{url}add_party/", dict.fromkeys(allowed, 302), data=party)
    assert _state(mediation)[0] == before + len(allowed)


# Who lists which of three disputes: grid A and grid B of 河西社区, and one of 河东社区.
LISTED = {
    "worker_a": {"甲网格纠纷"},
    "worker_b": {"乙网格纠纷"},
    "mediator": {"甲网格纠纷", "乙网格纠纷"},
    "mediator_b": {"河东纠纷"},
    "judicial": {"甲网格纠纷", "乙网格纠纷", "河东纠纷"},
    "judicial_b": set(),
    "staff": set(),
    "leader": set(),
}


def register_three(mworld) -> set[str]:
    register(mworld, title="甲网格纠纷")
    register(mworld, area=mworld.grid_b, title="乙网格纠纷")
    register(mworld, area=mworld.grid_c, by=mworld.people.mediator_b, title="河东纠纷")
    return {"甲网格纠纷", "乙网格纠纷", "河东纠纷"}


def test_the_list_shows_exactly_the_cases_within_need_to_know(mworld, client_for):
    titles = register_three(mworld)
    for persona, visible in LISTED.items():
        page = client_for(persona).get("/mediation/?status=all").content.decode()
        assert {t for t in titles if t in page} == visible, persona


def test_parties_are_masked_by_default_and_unmasking_is_audited(mworld, client_for):
    p = mworld.people
    mediation = register(mworld)
    page = client_for("mediator").get(f"/mediation/{mediation.pk}/").content.decode()
    assert "李建国" not in page and "13900001111" not in page
    assert "李**" in page and "139****1111" in page
    party = mediation.parties.get(side="applicant")
    response = client_for("mediator").post(
        f"/mediation/{mediation.pk}/parties/{party.pk}/unmask/", {"reason": "电话通知开会"}
    )
    assert response.status_code == 200
    assert "李建国" in response.content.decode() and "13900001111" in response.content.decode()
    entry = AuditEntry.objects.get(action="mediation.party_unmask", result="success")
    assert entry.detail["reason"] == "电话通知开会" and entry.actor_id == p.mediator.pk
    # Someone who may see but not act (a past mediator) is refused, and that is audited too.
    actions.accept(mediation, acting_user=p.worker_a)
    actions.escalate(mediation, acting_user=p.worker_a, reason="升级", mediator=p.mediator)
    response = client_for("worker_a").post(
        f"/mediation/{mediation.pk}/parties/{party.pk}/unmask/", {"reason": "看看"}
    )
    assert response.status_code == 403 and "李建国" not in response.content.decode()
    assert AuditEntry.objects.filter(action="mediation.party_unmask", result="denied").count() == 1
    # Outside need-to-know: 404, nothing shown.
    response = client_for("staff").post(
        f"/mediation/{mediation.pk}/parties/{party.pk}/unmask/", {"reason": "看看"}
    )
    assert response.status_code == 404


def test_party_details_are_encrypted_at_rest(mworld):
    from django.db import connection

    mediation = register(mworld)
    party = mediation.parties.get(side="applicant")
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, phone FROM mediation_mediationparty WHERE id = %s", [party.pk])
        name, phone = cursor.fetchone()
    assert "李建国" not in name and "13900001111" not in phone


def test_the_nav_entry_is_for_mediators_judicial_officers_and_grid_workers(mworld, client_for):
    for persona, shown in [
        ("mediator", True), ("judicial", True), ("worker_a", True),
        ("staff", False), ("leader", False), ("resident", False),
    ]:  # fmt: skip
        page = client_for(persona).get("/").content.decode()
        assert ('href="/mediation/workbench/"' in page) is shown, persona


def test_registering_is_for_the_committee_the_judicial_office_and_the_grid(mworld, client_for):
    data = {
        "area": mworld.grid_a.pk, "source": "oral", "dispute_type": "family",
        "title": "家庭纠纷", "summary": "赡养费争议", "applicant_name": "张大爷",
    }  # fmt: skip
    response = client_for("staff").post("/mediation/new/", data)
    assert response.status_code == 404
    response = client_for("mediator").post("/mediation/new/", data)
    assert response.status_code == 302
    mediation = MediationCase.objects.get()
    assert (mediation.source, mediation.level, mediation.registered_by) == (
        "oral", 1, mworld.people.mediator,
    )  # fmt: skip


def test_the_detail_page_and_the_list_have_no_n_plus_1(mworld, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.mediation_helpers import session

    p = mworld.people
    mediation = register(mworld)
    mediation = actions.accept(mediation, acting_user=p.worker_a)
    session(mworld, mediation, by=p.worker_a)
    client = client_for("mediator")
    client.get(f"/mediation/{mediation.pk}/")

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    detail, listing = count(f"/mediation/{mediation.pk}/"), count("/mediation/")
    for _ in range(3):
        session(mworld, mediation, by=p.worker_a)
        actions.add_party(mediation, acting_user=p.mediator, side="respondent", name="第三人")
        register(mworld)
    assert count(f"/mediation/{mediation.pk}/") == detail
    assert count("/mediation/") == listing
    assert detail <= 40 and listing <= 20
