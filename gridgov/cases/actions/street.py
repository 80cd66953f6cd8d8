"""Street moves: dispatch, rule on a return, answer an extension request, supervise."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gridgov.accounts.choices import Role
from gridgov.accounts.models import Organisation
from gridgov.cases import sla
from gridgov.cases.actions._common import (
    CLOCK,
    DEPARTMENT_FIELDS,
    check_department,
    require,
    send_to_department,
)
from gridgov.cases.choices import EventKind, Step, Supervision
from gridgov.cases.inputs import (
    DispatchInput,
    GrantExtensionInput,
    ReasonInput,
    RuleReturnInput,
    SuperviseInput,
)
from gridgov.cases.lifecycle import CASES, OPEN, WORKING, CaseAction, S, one, pending_extension
from gridgov.cases.notifications import tell_owner, tell_reporter
from gridgov.lifecycle import IllegalMove, Move
from gridgov.workdays.calendar import WorkCalendar

STREET = (Role.STREET_DISPATCHER,)


@CASES.action(
    CaseAction.DISPATCH,
    label=_l("dispatched"),
    button=_l("Dispatch"),
    path=4,
    sources=one(S.ESCALATED),
    targets=one(S.DISPATCHED),
    roles=STREET,
    input=DispatchInput,
)
def dispatch_case(move: Move, department: Organisation | None, note: str = "") -> None:
    """街道派单: the street sends the case to a department to claim."""
    department = check_department(department)
    problem = send_to_department(move, department)
    move.save(*CLOCK, *DEPARTMENT_FIELDS)
    move.event(EventKind.DISPATCHED, note, {"department": department.code, "problem": problem})
    tell_owner(move, _("Case %(number)s was dispatched to you.") % {"number": move.obj.number})
    tell_reporter(
        move,
        _("Your case %(number)s was passed to %(unit)s.")
        % {"number": move.obj.number, "unit": department.name},
    )


@CASES.action(
    CaseAction.RULE_RETURN,
    label=_l("ruled on"),
    button=_l("Rule on the return"),
    path=6,
    sources=one(S.RETURN_REQUESTED),
    targets=WORKING,
    roles=STREET,
    input=RuleReturnInput,
)
def rule_on_return(
    move: Move, decision: str, department: Organisation | None = None, note: str = ""
) -> None:
    """The street rules on a return: re-dispatch to another department, or force it back."""
    case = move.obj
    if decision not in ("redispatch", "force"):
        raise IllegalMove(_("Decide to re-dispatch or to send the case back."))
    if decision == "redispatch":
        if department is None:
            raise IllegalMove(_("Choose the department to re-dispatch to."))
        check_department(department)
        if department.pk == case.department_id:
            raise IllegalMove(_("Re-dispatch to another department, or send the case back."))
        move.move_to(S.DISPATCHED)
        previous = case.department
        problem = send_to_department(move, department)
        case.return_from_status = ""
        move.save(*CLOCK, *DEPARTMENT_FIELDS, "return_from_status")
        move.event(
            EventKind.RETURN_REDISPATCHED,
            note,
            {
                "from": previous.code if previous else None,
                "department": department.code,
                "problem": problem,
            },
        )
        tell_owner(move, _("Case %(number)s was dispatched to you.") % {"number": case.number})
        return
    back_to = case.return_from_status or S.DISPATCHED
    move.move_to(back_to)
    assert case.department is not None
    case.owner = case.department
    if back_to == S.IN_PROGRESS:
        case.handling_org = case.department
        sla.resume_step(case, Step.HANDLE, case.handle_due_at, move.now)
    else:
        sla.start_step(case, Step.CLAIM, move.now, WorkCalendar())
    case.return_from_status = ""
    move.save(*CLOCK, "owner", "handling_org", "return_from_status")
    move.event(EventKind.RETURN_FORCED, note)
    tell_owner(move, _("The return of case %(number)s was refused.") % {"number": case.number})


@CASES.action(
    CaseAction.GRANT_EXTENSION,
    label=_l("granted an extension"),
    button=_l("Grant the extension"),
    path=7,
    sources=WORKING,
    targets=frozenset(),
    roles=STREET,
    guards=(pending_extension,),
    input=GrantExtensionInput,
)
def grant_extension(move: Move, until: dt.datetime | None = None, note: str = "") -> None:
    """The approver sets the new deadline (the one asked for, or another)."""
    case = move.obj
    new_due = until or case.extension_requested_until
    assert new_due is not None
    if case.step_due_at is not None and new_due <= case.step_due_at:
        raise IllegalMove(_("The new deadline must be later than the current one."))
    case.step_due_at = new_due
    if case.step == Step.HANDLE:
        case.handle_due_at = new_due
    case.extension_requested_until = None
    case.sla_level = sla.level_for(case, move.now)
    move.save("step_due_at", "handle_due_at", "extension_requested_until", "sla_level")
    move.event(EventKind.EXTENSION_GRANTED, note, {"until": new_due.isoformat()})
    tell_owner(move, _("Case %(number)s: the extension was granted.") % {"number": case.number})


@CASES.action(
    CaseAction.REFUSE_EXTENSION,
    label=_l("refused an extension"),
    button=_l("Refuse the extension"),
    rank=3,
    sources=WORKING,
    targets=frozenset(),
    roles=STREET,
    guards=(pending_extension,),
    input=ReasonInput,
)
def refuse_extension(move: Move, reason: str) -> None:
    reason = require(reason, _("Give the reason for refusing."))
    move.obj.extension_requested_until = None
    move.save("extension_requested_until")
    move.event(EventKind.EXTENSION_REFUSED, reason)
    tell_owner(move, _("Case %(number)s: the extension was refused.") % {"number": move.obj.number})


@CASES.action(
    CaseAction.SUPERVISE,
    label=_l("supervised"),
    button=_l("Supervise"),
    rank=6,
    sources=OPEN,
    targets=frozenset(),
    roles=(Role.STREET_DISPATCHER, Role.LEADER),
    input=SuperviseInput,
)
def supervise_case(move: Move, level: str, note: str = "") -> None:
    """督办: a supervision card from the street or a leader."""
    if level not in Supervision.values:
        raise IllegalMove(_("Choose a supervision level."))
    move.obj.supervision = level
    move.save("supervision")
    move.event(EventKind.SUPERVISED, note, {"level": level})
    tell_owner(
        move,
        _("Case %(number)s is under supervision (%(level)s).")
        % {"number": move.obj.number, "level": Supervision(level).label},
    )
