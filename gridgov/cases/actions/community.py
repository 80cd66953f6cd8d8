"""Community moves: accept, reject, merge, void, handle locally or on the spot, escalate."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gridgov.accounts.choices import Role
from gridgov.cases import sla
from gridgov.cases.actions._common import (
    CLOCK,
    HANDLE_CLOCK,
    attach,
    end_without_result,
    require,
    street_office,
)
from gridgov.cases.choices import EventKind, Step
from gridgov.cases.inputs import MergeInput, NoteInput, OnSpotInput, ReasonInput
from gridgov.cases.lifecycle import CASES, CaseAction, S, not_yet_referred, one
from gridgov.cases.media import CheckedImage
from gridgov.cases.models import AttachmentKind, Case
from gridgov.cases.notifications import ask_reporter_to_rate, tell_owner, tell_reporter
from gridgov.lifecycle import IllegalMove, Move
from gridgov.workdays.calendar import WorkCalendar

STAFF = (Role.COMMUNITY_STAFF,)
# The outbox topic the mediation app registers referred disputes from.
REFERRED_TOPIC = "cases.referred_to_mediation"


@CASES.action(
    CaseAction.ACCEPT,
    label=_l("accepted"),
    button=_l("Accept"),
    path=1,
    sources=one(S.SUBMITTED),
    targets=one(S.ACCEPTED),
    roles=STAFF,
    input=NoteInput,
)
def accept_case(move: Move, note: str = "") -> None:
    """The community takes the case in (社区接单); it must now handle or escalate it."""
    sla.start_step(move.obj, Step.DISPATCH, move.now, WorkCalendar())
    move.save(*CLOCK)
    move.event(EventKind.ACCEPTED, note)
    tell_reporter(
        move,
        _("Your case %(number)s was accepted by %(unit)s.")
        % {"number": move.obj.number, "unit": move.obj.owner.name},
    )


@CASES.action(
    CaseAction.REJECT,
    label=_l("rejected"),
    button=_l("Reject"),
    rank=9,
    sources=one(S.SUBMITTED),
    targets=one(S.REJECTED),
    roles=STAFF,
    input=ReasonInput,
)
def reject_case(move: Move, reason: str) -> None:
    """Refuse a case that is not the platform's business (with the reason the reporter sees)."""
    reason = require(reason, _("Give the reason for rejecting."))
    end_without_result(move)
    move.event(EventKind.REJECTED, reason)
    tell_reporter(
        move,
        _("Your case %(number)s was not accepted: %(reason)s")
        % {"number": move.obj.number, "reason": reason},
    )


@CASES.action(
    CaseAction.MERGE_INTO,
    label=_l("merged"),
    button=_l("Merge into…"),
    rank=8,
    sources=one(S.SUBMITTED, S.ACCEPTED),
    targets=one(S.MERGED),
    roles=STAFF,
    input=MergeInput,
)
def merge_case(move: Move, target: Case, note: str = "") -> None:
    """Merge a duplicate into another open case of the same community; it follows that case."""
    case = move.obj
    if target.pk == case.pk:
        raise IllegalMove(_("A case cannot be merged into itself."))
    if not target.is_open or target.community_id != case.community_id:
        raise IllegalMove(_("Merge only into an open case of the same community."))
    case.merged_into = target
    end_without_result(move, "merged_into")
    move.event(EventKind.MERGED, note, {"into": target.number})


@CASES.action(
    CaseAction.VOID,
    label=_l("voided"),
    button=_l("Void"),
    rank=10,
    sources=one(S.SUBMITTED, S.ACCEPTED),
    targets=one(S.VOIDED),
    roles=STAFF,
    input=ReasonInput,
)
def void_case(move: Move, reason: str) -> None:
    """Cancel a case entered by mistake (test, double entry)."""
    reason = require(reason, _("Give the reason for voiding."))
    end_without_result(move)
    move.event(EventKind.VOIDED, reason)


@CASES.action(
    CaseAction.HANDLE_LOCALLY,
    label=_l("handled in the community"),
    button=_l("Handle in the community"),
    path=3,
    sources=one(S.ACCEPTED),
    targets=one(S.IN_PROGRESS),
    roles=STAFF,
    input=NoteInput,
)
def handle_locally(move: Move, note: str = "") -> None:
    """小事不出社区: the community handles the case itself."""
    move.obj.handling_org = move.obj.owner
    sla.start_step(move.obj, Step.HANDLE, move.now, WorkCalendar())
    move.save(*HANDLE_CLOCK, "handling_org")
    move.event(EventKind.HANDLED_LOCALLY, note)


@CASES.action(
    CaseAction.HANDLE_ON_SPOT,
    label=_l("handled on the spot"),
    button=_l("Handle on the spot"),
    rank=4,
    sources=one(S.SUBMITTED, S.ACCEPTED),
    targets=one(S.AWAITING_FEEDBACK),
    roles=(Role.GRID_WORKER,),
    input=OnSpotInput,
)
def handle_on_spot(move: Move, result: str, photos: Sequence[CheckedImage] = ()) -> None:
    """A grid worker settles a small matter on the spot (自处理), with a result and photos."""
    result = require(result, _("Describe what was done."))
    if not photos:
        raise IllegalMove(_("A result photo is required for a matter handled on the spot."))
    case = move.obj
    case.handling_org = case.owner
    case.result = result
    case.resolved_at = move.now
    sla.stop_clock(case)
    ids = attach(case, photos, AttachmentKind.RESULT_PHOTO, move.user)
    move.save(*CLOCK, "handling_org", "result", "resolved_at")
    due = case.handle_due_at.isoformat() if case.handle_due_at else None
    move.event(
        EventKind.RESOLVED,
        result,
        {"on_spot": True, "photos": ids, "due": due},
        audit_as="resolved_on_spot",
    )
    ask_reporter_to_rate(move)


@CASES.action(
    CaseAction.ESCALATE,
    label=_l("escalated"),
    button=_l("Escalate to the street"),
    path=2,
    sources=one(S.ACCEPTED),
    targets=one(S.ESCALATED),
    roles=STAFF,
    input=NoteInput,
)
def escalate_case(move: Move, note: str = "") -> None:
    """大事不出街道: pass the case to the street office for dispatch."""
    move.obj.owner = street_office(move.obj)
    sla.start_step(move.obj, Step.DISPATCH, move.now, WorkCalendar())
    move.save(*CLOCK, "owner")
    move.event(EventKind.ESCALATED, note)
    tell_owner(move, _("Case %(number)s was escalated to you.") % {"number": move.obj.number})


@CASES.action(
    CaseAction.REFER_TO_MEDIATION,
    label=_l("referred to mediation"),
    button=_l("Refer to mediation"),
    rank=5,
    sources=frozenset({S.SUBMITTED, S.ACCEPTED}),
    targets=one(S.IN_MEDIATION),
    roles=(Role.COMMUNITY_STAFF, Role.GRID_WORKER),
    guards=(not_yet_referred,),
    input=NoteInput,
)
def refer_to_mediation(move: Move, note: str = "") -> None:
    """Send a dispute to the community's mediation committee (ADR 0016): only while the
    community holds the case (submitted or accepted; referring a submitted one accepts it), and
    the case then shows "in mediation", its step clock stopped, until `conclude_mediation`. The
    mediation app registers it from the outbox message (cases never import mediation)."""
    case = move.obj
    case.mediation_referred_at = move.now
    sla.stop_clock(case)
    move.save(*CLOCK, "mediation_referred_at")
    move.event(EventKind.REFERRED_TO_MEDIATION, note, {"accepted": move.from_status == S.SUBMITTED})
    move.notify(REFERRED_TOPIC, {"case_id": move.obj.pk})
