"""The kernel's registry (gridgov/lifecycle/spec.py) and the case guards and role rules
(gridgov/cases/lifecycle.py), without a database: a toy lifecycle with relations written by hand,
and unsaved cases. Expected values are typed out here (domain.md §3), not read from the code."""

from __future__ import annotations

import datetime as dt
import enum
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone, translation

from gridgov.cases import lifecycle as rules
from gridgov.cases.actions import CASES, accept_case
from gridgov.cases.models import Case
from gridgov.lifecycle import ActionSpec, IllegalMove, Lifecycle

# ---------------------------------------------------------------------------------------------
# The registry, on a toy lifecycle: a door that is opened and knocked on.


class Door(enum.StrEnum):
    OPEN = "open"
    KNOCK = "knock"
    PAINT = "paint"


def _no_paint_on_sundays(door: Any) -> None:
    if door.sunday:
        raise IllegalMove("not on Sundays")


def _toy() -> Lifecycle:
    toy = Lifecycle(
        name="door",
        model=Case,
        relations=lambda user, door: user.roles,
        make_event=lambda *args: None,
    )
    toy.register(
        ActionSpec(
            action=Door.KNOCK,
            label="knocked",
            button="Knock",
            sources=frozenset({"shut"}),
            targets=frozenset(),
            roles=("guest",),
            effect=lambda move: None,
            rank=2,
        )
    )
    toy.register(
        ActionSpec(
            action=Door.PAINT,
            label="painted",
            button="Paint",
            sources=frozenset({"shut", "open"}),
            targets=frozenset(),
            roles=("owner", "painter"),
            effect=lambda move: None,
            rank=1,
            guards=(_no_paint_on_sundays,),
            role_rule=lambda door, role: role != "painter" or door.hired,
            role_buttons={"painter": "Paint it"},
        )
    )
    toy.register(
        ActionSpec(
            action=Door.OPEN,
            label="opened",
            button="Open",
            sources=frozenset({"shut"}),
            targets=frozenset({"open"}),
            roles=("owner",),
            effect=lambda move: None,
            path=1,
        )
    )
    return toy


def _door(status: str = "shut", *, sunday: bool = False, hired: bool = False) -> Any:
    return SimpleNamespace(status=status, sunday=sunday, hired=hired)


def _user(*roles: str) -> Any:
    return SimpleNamespace(roles={role: f"membership of {role}" for role in roles})


def test_a_spec_is_named_and_routed_by_its_action_value():
    spec = _toy()["open"]
    assert (spec.name, spec.slug) == ("open", "open")
    assert isinstance(spec.name, str) and type(spec.name) is str


def test_the_normal_path_comes_first_then_the_occasional_moves_by_rank():
    toy = _toy()
    assert [s.name for s in toy.ordered()] == ["open", "paint", "knock"]
    assert toy["open"].sort_key() == (0, 1)
    assert toy["knock"].sort_key() == (1, 2)


def test_the_primary_button_is_the_first_step_of_the_normal_path_or_none():
    toy = _toy()
    assert toy.primary([toy["knock"], toy["paint"]]) is None
    assert toy.primary([toy["knock"], toy["open"]]) is toy["open"]
    assert toy.primary([]) is None
    # Among several steps of the case's normal path, the earliest: accept (1) before claim (5).
    assert CASES.primary([CASES["claim"], CASES["supervise"], CASES["accept"]]) is CASES["accept"]


def test_a_role_may_have_its_own_button_word():
    paint = _toy()["paint"]
    assert paint.button_for("painter") == "Paint it"
    assert paint.button_for("owner") == "Paint"
    assert paint.button_for(None) == "Paint"


def test_an_action_declared_twice_is_refused_and_unregister_forgets_it():
    toy = _toy()
    with pytest.raises(ValueError, match=r"^door: action 'open' declared twice$"):
        toy.register(toy["open"])
    assert "open" in toy and "close" not in toy
    toy.unregister("open")
    assert "open" not in toy
    toy.unregister("open")  # forgetting an unknown action is no error
    assert sorted(toy.specs) == ["knock", "paint"]


def test_the_acting_role_needs_the_status_the_guards_the_role_and_its_rule():
    toy = _toy()
    owner, painter, guest = _user("owner"), _user("painter"), _user("guest")
    assert toy.acting_role(owner, _door(), "open") == "owner"
    assert toy.acting_role(owner, _door("open"), "open") is None  # wrong status
    assert toy.acting_role(guest, _door(), "open") is None  # no role
    assert toy.acting_role(owner, _door(sunday=True), "paint") is None  # a guard refuses
    assert toy.acting_role(painter, _door(), "paint") is None  # the role rule refuses
    assert toy.acting_role(painter, _door(hired=True), "paint") == "painter"
    # The first role of the spec that the user holds wins.
    both = _user("painter", "owner")
    assert toy.role_for(toy["paint"], both, _door(hired=True)) == "owner"
    assert toy.status_of(_door("open")) == "open"


def test_a_guard_failing_means_not_passing_and_other_errors_are_not_swallowed():
    toy = _toy()
    assert toy["paint"].passes_guards(_door()) is True
    assert toy["paint"].passes_guards(_door(sunday=True)) is False
    with pytest.raises(AttributeError):
        toy["paint"].passes_guards(SimpleNamespace())


def test_the_available_actions_are_listed_in_page_order():
    toy = _toy()
    assert [s.name for s in toy.available(_user("owner"), _door())] == ["open", "paint"]
    assert [s.name for s in toy.available(_user("owner", "guest"), _door())] == [
        "open",
        "paint",
        "knock",
    ]
    assert [s.name for s in toy.available(_user("guest"), _door("open"))] == []


def test_the_public_function_of_an_action_carries_its_name_and_spec():
    assert accept_case.__name__ == "accept_case"
    assert accept_case.spec is CASES["accept"]
    assert accept_case.__doc__ == CASES["accept"].effect.__doc__


def test_a_declared_action_is_registered_and_its_function_takes_the_move(monkeypatch):
    from gridgov.lifecycle import move

    toy = _toy()
    taken = []

    def fake_transition(lifecycle, obj, name, *, acting_user, data):
        taken.append((lifecycle, obj, name, acting_user, data))
        return "moved"

    monkeypatch.setattr(move, "transition", fake_transition)

    class Bell(enum.StrEnum):
        RING = "ring"

    def ring_bell(move: Any, loud: bool = False) -> None:
        """Ring the bell."""

    ring = toy.action(
        Bell.RING,
        label="rung",
        button="Ring",
        sources=frozenset({"shut"}),
        targets=frozenset(),
        roles=("guest",),
    )(ring_bell)
    spec = toy["ring"]
    assert (spec.action, spec.effect, spec.label, spec.button) == (
        Bell.RING,
        ring_bell,
        "rung",
        "Ring",
    )
    assert (spec.sources, spec.targets, spec.roles) == (
        frozenset({"shut"}),
        frozenset(),
        ("guest",),
    )
    assert ring.spec is spec
    assert (ring.__name__, ring.__doc__) == ("ring_bell", "Ring the bell.")
    door, guest = _door(), _user("guest")
    assert ring(door, acting_user=guest, loud=True) == "moved"
    assert taken == [(toy, door, "ring", guest, {"loud": True})]


def test_the_case_lifecycle_names_cases_by_number_and_statuses_by_label():
    assert CASES.name == "case"
    assert CASES.describe(Case(number="222405001001-20261201-0001")) == (
        "222405001001-20261201-0001"
    )
    with translation.override("en"):
        assert CASES.status_label("awaiting_feedback") == "Awaiting feedback"
    with translation.override("zh-hans"):
        assert CASES.status_label("closed") == "已办结"


# ---------------------------------------------------------------------------------------------
# Who works a case now (domain.md §3: the department works a dispatched case or one it claimed).

HANDLER, DISPATCHER, STAFF, WORKER = (
    "department_handler",
    "street_dispatcher",
    "community_staff",
    "grid_worker",
)


def _case(status: str, department: int | None = None, handling: int | None = None) -> Case:
    return Case(status=status, department_id=department, handling_org_id=handling)


@pytest.mark.parametrize(
    ("case", "role", "works", "notes"),
    [
        # Not being worked (accepted, resolved…): no one is excluded by this rule.
        (("accepted",), HANDLER, True, True),
        (("resolved", 7, 7), STAFF, True, True),
        # Dispatched: the department alone; the street may add notes.
        (("dispatched", 7), HANDLER, True, True),
        (("dispatched", 7), DISPATCHER, False, True),
        (("dispatched", 7), STAFF, False, False),
        (("dispatched", None), HANDLER, True, True),
        # In progress, claimed by the department.
        (("in_progress", 7, 7), HANDLER, True, True),
        (("in_progress", 7, 7), DISPATCHER, False, True),
        (("in_progress", 7, 7), WORKER, False, False),
        # In progress in the community (handled locally, or back after a return).
        (("in_progress", None, 3), HANDLER, False, False),
        (("in_progress", None, 3), STAFF, True, True),
        (("in_progress", None, 3), DISPATCHER, True, True),
        (("in_progress", 7, 3), HANDLER, False, False),
        (("in_progress", 7, 3), STAFF, True, True),
        (("in_progress", None, None), STAFF, True, True),
        (("in_progress", None, None), HANDLER, False, False),
    ],
)
def test_who_works_the_case_now(case, role, works, notes):
    c = _case(*case)
    assert rules.who_works_now(c, role) is works
    assert rules.who_notes(c, role) is notes


@pytest.mark.parametrize(
    ("case", "role", "may"),
    [
        (("dispatched", 7), HANDLER, True),
        (("in_progress", 7, 7), HANDLER, True),
        (("in_progress", None, 3), HANDLER, False),
        (("in_progress", None, 3), STAFF, False),
        (("dispatched", 7), DISPATCHER, False),
        (("accepted",), STAFF, False),
        (("accepted",), HANDLER, True),
    ],
)
def test_a_return_is_the_departments_while_it_works_the_case(case, role, may):
    assert rules.department_only(_case(*case), role) is may


# ---------------------------------------------------------------------------------------------
# Guards: each refuses with its own message, in plain words.

LATER = dt.datetime(2026, 12, 4, 17, 0, tzinfo=dt.UTC)


def _refusal(guard, case: Case) -> str | None:
    with translation.override("en"):
        try:
            guard(case)
        except IllegalMove as refused:
            return str(refused)
    return None


def test_an_extension_is_asked_for_once_and_answered_only_when_asked():
    asked, not_asked = Case(extension_requested_until=LATER), Case()
    wait = "An extension is already asked for: wait for the answer."
    assert _refusal(rules.no_pending_extension, asked) == wait
    assert _refusal(rules.no_pending_extension, not_asked) is None
    assert _refusal(rules.pending_extension, not_asked) == "No extension has been asked for."
    assert _refusal(rules.pending_extension, asked) is None


@pytest.mark.parametrize(
    ("solved", "satisfaction", "unhappy"),
    [
        (False, None, True),
        (False, 5, True),
        (None, 2, True),  # dissatisfied
        (None, 1, True),  # very dissatisfied
        (True, 2, True),
        (None, 3, False),  # basically satisfied
        (True, 5, False),
        (True, None, False),
        (None, None, False),
    ],
)
def test_only_an_unhappy_rating_opens_a_reopen(solved, satisfaction, unhappy):
    refusal = _refusal(rules.unhappy_rating, Case(solved=solved, satisfaction=satisfaction))
    expected = (
        None if unhappy else ("Only a case rated “not solved” or dissatisfied can be reopened.")
    )
    assert refusal == expected


def test_a_reopen_is_possible_within_15_days_of_the_rating(monkeypatch):
    now = dt.datetime(2026, 12, 1, 2, 0, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: now)
    late = "A case can be reopened only within 15 days of its rating."
    assert _refusal(rules.within_reopen_window, Case(rated_at=None)) == late
    assert _refusal(rules.within_reopen_window, Case(rated_at=now)) is None
    exactly = Case(rated_at=dt.datetime(2026, 11, 16, 2, 0, tzinfo=dt.UTC))
    assert _refusal(rules.within_reopen_window, exactly) is None
    one_second_late = Case(rated_at=dt.datetime(2026, 11, 16, 1, 59, 59, tzinfo=dt.UTC))
    assert _refusal(rules.within_reopen_window, one_second_late) == late
    with override_settings(CASE_REOPEN_DAYS=3):
        three_days = "A case can be reopened only within 3 days of its rating."
        assert _refusal(rules.within_reopen_window, exactly) == three_days
        recent = Case(rated_at=dt.datetime(2026, 11, 28, 2, 0, tzinfo=dt.UTC))
        assert _refusal(rules.within_reopen_window, recent) is None


def test_a_case_is_referred_to_mediation_once():
    referred = Case(mediation_referred_at=LATER)
    assert _refusal(rules.not_yet_referred, referred) == (
        "This case is already referred to mediation."
    )
    assert _refusal(rules.not_yet_referred, Case()) is None


def test_the_status_sets_of_the_declarations():
    assert rules.one("accepted", "closed") == frozenset({"accepted", "closed"})
    assert frozenset({"dispatched", "in_progress"}) == rules.WORKING
