"""Closing the loop: verify the result, rate it, reopen it, close without a rating."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gridgov.accounts.choices import Role
from gridgov.cases.actions._common import HANDLE_CLOCK, require, rework
from gridgov.cases.choices import EventKind, Satisfaction
from gridgov.cases.inputs import NoteInput, RateInput, ReasonInput, VerifyInput
from gridgov.cases.lifecycle import CASES, CaseAction, S, one, unhappy_rating, within_reopen_window
from gridgov.cases.notifications import ask_reporter_to_rate, tell_owner
from gridgov.lifecycle import IllegalMove, Move


@CASES.action(
    CaseAction.VERIFY,
    label=_l("verified"),
    button=_l("Verify"),
    path=9,
    sources=one(S.RESOLVED),
    targets=one(S.AWAITING_FEEDBACK, S.IN_PROGRESS),
    roles=(Role.GRID_WORKER, Role.COMMUNITY_STAFF),
    input=VerifyInput,
)
def verify_case(move: Move, passed: bool, note: str = "") -> None:
    """The grid worker or community checks the result on site; a failure sends it back."""
    if passed:
        move.move_to(S.AWAITING_FEEDBACK)
        move.save()
        move.event(EventKind.VERIFIED, note)
        ask_reporter_to_rate(move)
        return
    note = require(note, _("Say what is still wrong."))
    move.move_to(S.IN_PROGRESS)
    problem = rework(move)
    move.save(*HANDLE_CLOCK, "rework_count", "owner", "is_problem")
    move.event(EventKind.VERIFY_FAILED, note, {"problem": problem})
    tell_owner(
        move, _("Case %(number)s failed verification: rework.") % {"number": move.obj.number}
    )


@CASES.action(
    CaseAction.RATE,
    label=_l("rated"),
    button=_l("Record the rating"),
    role_buttons={Role.RESIDENT: _l("Rate")},  # 录入评价 is the staff's word for a call
    path=10,
    sources=one(S.AWAITING_FEEDBACK),
    targets=one(S.CLOSED),
    roles=(Role.RESIDENT, Role.COMMUNITY_STAFF),
    input=RateInput,
)
def rate_case(move: Move, solved: bool, satisfaction: int, comment: str = "") -> None:
    """The resident's rating (好差评), or one recorded by community staff from a follow-up
    call (回访). Either way the case closes; a dissatisfied resident may reopen it."""
    if satisfaction not in Satisfaction.values:
        raise IllegalMove(_("Choose one of the five satisfaction levels."))
    case = move.obj
    case.solved = solved
    case.satisfaction = satisfaction
    case.rating_comment = comment.strip()[:500]
    case.rated_at = move.now
    case.closed_at = move.now
    move.save("solved", "satisfaction", "rating_comment", "rated_at", "closed_at")
    by_proxy = move.role != Role.RESIDENT
    move.event(
        EventKind.RATED,
        comment,
        {"solved": solved, "satisfaction": satisfaction, "by_proxy": by_proxy},
    )


@CASES.action(
    CaseAction.REOPEN,
    label=_l("reopened"),
    button=_l("Reopen"),
    rank=12,
    sources=one(S.CLOSED),
    targets=one(S.IN_PROGRESS),
    roles=(Role.RESIDENT, Role.COMMUNITY_STAFF),
    guards=(unhappy_rating, within_reopen_window),
    input=ReasonInput,
)
def reopen_case(move: Move, reason: str) -> None:
    """发回重办: a dissatisfied rating sends the case back to whoever handled it."""
    reason = require(reason, _("Say why the case is reopened."))
    case = move.obj
    problem = rework(move)
    case.closed_at = None
    case.solved = None
    case.satisfaction = None
    case.rated_at = None
    move.save(
        *HANDLE_CLOCK,
        "rework_count",
        "owner",
        "is_problem",
        "closed_at",
        "solved",
        "satisfaction",
        "rated_at",
    )
    move.event(EventKind.REOPENED, reason, {"problem": problem})
    tell_owner(move, _("Case %(number)s was reopened: rework.") % {"number": case.number})


@CASES.action(
    CaseAction.CLOSE,
    label=_l("closed"),
    button=_l("Close without rating"),
    rank=11,
    sources=one(S.AWAITING_FEEDBACK),
    targets=one(S.CLOSED),
    roles=(Role.COMMUNITY_STAFF,),
    input=NoteInput,
    system=True,
)
def close_case(move: Move, note: str = "") -> None:
    """Close without a rating ("not evaluated"): by staff, or by the sweep after N days."""
    move.obj.closed_at = move.now
    move.save("closed_at")
    kind = EventKind.AUTO_CLOSED if move.system else EventKind.CLOSED
    move.event(kind, note, {"evaluated": False})
