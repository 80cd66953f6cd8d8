"""The case lifecycle, pinned by a table typed out by hand (domain.md §3), not read from
`TRANSITIONS`: every action × every status is allowed or refused, and every allowed move may lead
only to the statuses written here. A status added to or dropped from any row of the code's table
makes one of these tests fail."""

from __future__ import annotations

import pytest
from django.utils import translation

from gridgov.cases.workflow import ACTIONS, IllegalMove, can_move, check_move

# The twelve statuses, in the column order of the table below.
STATUSES = (
    "submitted",
    "accepted",
    "escalated",
    "dispatched",
    "return_requested",
    "in_progress",
    "resolved",
    "awaiting_feedback",
    "closed",
    "rejected",
    "merged",
    "voided",
)

# Y: the action may start from that status; .: it is refused there.
SOURCES_TABLE = """
                     sub acc esc dis ret inp res awa clo rej mer voi
accept                Y   .   .   .   .   .   .   .   .   .   .   .
reject                Y   .   .   .   .   .   .   .   .   .   .   .
merge_into            Y   Y   .   .   .   .   .   .   .   .   .   .
void                  Y   Y   .   .   .   .   .   .   .   .   .   .
handle_locally        .   Y   .   .   .   .   .   .   .   .   .   .
handle_on_spot        Y   Y   .   .   .   .   .   .   .   .   .   .
escalate              .   Y   .   .   .   .   .   .   .   .   .   .
dispatch              .   .   Y   .   .   .   .   .   .   .   .   .
claim                 .   .   .   Y   .   .   .   .   .   .   .   .
return                .   .   .   Y   .   Y   .   .   .   .   .   .
rule_return           .   .   .   .   Y   .   .   .   .   .   .   .
request_extension     .   .   .   Y   .   Y   .   .   .   .   .   .
grant_extension       .   .   .   Y   .   Y   .   .   .   .   .   .
refuse_extension      .   .   .   Y   .   Y   .   .   .   .   .   .
add_progress_note     Y   Y   Y   Y   Y   Y   Y   Y   .   .   .   .
resolve               .   .   .   .   .   Y   .   .   .   .   .   .
verify                .   .   .   .   .   .   Y   .   .   .   .   .
rate                  .   .   .   .   .   .   .   Y   .   .   .   .
reopen                .   .   .   .   .   .   .   .   Y   .   .   .
close                 .   .   .   .   .   .   .   Y   .   .   .   .
supervise             Y   Y   Y   Y   Y   Y   Y   Y   .   .   .   .
refer_to_mediation    Y   Y   Y   Y   Y   Y   Y   Y   .   .   .   .
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
    "refer_to_mediation": set(),
}


def _parse(table: str) -> dict[str, dict[str, bool]]:
    rows = [line.split() for line in table.strip().splitlines()[1:]]
    parsed = {}
    for action, *marks in rows:
        assert len(marks) == len(STATUSES), action
        parsed[action] = {s: mark == "Y" for s, mark in zip(STATUSES, marks, strict=True)}
    return parsed


ALLOWED = _parse(SOURCES_TABLE)


def test_the_actions_are_exactly_the_22_of_the_table():
    assert len(ALLOWED) == 22
    assert sorted(ACTIONS) == sorted(ALLOWED) == sorted(TARGETS)


@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_each_action_starts_only_from_its_statuses(action):
    wrong = {}
    for status, allowed in ALLOWED[action].items():
        if can_move(action, status) is not allowed:
            wrong[status] = f"can_move says {not allowed}"
        try:
            check_move(action, status)
            refused = False
        except IllegalMove:
            refused = True
        if refused is allowed:
            wrong[status] = f"check_move {'refuses' if refused else 'allows'} it"
    assert wrong == {}


@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_each_allowed_move_leads_only_to_its_targets(action):
    wrong = {}
    for status in (s for s, allowed in ALLOWED[action].items() if allowed):
        for to in STATUSES:
            expected = to in TARGETS[action] or (not TARGETS[action] and to == status)
            try:
                check_move(action, status, to)
                accepted = True
            except IllegalMove:
                accepted = False
            if accepted is not expected:
                wrong[f"{status}→{to}"] = "accepted" if accepted else "refused"
    assert wrong == {}


def test_a_refusal_names_the_status_and_the_action_in_plain_words():
    with translation.override("en"), pytest.raises(IllegalMove) as refused:
        check_move("claim", "accepted")
    assert str(refused.value) == "This case is “Accepted”: it cannot be claimed now."
    with translation.override("zh-hans"), pytest.raises(IllegalMove) as refused:
        check_move("rate", "closed")
    assert str(refused.value) == "该工单当前状态为“已办结”，现在不能评价。"


def test_a_wrong_target_is_refused_with_its_own_message():
    with translation.override("en"), pytest.raises(IllegalMove) as refused:
        check_move("claim", "dispatched", "closed")
    assert str(refused.value) == "This move is not allowed."
    with translation.override("zh-hans"), pytest.raises(IllegalMove) as refused:
        check_move("supervise", "in_progress", "closed")
    assert str(refused.value) == "不允许此操作。"
