"""A case referred to mediation shows it (调解中) and waits for mediation: referral only while
the community holds the case (submitted or accepted; a submitted one is accepted by it), its step
clock stopped, and back through `conclude_mediation` (ADR 0016)."""

from __future__ import annotations

import pytest

from gridgov.cases import actions
from gridgov.cases.actions.mediation import on_mediation_concluded
from gridgov.cases.actions.sweeps import sweep_time_limits
from gridgov.cases.choices import Status
from gridgov.cases.models import Case, CaseEvent
from gridgov.lifecycle import IllegalMove
from tests.cases_helpers import drive, make_case

pytestmark = pytest.mark.django_db


def test_a_submitted_dispute_referred_by_its_grid_worker_is_accepted_and_in_mediation(world):
    case = make_case(world)
    assert case.status == Status.SUBMITTED and case.step_due_at is not None
    case = actions.refer_to_mediation(case, acting_user=world.people.worker_a, note="邻里纠纷")
    case = Case.objects.get(pk=case.pk)
    assert case.status == Status.IN_MEDIATION
    assert (case.step, case.step_started_at, case.step_due_at) == ("", None, None)
    event = CaseEvent.objects.filter(case=case).order_by("pk").last()
    assert (event.kind, event.from_status, event.to_status, event.note, event.data) == (
        "referred_to_mediation", "submitted", "in_mediation", "邻里纠纷", {"accepted": True},
    )  # fmt: skip


def test_an_accepted_case_referred_records_no_second_acceptance(world):
    case = drive(world, make_case(world), Status.ACCEPTED)
    actions.refer_to_mediation(case, acting_user=world.people.staff)
    event = CaseEvent.objects.filter(case=case).order_by("pk").last()
    assert (event.from_status, event.to_status, event.data) == (
        "accepted", "in_mediation", {"accepted": False},
    )  # fmt: skip


@pytest.mark.parametrize(
    "status", [Status.ESCALATED, Status.DISPATCHED, Status.IN_PROGRESS, Status.RESOLVED]
)
def test_a_case_the_community_no_longer_holds_cannot_be_referred(world, client_for, status):
    case = drive(world, make_case(world), status)
    before = CaseEvent.objects.filter(case=case).count()
    response = client_for("staff").post(
        f"/api/v1/cases/{case.pk}/refer_to_mediation/", {}, content_type="application/json"
    )
    assert response.status_code == 409
    assert "不能转入调解" in response.json()["detail"]
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.mediation_referred_at) == (status, None)
    assert CaseEvent.objects.filter(case=case).count() == before


def test_the_case_page_shows_in_mediation_and_offers_only_notes_and_supervision(world, client_for):
    case = actions.refer_to_mediation(make_case(world), acting_user=world.people.staff)
    page = client_for("staff").get(f"/cases/{case.number}/")
    assert page.status_code == 200
    assert "调解中" in page.content.decode()
    assert [form.action for form in page.context["actions"]] == ["add_progress_note"]
    page = client_for("leader").get(f"/cases/{case.number}/")
    assert [form.action for form in page.context["actions"]] == ["supervise"]


def test_the_time_limit_sweep_leaves_a_case_in_mediation_alone(world):
    case = actions.refer_to_mediation(make_case(world), acting_user=world.people.staff)
    Case.objects.filter(pk=case.pk).update(step="accept", step_due_at="2000-01-01T00:00:00Z")
    sweep_time_limits()
    case = Case.objects.get(pk=case.pk)
    assert case.sla_level == "ok"
    assert not CaseEvent.objects.filter(case=case, kind="sla_changed").exists()


def test_a_failed_mediation_returns_it_accepted_and_it_is_not_referred_twice(world):
    case = actions.refer_to_mediation(make_case(world), acting_user=world.people.worker_a)
    assert on_mediation_concluded({"case_id": case.pk, "outcome": "failed", "result": "r"})
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.step) == (Status.ACCEPTED, "dispatch")
    with pytest.raises(IllegalMove, match="已转入调解"):
        actions.refer_to_mediation(case, acting_user=world.people.staff)
