"""The case lifecycle's frame: its action names, its registry, its rule guards.

The actions themselves are declared next to their effects in `gridgov.cases.actions.*` with
`@CASES.action(...)`; import `gridgov.cases.actions` to have them all registered.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gridgov.accounts.choices import Role
from gridgov.cases.choices import OPEN_STATUSES, Satisfaction, Status
from gridgov.cases.models import Case, CaseEvent
from gridgov.cases.permissions import relations
from gridgov.lifecycle import IllegalMove, Lifecycle

if TYPE_CHECKING:
    from gridgov.lifecycle import Move


class CaseAction(enum.StrEnum):
    """Every move of a case; the value is its one spelling in routes, forms and the API."""

    ACCEPT = "accept"
    REJECT = "reject"
    MERGE_INTO = "merge_into"
    VOID = "void"
    HANDLE_LOCALLY = "handle_locally"
    HANDLE_ON_SPOT = "handle_on_spot"
    ESCALATE = "escalate"
    DISPATCH = "dispatch"
    CLAIM = "claim"
    RETURN = "return"
    RULE_RETURN = "rule_return"
    REQUEST_EXTENSION = "request_extension"
    GRANT_EXTENSION = "grant_extension"
    REFUSE_EXTENSION = "refuse_extension"
    ADD_PROGRESS_NOTE = "add_progress_note"
    RESOLVE = "resolve"
    VERIFY = "verify"
    RATE = "rate"
    REOPEN = "reopen"
    CLOSE = "close"
    SUPERVISE = "supervise"
    REFER_TO_MEDIATION = "refer_to_mediation"
    CONCLUDE_MEDIATION = "conclude_mediation"


def _make_event(move: Move, kind: str, note: str, data: dict[str, Any]) -> CaseEvent:
    membership = move.membership
    return CaseEvent(
        case=move.obj,
        kind=kind,
        actor=move.user,
        actor_role=move.role or "",
        actor_org=membership.organisation if membership is not None else None,
        from_status=move.from_status,
        to_status=move.obj.status,
        note=note,
        data=data,
    )


CASES = Lifecycle(
    name="case",
    model=Case,
    relations=relations,
    make_event=_make_event,
    lock_related=("category", "community", "area", "owner"),
    describe=lambda case: case.number,
    status_label=lambda status: str(Status(status).label),
    wrong_status=_l("This case is “%(status)s”: it cannot be %(action)s now."),
    moved_meanwhile=_l("Someone else has just moved this case. Reload it."),
    not_allowed=_l("You may not do this on this case."),
)

# Status sets used by several declarations.
S = Status
OPEN = frozenset(OPEN_STATUSES)
WORKING = frozenset({S.DISPATCHED, S.IN_PROGRESS})


def one(*statuses: str) -> frozenset[str]:
    return frozenset(statuses)


# ---------------------------------------------------------------------------------------------
# Role rules and guards (rules of the trade beyond the table)


def who_works_now(case: Case, role: str, *, notes: bool = False) -> bool:
    """The department works a dispatched case or one it claimed; otherwise the community does.
    A progress note may also come from the street while a department works the case."""
    if case.status not in WORKING:
        return True
    department_work = case.department_id is not None and case.handling_org_id == case.department_id
    if case.status == S.DISPATCHED or department_work:
        if notes:
            return role in (Role.DEPARTMENT_HANDLER, Role.STREET_DISPATCHER)
        return role == Role.DEPARTMENT_HANDLER
    return role != Role.DEPARTMENT_HANDLER


def department_only(case: Case, role: str) -> bool:
    """A return is the department's, and only while it works the case."""
    return who_works_now(case, role) and role == Role.DEPARTMENT_HANDLER


def who_notes(case: Case, role: str) -> bool:
    return who_works_now(case, role, notes=True)


def no_pending_extension(case: Case) -> None:
    if case.extension_requested_until is not None:
        raise IllegalMove(_("An extension is already asked for: wait for the answer."))


def pending_extension(case: Case) -> None:
    if case.extension_requested_until is None:
        raise IllegalMove(_("No extension has been asked for."))


def unhappy_rating(case: Case) -> None:
    unhappy = case.solved is False or (
        case.satisfaction is not None and case.satisfaction <= Satisfaction.DISSATISFIED
    )
    if not unhappy:
        raise IllegalMove(_("Only a case rated “not solved” or dissatisfied can be reopened."))


def within_reopen_window(case: Case) -> None:
    window = dt.timedelta(days=settings.CASE_REOPEN_DAYS)
    if case.rated_at is None or timezone.now() - case.rated_at > window:
        raise IllegalMove(
            _("A case can be reopened only within %(days)s days of its rating.")
            % {"days": settings.CASE_REOPEN_DAYS}
        )


def not_yet_referred(case: Case) -> None:
    if case.mediation_referred_at is not None:
        raise IllegalMove(_("This case is already referred to mediation."))
