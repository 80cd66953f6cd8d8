"""The one path of every move (gridgov/lifecycle/move.py) on real cases: how a move is refused
(wrong status, a guard, no role, no user), what a move writes (event, audit row, outbox row), and
the kernel's own checks. Expected messages and rows are written by hand."""

from __future__ import annotations

import enum

import pytest
from django.utils import translation

from gridgov.accounts.models import Membership
from gridgov.audit.models import AuditEntry
from gridgov.cases import actions
from gridgov.cases.actions import CASES
from gridgov.cases.choices import EventKind, Status
from gridgov.cases.models import Case, CaseEvent
from gridgov.lifecycle import ActionSpec, IllegalMove, Move, NotAllowed, transition
from gridgov.outbox.models import OutboxMessage
from tests.cases_helpers import drive, make_case

pytestmark = pytest.mark.django_db


def _state(case: Case):
    return (
        list(Case.objects.filter(pk=case.pk).values_list("status", "updated_at")),
        CaseEvent.objects.filter(case=case).count(),
        AuditEntry.objects.count(),
        OutboxMessage.objects.count(),
    )


def test_a_move_from_a_wrong_status_is_refused_in_plain_words_and_changes_nothing(world):
    case = drive(world, make_case(world), Status.ACCEPTED)
    before = _state(case)
    with translation.override("en"), pytest.raises(IllegalMove) as refused:
        actions.claim_case(case, acting_user=world.people.handler)
    assert str(refused.value) == "This case is “Accepted”: it cannot be claimed now."
    with translation.override("zh-hans"), pytest.raises(IllegalMove) as refused:
        actions.dispatch_case(case, acting_user=world.people.dispatcher, department=world.water)
    assert str(refused.value) == "该工单当前状态为“已受理”，现在不能派单。"
    assert _state(case) == before


def test_a_guard_refuses_before_the_role_is_asked(world):
    case = drive(world, make_case(world), Status.IN_PROGRESS)
    before = _state(case)
    with translation.override("en"), pytest.raises(IllegalMove) as refused:
        # The outsider holds no role: the guard's message still comes first.
        actions.grant_extension(case, acting_user=world.people.outsider)
    assert str(refused.value) == "No extension has been asked for."
    assert _state(case) == before


def test_a_user_without_a_role_and_no_user_for_a_users_action_are_refused(world):
    case = make_case(world)
    before = _state(case)
    with translation.override("en"):
        with pytest.raises(NotAllowed) as refused:
            actions.accept_case(case, acting_user=world.people.other_staff)
        assert str(refused.value) == "You may not do this on this case."
        with pytest.raises(NotAllowed) as refused:
            actions.accept_case(case, acting_user=None)
        assert str(refused.value) == "You may not do this on this case."
    assert _state(case) == before


def test_a_move_writes_its_status_one_event_one_audit_row_and_its_messages(world):
    # The staff member also mediates: the audit row names the role the move was taken under.
    Membership.objects.create(
        user=world.people.staff, role="mediator", organisation=world.committee
    )
    case, bystander = make_case(world), make_case(world)
    _status_before, events, audits, messages = _state(case)
    old_updated = Case.objects.get(pk=case.pk).updated_at
    moved = actions.accept_case(case, acting_user=world.people.staff, note="收到")
    fresh = Case.objects.get(pk=case.pk)
    assert (moved.status, fresh.status) == ("accepted", "accepted")
    assert fresh.updated_at > old_updated
    assert Case.objects.get(pk=bystander.pk).status == "submitted"  # only this case moved
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.kind, event.from_status, event.to_status, event.note) == (
        "accepted",
        "submitted",
        "accepted",
        "收到",
    )
    assert (event.actor, event.actor_role, event.actor_org) == (
        world.people.staff,
        "community_staff",
        world.office_a,
    )
    assert CaseEvent.objects.filter(case=case).count() == events + 1
    assert AuditEntry.objects.count() == audits + 1
    audit = AuditEntry.objects.latest("seq")
    assert (audit.action, audit.role, audit.object_repr, audit.actor_id, audit.actor_name) == (
        "case.accepted",
        "community_staff",
        case.number,
        world.people.staff.pk,
        "staff",
    )
    assert (audit.object_type, audit.object_id) == ("cases.case", str(case.pk))
    assert audit.detail == {"from": "submitted", "to": "accepted"}
    assert OutboxMessage.objects.count() > messages


def test_the_system_may_take_a_system_action_and_is_named_so(world):
    case = drive(world, make_case(world), Status.AWAITING_FEEDBACK)
    actions.close_case(case, acting_user=None)
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.kind, event.actor, event.actor_role, event.actor_org) == (
        EventKind.AUTO_CLOSED,
        None,
        "",
        None,
    )
    assert (event.note, event.data) == ("", {"evaluated": False})
    assert (event.from_status, event.to_status) == ("awaiting_feedback", "closed")
    audit = AuditEntry.objects.latest("seq")
    assert (audit.action, audit.actor_name, audit.actor_id, audit.role) == (
        "case.auto_closed",
        "system",
        None,
        "",
    )


def test_a_move_of_a_case_someone_else_moved_meanwhile_is_refused(world):
    case = make_case(world)
    stale = Case.objects.get(pk=case.pk)
    actions.accept_case(case, acting_user=world.people.staff)
    move = Move(CASES, CASES["reject"], stale, world.people.staff, "community_staff", None)
    with translation.override("en"), pytest.raises(IllegalMove) as refused:
        move.move_to("rejected")
    assert str(refused.value) == "Someone else has just moved this case. Reload it."
    assert Case.objects.get(pk=case.pk).status == "accepted"


class Probe(enum.StrEnum):
    WANDER = "wander"
    TWICE = "twice"
    SHOUT = "shout"
    HUSH = "hush"


def _with_spec(world, action, effect, targets):
    spec = CASES.register(
        ActionSpec(
            action=action,
            label="tested",
            button="Test",
            sources=frozenset({Status.SUBMITTED}),
            targets=frozenset(targets),
            roles=("community_staff",),
            effect=effect,
        )
    )
    case = make_case(world)
    try:
        return case, transition(CASES, case, spec.name, acting_user=world.people.staff, data={})
    finally:
        CASES.unregister(spec.name)


def test_a_move_that_ends_outside_its_targets_is_rolled_back(world):
    def wander(move: Move) -> None:
        move.event(EventKind.PROGRESS_NOTE, "迷路")

    with pytest.raises(RuntimeError, match=r"^wander ended outside its targets$"):
        _with_spec(world, Probe.WANDER, wander, {Status.ACCEPTED, Status.REJECTED})
    assert not CaseEvent.objects.filter(note="迷路").exists()


def test_a_move_that_writes_no_event_is_rolled_back(world):
    def hush(move: Move) -> None:
        move.obj.title = "悄悄"
        move.save("title")

    with pytest.raises(RuntimeError, match=r"^hush wrote no event$"):
        _with_spec(world, Probe.HUSH, hush, set())
    assert not Case.objects.filter(title="悄悄").exists()


def test_a_move_writes_exactly_one_event(world):
    def twice(move: Move) -> None:
        move.event(EventKind.PROGRESS_NOTE, "一")
        move.event(EventKind.PROGRESS_NOTE, "二")

    with pytest.raises(RuntimeError, match=r"^a move writes exactly one event$"):
        _with_spec(world, Probe.TWICE, twice, set())
    assert not CaseEvent.objects.filter(note="一").exists()


def test_a_moves_messages_go_to_the_outbox_with_its_event(world):
    def shout(move: Move) -> None:
        # Someone changes the address meanwhile: saving the title must not write it back.
        Case.objects.filter(pk=move.obj.pk).update(address="新地址")
        move.obj.title = "喊一声"
        move.save("title")
        move.event(EventKind.PROGRESS_NOTE, data={"loud": 1})
        move.notify("test.shout", {"loud": True})

    case, moved = _with_spec(world, Probe.SHOUT, shout, set())
    assert moved.status == "submitted"
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.title, fresh.status, fresh.address) == ("喊一声", "submitted", "新地址")
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.kind, event.note, event.data) == ("progress_note", "", {"loud": 1})
    rows = OutboxMessage.objects.filter(topic="test.shout")
    assert list(rows.values_list("payload", "event_type")) == [({"loud": True}, "cases.caseevent")]
