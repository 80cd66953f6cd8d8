"""The case lifecycle, pinned by a table typed out by hand (domain.md §3), not read from the
action specs: every action × every status is allowed or refused, and every allowed move may lead
only to the statuses written here. A status added to or dropped from the sources or the targets of
any `@CASES.action(...)` declaration makes one of these tests fail. The refusal through
`transition()` (with its message) is pinned in tests/integration/test_rules_lifecycle.py."""

from __future__ import annotations

import pytest
from django.utils import translation

from gridgov.cases.actions import CASES
from gridgov.cases.models import Case
from gridgov.lifecycle import IllegalMove, Move

# The thirteen statuses, in the column order of the table below.
STATUSES = (
    "submitted",
    "accepted",
    "escalated",
    "dispatched",
    "return_requested",
    "in_progress",
    "resolved",
    "awaiting_feedback",
    "in_mediation",
    "closed",
    "rejected",
    "merged",
    "voided",
)

# Y: the action may start from that status; .: it is refused there.
SOURCES_TABLE = """
                     sub acc esc dis ret inp res awa med clo rej mer voi
accept                Y   .   .   .   .   .   .   .   .   .   .   .   .
reject                Y   .   .   .   .   .   .   .   .   .   .   .   .
merge_into            Y   Y   .   .   .   .   .   .   .   .   .   .   .
void                  Y   Y   .   .   .   .   .   .   .   .   .   .   .
handle_locally        .   Y   .   .   .   .   .   .   .   .   .   .   .
handle_on_spot        Y   Y   .   .   .   .   .   .   .   .   .   .   .
escalate              .   Y   .   .   .   .   .   .   .   .   .   .   .
dispatch              .   .   Y   .   .   .   .   .   .   .   .   .   .
claim                 .   .   .   Y   .   .   .   .   .   .   .   .   .
return                .   .   .   Y   .   Y   .   .   .   .   .   .   .
rule_return           .   .   .   .   Y   .   .   .   .   .   .   .   .
request_extension     .   .   .   Y   .   Y   .   .   .   .   .   .   .
grant_extension       .   .   .   Y   .   Y   .   .   .   .   .   .   .
refuse_extension      .   .   .   Y   .   Y   .   .   .   .   .   .   .
add_progress_note     Y   Y   Y   Y   Y   Y   Y   Y   Y   .   .   .   .
resolve               .   .   .   .   .   Y   .   .   .   .   .   .   .
verify                .   .   .   .   .   .   Y   .   .   .   .   .   .
rate                  .   .   .   .   .   .   .   Y   .   .   .   .   .
reopen                .   .   .   .   .   .   .   .   .   Y   .   .   .
close                 .   .   .   .   .   .   .   Y   .   .   .   .   .
supervise             Y   Y   Y   Y   Y   Y   Y   Y   Y   .   .   .   .
refer_to_mediation    Y   Y   .   .   .   .   .   .   .   .   .   .   .
conclude_mediation    Y   Y   Y   Y   Y   Y   .   .   Y   .   .   .   .
"""

# Where each action may lead; an empty set: the case keeps its status (a note, a card…).
TARGETS: dict[str, set[str]] = {
    "accept": {"accepted"},
    "reject": {"rejected"},
    "merge_into": {"merged"},
    "void": {"voided"},
    "handle_locally": {"in_progress"},
    "handle_on_spot": {"awaiting_feedback"},
    "escalate": {"escalated"},
    "dispatch": {"dispatched"},
    "claim": {"in_progress"},
    "return": {"return_requested"},
    "rule_return": {"dispatched", "in_progress"},
    "request_extension": set(),
    "grant_extension": set(),
    "refuse_extension": set(),
    "add_progress_note": set(),
    "resolve": {"resolved"},
    "verify": {"awaiting_feedback", "in_progress"},
    "rate": {"closed"},
    "reopen": {"in_progress"},
    "close": {"closed"},
    "supervise": set(),
    "refer_to_mediation": {"in_mediation"},
    "conclude_mediation": {"resolved", "accepted"},
}


def _parse(table: str) -> dict[str, dict[str, bool]]:
    rows = [line.split() for line in table.strip().splitlines()[1:]]
    parsed = {}
    for action, *marks in rows:
        assert len(marks) == len(STATUSES), action
        parsed[action] = {s: mark == "Y" for s, mark in zip(STATUSES, marks, strict=True)}
    return parsed


ALLOWED = _parse(SOURCES_TABLE)


def test_the_actions_are_exactly_the_23_of_the_table():
    assert len(ALLOWED) == 23
    assert sorted(CASES.specs) == sorted(ALLOWED) == sorted(TARGETS)


@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_each_action_starts_only_from_its_statuses(action):
    spec = CASES[action]
    expected = {status for status, allowed in ALLOWED[action].items() if allowed}
    assert set(spec.sources) == expected
    wrong = {
        status: f"allows_status says {not allowed}"
        for status, allowed in ALLOWED[action].items()
        if spec.allows_status(status) is not allowed
    }
    assert wrong == {}


@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_each_action_leads_only_to_its_targets(action):
    assert set(CASES[action].targets) == TARGETS[action]


def _move(action: str, status: str) -> Move:
    """A move of an unsaved case: `move_to` refuses a wrong target before touching the database."""
    return Move(CASES, CASES[action], Case(status=status), None, None, None)


@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_each_allowed_move_is_refused_every_other_target(action):
    wrong = {}
    for status in (s for s, allowed in ALLOWED[action].items() if allowed):
        for to in STATUSES:
            if to in TARGETS[action]:
                continue
            try:
                _move(action, status).move_to(to)
                wrong[f"{status}→{to}"] = "accepted"
            except IllegalMove:
                pass
    assert wrong == {}


def test_a_move_to_its_own_status_changes_nothing():
    # "verify" may lead back to in_progress; from in_progress it is the same status: no write.
    move = _move("verify", "in_progress")
    move.move_to("in_progress")
    assert move.obj.status == "in_progress"


def test_a_wrong_target_is_refused_with_its_own_message():
    with translation.override("en"), pytest.raises(IllegalMove) as refused:
        _move("claim", "dispatched").move_to("closed")
    assert str(refused.value) == "This move is not allowed."
    with translation.override("zh-hans"), pytest.raises(IllegalMove) as refused:
        _move("supervise", "in_progress").move_to("in_progress")
    assert str(refused.value) == "不允许此操作。"
