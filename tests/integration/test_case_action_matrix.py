"""The permission matrix of every action endpoint: in a state where the move is legal, only the
right persona may make it; everyone else gets 403 (may see) or 404 (may not see), and a refusal
changes nothing."""

import datetime as dt
from typing import Any

import pytest

from gridgov.cases import actions
from gridgov.cases.choices import Status
from gridgov.cases.models import Case, CaseEvent
from tests.cases_helpers import drive, make_case
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db

EVERYONE = [
    "anonymous",
    "resident",
    "worker_a",
    "worker_b",
    "staff",
    "other_staff",
    "dispatcher",
    "handler",
    "handler_urban",
    "leader",
    "mediator",
    "sysadmin",
    "secadmin",
    "outsider",
]


def _in_progress_with_extension(world, case):
    case = drive(world, case, Status.IN_PROGRESS)
    return actions.request_extension(
        case,
        acting_user=world.people.handler,
        until=case.step_due_at + dt.timedelta(days=3),
        reason="r",
    )


def _rated_unhappy(world, case):
    case = drive(world, case, Status.AWAITING_FEEDBACK)
    return actions.rate_case(case, acting_user=world.people.resident, solved=False, satisfaction=2)


# action: (how to prepare the case, the persona who may act, payload)
MATRIX: dict[str, tuple[Any, str, dict[str, Any]]] = {
    "accept": (Status.SUBMITTED, "staff", {}),
    "reject": (Status.SUBMITTED, "staff", {"reason": "r"}),
    "void": (Status.SUBMITTED, "staff", {"reason": "r"}),
    "handle_locally": (Status.ACCEPTED, "staff", {}),
    "merge_into": (Status.SUBMITTED, "staff", {"target": "OTHER"}),
    "handle_on_spot": (Status.SUBMITTED, "worker_a", {"result": "done"}),
    "escalate": (Status.ACCEPTED, "staff", {}),
    "dispatch": (Status.ESCALATED, "dispatcher", {"department": "WATER"}),
    "claim": (Status.DISPATCHED, "handler", {}),
    "return": (Status.IN_PROGRESS, "handler", {"reason": "r", "basis": "b"}),
    "rule_return": (Status.RETURN_REQUESTED, "dispatcher", {"decision": "force"}),
    "request_extension": (
        Status.IN_PROGRESS,
        "handler",
        {"until": "2099-01-01T12:00:00+08:00", "reason": "r"},
    ),
    "grant_extension": (_in_progress_with_extension, "dispatcher", {}),
    "refuse_extension": (_in_progress_with_extension, "dispatcher", {"reason": "r"}),
    "resolve": (Status.IN_PROGRESS, "handler", {"result": "done"}),
    "verify": (Status.RESOLVED, "worker_a", {"passed": True}),
    "rate": (Status.AWAITING_FEEDBACK, "resident", {"solved": True, "satisfaction": 5}),
    "reopen": (_rated_unhappy, "resident", {"reason": "r"}),
    "close": (Status.AWAITING_FEEDBACK, "staff", {}),
    "supervise": (Status.IN_PROGRESS, "leader", {"level": "red"}),
    "refer_to_mediation": (Status.ACCEPTED, "staff", {}),
    "add_progress_note": (Status.IN_PROGRESS, "handler", {"note": "n"}),
}

# Personas who may also take the action in that state (a second allowed role).
ALSO_ALLOWED = {
    "add_progress_note": {"dispatcher"},
    "verify": {"staff"},
    "rate": {"staff"},
    "reopen": {"staff"},
    "supervise": {"dispatcher"},
    "refer_to_mediation": {"worker_a"},
}


@pytest.mark.parametrize("action", sorted(MATRIX))
def test_action_permission_matrix(world, client_for, action):
    prepare, allowed, payload = MATRIX[action]
    case = make_case(world)
    case = prepare(world, case) if callable(prepare) else drive(world, case, prepare)
    if payload.get("department") == "WATER":
        payload = {**payload, "department": world.water.pk}
    if payload.get("target") == "OTHER":
        payload = {**payload, "target": make_case(world).number}
    visible = set(Case.objects.filter(pk=case.pk).values_list("pk", flat=True))

    def snapshot():
        return (
            list(Case.objects.filter(pk=case.pk).values_list("status", "updated_at")),
            CaseEvent.objects.filter(case=case).count(),
        )

    expected = {}
    for persona in EVERYONE:
        if persona == allowed or persona in ALSO_ALLOWED.get(action, set()):
            continue
        if persona == "anonymous":
            expected[persona] = 403
            continue
        user = getattr(world.people, persona)
        sees = Case.objects.visible_to(user).filter(pk__in=visible).exists()
        expected[persona] = 403 if sees else 404
    url = f"/api/v1/cases/{case.pk}/{action}/"
    check_matrix(
        client_for,
        "post",
        url,
        expected,
        data=payload,
        content_type="application/json",
        state=snapshot,
    )
    if action == "handle_on_spot":  # needs a photo: the right persona is told so, nothing moves
        response = client_for(allowed).post(url, payload, content_type="application/json")
        assert response.status_code == 409 and "照片" in response.json()["detail"]
        return
    check_matrix(
        client_for, "post", url, {allowed: 200}, data=payload, content_type="application/json"
    )
