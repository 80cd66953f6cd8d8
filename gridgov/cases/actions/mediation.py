"""The loop back from mediation: a referred dispute's case moves on when mediation ends.

The mediation app sends the outbox topic `cases.mediation_concluded` (case id, its own case
number, the outcome, the agreed terms or the reason); `on_mediation_concluded` takes the case
action as the system. Cases never import mediation.
"""

from __future__ import annotations

import logging
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gridgov.cases import sla
from gridgov.cases.actions._common import CLOCK, community_office
from gridgov.cases.choices import EventKind, Step
from gridgov.cases.inputs import MediationOutcomeInput
from gridgov.cases.lifecycle import CASES, OPEN, CaseAction, S
from gridgov.cases.models import Case
from gridgov.cases.notifications import tell_owner, tell_reporter
from gridgov.lifecycle import IllegalMove, Move
from gridgov.workdays.calendar import WorkCalendar

log = logging.getLogger(__name__)


def referred(case: Case) -> None:
    """Referred and not concluded yet: in mediation, or (referred before that status existed)
    without a conclusion among its events — a late or repeated outcome changes nothing."""
    if case.mediation_referred_at is None:
        raise IllegalMove(_("This case was not referred to mediation."))
    if case.status != S.IN_MEDIATION and (
        case.events.filter(kind=EventKind.MEDIATION_CONCLUDED).exists()
    ):
        raise IllegalMove(_("The mediation of this case has already concluded."))


@CASES.action(
    CaseAction.CONCLUDE_MEDIATION,
    label=_l("concluded after mediation"),
    button=_l("Mediation concluded"),
    rank=98,
    sources=frozenset(OPEN - {S.RESOLVED, S.AWAITING_FEEDBACK}),
    targets=frozenset({S.RESOLVED, S.ACCEPTED}),
    roles=(),
    guards=(referred,),
    input=MediationOutcomeInput,
    system=True,
)
def conclude_mediation(move: Move, outcome: str, mediation: str, result: str = "") -> None:
    """An agreement resolves the case (the community verifies it as any result); a failed or
    refused mediation returns it to the community, which handles or escalates it again."""
    case = move.obj
    case.owner = community_office(case.community_id)
    if outcome == "agreed":
        move.move_to(S.RESOLVED)
        case.result = _("Mediation %(number)s reached an agreement: %(terms)s") % {
            "number": mediation,
            "terms": result,
        }
        case.resolved_at = move.now
        sla.stop_clock(case)
        move.save(*CLOCK, "owner", "result", "resolved_at")
        text = _("Case %(number)s was settled by mediation: please verify it.")
    else:
        move.move_to(S.ACCEPTED)
        sla.start_step(case, Step.DISPATCH, move.now, WorkCalendar())
        move.save(*CLOCK, "owner")
        text = _("Mediation of case %(number)s ended without agreement: it is back with you.")
    move.event(EventKind.MEDIATION_CONCLUDED, result, {"mediation": mediation, "outcome": outcome})
    tell_owner(move, text % {"number": case.number})
    if outcome == "agreed":
        tell_reporter(
            move, _("Your case %(number)s was settled by mediation.") % {"number": case.number}
        )


def on_mediation_concluded(payload: dict[str, Any]) -> bool:
    """The outbox handler: take the case action as the system. A case that has moved on
    meanwhile (closed, already resolved) is left as it is."""
    case = Case.objects.filter(pk=payload["case_id"]).first()
    if case is None:
        return False
    try:
        conclude_mediation(
            case,
            acting_user=None,
            outcome=payload["outcome"],
            mediation=payload.get("mediation", ""),
            result=payload.get("result", ""),
        )
    except IllegalMove as refused:
        log.info("case %s not moved after mediation: %s", case.number, refused)
        return False
    return True
