"""Moves of whoever works the case: claim, return, ask for more time, note progress, resolve."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gridgov.accounts.choices import Role
from gridgov.cases import sla
from gridgov.cases.actions._common import (
    CLOCK,
    HANDLE_CLOCK,
    attach,
    community_office,
    require,
    street_office,
)
from gridgov.cases.choices import EventKind, Step
from gridgov.cases.inputs import (
    ExtensionInput,
    NoteInput,
    RequiredNoteInput,
    ResultInput,
    ReturnInput,
)
from gridgov.cases.lifecycle import (
    CASES,
    OPEN,
    WORKING,
    CaseAction,
    S,
    department_only,
    no_pending_extension,
    one,
    who_notes,
    who_works_now,
)
from gridgov.cases.media import CheckedImage
from gridgov.cases.models import AttachmentKind
from gridgov.cases.notifications import tell_owner
from gridgov.lifecycle import IllegalMove, Move
from gridgov.workdays.calendar import WorkCalendar

H, C, G, D = Role.DEPARTMENT_HANDLER, Role.COMMUNITY_STAFF, Role.GRID_WORKER, Role.STREET_DISPATCHER


@CASES.action(
    CaseAction.CLAIM,
    label=_l("claimed"),
    button=_l("Claim"),
    path=5,
    sources=one(S.DISPATCHED),
    targets=one(S.IN_PROGRESS),
    roles=(H,),
    input=NoteInput,
)
def claim_case(move: Move, note: str = "") -> None:
    """部门领单: the department signs for the case; its handling clock starts."""
    claim_due = move.obj.step_due_at  # the claim limit, kept on the event for the response rate
    move.obj.handling_org = move.obj.department
    sla.start_step(move.obj, Step.HANDLE, move.now, WorkCalendar())
    move.save(*HANDLE_CLOCK, "handling_org")
    move.event(EventKind.CLAIMED, note, {"due": claim_due.isoformat() if claim_due else None})


@CASES.action(
    CaseAction.RETURN,
    label=_l("returned"),
    button=_l("Return"),
    rank=7,
    sources=WORKING,
    targets=one(S.RETURN_REQUESTED),
    roles=(H,),
    role_rule=department_only,
    input=ReturnInput,
)
def return_case(move: Move, reason: str, basis: str) -> None:
    """退单: the department says the case is not theirs, with the reason and its basis."""
    reason = require(reason, _("Give the reason for the return."))
    basis = require(basis, _("Give the basis for the return (the rule or duty list)."))
    case = move.obj
    case.return_from_status = move.from_status
    case.owner = street_office(case)
    sla.start_step(case, Step.DISPATCH, move.now, WorkCalendar())
    move.save(*CLOCK, "return_from_status", "owner")
    move.event(EventKind.RETURN_REQUESTED, reason, {"basis": basis})
    tell_owner(
        move, _("Case %(number)s was returned: please rule on it.") % {"number": case.number}
    )


@CASES.action(
    CaseAction.REQUEST_EXTENSION,
    label=_l("given an extension request"),
    button=_l("Ask for an extension"),
    rank=2,
    sources=WORKING,
    targets=frozenset(),
    roles=(H, C),
    guards=(no_pending_extension,),
    role_rule=who_works_now,
    input=ExtensionInput,
)
def request_extension(move: Move, until: dt.datetime, reason: str) -> None:
    """Ask for a later deadline, before the current one passes, with the reason."""
    reason = require(reason, _("Give the reason for the extension."))
    case = move.obj
    due = case.step_due_at
    if due is not None and move.now > due:
        raise IllegalMove(_("The deadline has passed: an extension must be asked before it."))
    if due is not None and until <= due:
        raise IllegalMove(_("The new deadline must be later than the current one."))
    case.extension_requested_until = until
    case.extension_reason = reason
    move.save("extension_requested_until", "extension_reason")
    move.event(EventKind.EXTENSION_REQUESTED, reason, {"until": until.isoformat()})


@CASES.action(
    CaseAction.ADD_PROGRESS_NOTE,
    label=_l("given a progress note"),
    button=_l("Add a progress note"),
    rank=1,
    sources=OPEN,
    targets=frozenset(),
    roles=(H, C, G, D),
    role_rule=who_notes,
    input=RequiredNoteInput,
)
def add_progress_note(move: Move, note: str) -> None:
    move.event(EventKind.PROGRESS_NOTE, require(note, _("Write the note.")))


@CASES.action(
    CaseAction.RESOLVE,
    label=_l("resolved"),
    button=_l("Report the result"),
    path=8,
    sources=one(S.IN_PROGRESS),
    targets=one(S.RESOLVED),
    roles=(H, C, G),
    role_rule=who_works_now,
    input=ResultInput,
)
def resolve_case(move: Move, result: str, photos: Sequence[CheckedImage] = ()) -> None:
    """Report the result with photos; the community then verifies it."""
    result = require(result, _("Describe the result."))
    case = move.obj
    case.result = result
    case.resolved_at = move.now
    case.owner = community_office(case.community_id)
    sla.stop_clock(case)
    ids = attach(case, photos, AttachmentKind.RESULT_PHOTO, move.user)
    move.save(*CLOCK, "result", "resolved_at", "owner")
    due = case.handle_due_at.isoformat() if case.handle_due_at else None
    move.event(EventKind.RESOLVED, result, {"photos": ids, "due": due})
    tell_owner(move, _("Case %(number)s is resolved: please verify it.") % {"number": case.number})
