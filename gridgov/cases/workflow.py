"""The lifecycle as data: which action may move a case from which status to which.

`TRANSITIONS[action] = (from statuses, to statuses)`; an empty "to" set means the action keeps
the status (a note, a supervision card). `check_move()` is the one gate every action passes;
it raises `IllegalMove` with a localized message, and nothing is changed.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from gridgov.cases.choices import OPEN_STATUSES, Status

S = Status
_WORKING = frozenset({S.DISPATCHED, S.IN_PROGRESS})

TRANSITIONS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "accept": (frozenset({S.SUBMITTED}), frozenset({S.ACCEPTED})),
    "reject": (frozenset({S.SUBMITTED}), frozenset({S.REJECTED})),
    "merge_into": (frozenset({S.SUBMITTED, S.ACCEPTED}), frozenset({S.MERGED})),
    "void": (frozenset({S.SUBMITTED, S.ACCEPTED}), frozenset({S.VOIDED})),
    "handle_locally": (frozenset({S.ACCEPTED}), frozenset({S.IN_PROGRESS})),
    "handle_on_spot": (frozenset({S.SUBMITTED, S.ACCEPTED}), frozenset({S.AWAITING_FEEDBACK})),
    "escalate": (frozenset({S.ACCEPTED}), frozenset({S.ESCALATED})),
    "dispatch": (frozenset({S.ESCALATED}), frozenset({S.DISPATCHED})),
    "claim": (frozenset({S.DISPATCHED}), frozenset({S.IN_PROGRESS})),
    "return": (_WORKING, frozenset({S.RETURN_REQUESTED})),
    "rule_return": (frozenset({S.RETURN_REQUESTED}), _WORKING),
    "request_extension": (_WORKING, frozenset()),
    "grant_extension": (_WORKING, frozenset()),
    "refuse_extension": (_WORKING, frozenset()),
    "add_progress_note": (frozenset(OPEN_STATUSES), frozenset()),
    "resolve": (frozenset({S.IN_PROGRESS}), frozenset({S.RESOLVED})),
    "verify": (frozenset({S.RESOLVED}), frozenset({S.AWAITING_FEEDBACK, S.IN_PROGRESS})),
    "rate": (frozenset({S.AWAITING_FEEDBACK}), frozenset({S.CLOSED})),
    "reopen": (frozenset({S.CLOSED}), frozenset({S.IN_PROGRESS})),
    "close": (frozenset({S.AWAITING_FEEDBACK}), frozenset({S.CLOSED})),
    "supervise": (frozenset(OPEN_STATUSES), frozenset()),
    "refer_to_mediation": (frozenset(OPEN_STATUSES), frozenset()),
}
ACTIONS = tuple(TRANSITIONS)

# The normal path of the closed loop (domain.md §3), in order. On a case page the first of these
# the user may take is the primary button: the next step for that role and status.
NORMAL_PATH: tuple[str, ...] = (
    "accept",
    "escalate",
    "handle_locally",
    "dispatch",
    "claim",
    "rule_return",
    "grant_extension",
    "resolve",
    "verify",
    "rate",
)
# Everything else, shown after the normal path: everyday extras first, rare or final moves last.
OCCASIONAL: tuple[str, ...] = (
    "add_progress_note",
    "request_extension",
    "refuse_extension",
    "handle_on_spot",
    "refer_to_mediation",
    "supervise",
    "return",
    "merge_into",
    "reject",
    "void",
    "close",
    "reopen",
)
ACTION_ORDER = NORMAL_PATH + OCCASIONAL


def in_page_order(actions: list[str]) -> list[str]:
    """The actions as a page shows them: the normal path in order, then the occasional moves."""
    return sorted(actions, key=ACTION_ORDER.index)


def primary_action(actions: list[str]) -> str | None:
    """The next step of the normal path among these actions, if any (the page's red button)."""
    return next((a for a in NORMAL_PATH if a in actions), None)


class IllegalMove(Exception):
    """A move the table (or a rule of the trade) does not allow; the message is for users."""


def can_move(action: str, status: str) -> bool:
    return status in TRANSITIONS[action][0]


def check_move(action: str, status: str, to: str | None = None) -> None:
    sources, targets = TRANSITIONS[action]
    if status not in sources:
        raise IllegalMove(
            _("This case is “%(status)s”: it cannot be %(action)s now.")
            % {"status": Status(status).label, "action": action_label(action)}
        )
    if to is not None and to not in targets and not (not targets and to == status):
        raise IllegalMove(_("This move is not allowed."))


def action_label(action: str) -> str:
    from gridgov.cases.labels import ACTION_LABELS

    return str(ACTION_LABELS[action])
