"""The loop: a case referred to mediation is registered there through the outbox (once, however
often delivered), and the case moves on through its own action when mediation ends."""

from __future__ import annotations

import pytest

from gridgov.cases import actions as case_actions
from gridgov.cases.choices import Status
from gridgov.cases.models import Case, CaseEvent
from gridgov.mediation import actions
from gridgov.mediation.handlers import register_referral
from gridgov.mediation.models import MediationCase
from gridgov.outbox.models import OutboxMessage
from tests.cases_helpers import drive, make_case
from tests.mediation_helpers import add_personas, session, written_agreement

pytestmark = pytest.mark.django_db


@pytest.fixture
def mworld(world):
    add_personas(world)
    return world


def _refer(world, run):
    case = drive(world, make_case(world, title="楼上漏水邻里纠纷"), Status.ACCEPTED)
    with run(execute=True):
        case_actions.refer_to_mediation(case, acting_user=world.people.staff, note="邻里纠纷")
    return case


def test_a_referred_case_is_registered_once_with_the_reporter_as_applicant(
    mworld, django_capture_on_commit_callbacks
):
    case = _refer(mworld, django_capture_on_commit_callbacks)
    row = OutboxMessage.objects.get(topic="cases.referred_to_mediation")
    assert row.payload == {"case_id": case.pk}
    mediation = MediationCase.objects.get(case=case)
    assert (mediation.source, mediation.status, mediation.title) == (
        "referral", "registered", "楼上漏水邻里纠纷",
    )  # fmt: skip
    # The case's category (0301, a burst pipe) is not one of the 07 dispute types.
    assert mediation.dispute_type == "other"
    assert mediation.area_path == case.area_path
    [party] = mediation.parties.all()
    assert (party.side, party.name, party.phone) == ("applicant", "王女士", "13912345678")
    # A second delivery finds it.
    assert register_referral({"case_id": case.pk}) == mediation.pk
    assert MediationCase.objects.filter(case=case).count() == 1


def test_an_agreement_resolves_the_referring_case_through_its_own_action(
    mworld, django_capture_on_commit_callbacks
):
    p = mworld.people
    case = _refer(mworld, django_capture_on_commit_callbacks)
    mediation = MediationCase.objects.get(case=case)
    actions.add_party(mediation, acting_user=p.mediator, side="respondent", name="赵小红")
    mediation = actions.accept(mediation, acting_user=p.mediator)
    mediation = session(mworld, mediation, by=p.worker_a)
    with django_capture_on_commit_callbacks(execute=True):
        written_agreement(mworld, mediation, terms="赔偿2000元")
    case = Case.objects.get(pk=case.pk)
    assert case.status == Status.RESOLVED
    assert "赔偿2000元" in case.result and mediation.number in case.result
    assert case.owner == mworld.office_a
    event = CaseEvent.objects.filter(case=case).order_by("pk").last()
    assert (event.kind, event.actor, event.from_status, event.to_status) == (
        "mediation_concluded", None, "in_mediation", "resolved",
    )  # fmt: skip
    assert event.data == {"mediation": mediation.number, "outcome": "agreed"}
    # The community verifies it like any result.
    case = case_actions.verify_case(case, acting_user=p.worker_a, passed=True)
    assert case.status == Status.AWAITING_FEEDBACK


def test_a_refused_mediation_returns_the_case_to_the_community(
    mworld, django_capture_on_commit_callbacks
):
    p = mworld.people
    case = drive(mworld, make_case(mworld), Status.ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True):
        case_actions.refer_to_mediation(case, acting_user=p.staff)
    mediation = MediationCase.objects.get(case=case)
    with django_capture_on_commit_callbacks(execute=True):
        actions.not_accept(mediation, acting_user=p.mediator, reason="被申请人拒绝调解")
    case = Case.objects.get(pk=case.pk)
    assert case.status == Status.ACCEPTED
    assert case.owner == mworld.office_a
    assert case.step == "dispatch" and case.step_due_at is not None
    event = CaseEvent.objects.filter(case=case).order_by("pk").last()
    assert (event.kind, event.note, event.data["outcome"]) == (
        "mediation_concluded", "被申请人拒绝调解", "not_accepted",
    )  # fmt: skip


def test_no_one_takes_the_case_action_by_hand(mworld, client_for):
    case = drive(mworld, make_case(mworld), Status.ACCEPTED)
    case_actions.refer_to_mediation(case, acting_user=mworld.people.staff)
    for persona in ("staff", "worker_a", "dispatcher"):
        response = client_for(persona).post(
            f"/api/v1/cases/{case.pk}/conclude_mediation/",
            {"outcome": "agreed", "mediation": "TJ1", "result": "x"},
            content_type="application/json",
        )
        assert response.status_code == 403, persona
    assert Case.objects.get(pk=case.pk).status == Status.IN_MEDIATION


def test_a_case_moved_on_meanwhile_is_left_as_it_is(mworld):
    from gridgov.cases.actions.mediation import on_mediation_concluded

    case = drive(mworld, make_case(mworld), Status.ACCEPTED)
    case_actions.refer_to_mediation(case, acting_user=mworld.people.staff)
    # A failure returned it to the community; a late "agreed" (a redelivery) changes nothing.
    assert on_mediation_concluded({"case_id": case.pk, "outcome": "failed"}) is True
    case_actions.escalate_case(Case.objects.get(pk=case.pk), acting_user=mworld.people.staff)
    assert on_mediation_concluded({"case_id": case.pk, "outcome": "agreed"}) is False
    assert Case.objects.get(pk=case.pk).status == Status.ESCALATED
