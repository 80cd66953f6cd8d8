"""Who may press which button on a case: the user's memberships relative to the case.

`acting_role(user, case, action)` returns the role under which the user may take the action
(recorded on the event), or None. Pages show exactly the actions `available_actions()` returns,
and every action checks again. Seeing a case is `Case.objects.visible_to(user)`.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from gridgov.accounts import scope
from gridgov.accounts.choices import Role
from gridgov.cases.choices import Satisfaction, Status
from gridgov.cases.workflow import ACTIONS, can_move

if TYPE_CHECKING:
    from gridgov.accounts.models import Membership, User
    from gridgov.cases.models import Case


def relations(user: User, case: Case) -> dict[str, Membership]:
    """The user's roles that bear on this case, each with the membership that grants it
    (the case reach of `gridgov.accounts.scope`, ADR 0011)."""
    return scope.case_relations(user, case)


# For each action, the roles that may take it; _state_allows() refines by the case state.
RULES: dict[str, tuple[str, ...]] = {
    "accept": (Role.COMMUNITY_STAFF,),
    "reject": (Role.COMMUNITY_STAFF,),
    "merge_into": (Role.COMMUNITY_STAFF,),
    "void": (Role.COMMUNITY_STAFF,),
    "handle_locally": (Role.COMMUNITY_STAFF,),
    "handle_on_spot": (Role.GRID_WORKER,),
    "escalate": (Role.COMMUNITY_STAFF,),
    "dispatch": (Role.STREET_DISPATCHER,),
    "claim": (Role.DEPARTMENT_HANDLER,),
    "return": (Role.DEPARTMENT_HANDLER,),
    "rule_return": (Role.STREET_DISPATCHER,),
    "request_extension": (Role.DEPARTMENT_HANDLER, Role.COMMUNITY_STAFF),
    "grant_extension": (Role.STREET_DISPATCHER,),
    "refuse_extension": (Role.STREET_DISPATCHER,),
    "add_progress_note": (
        Role.DEPARTMENT_HANDLER,
        Role.COMMUNITY_STAFF,
        Role.GRID_WORKER,
        Role.STREET_DISPATCHER,
    ),
    "resolve": (Role.DEPARTMENT_HANDLER, Role.COMMUNITY_STAFF, Role.GRID_WORKER),
    "verify": (Role.GRID_WORKER, Role.COMMUNITY_STAFF),
    "rate": (Role.RESIDENT, Role.COMMUNITY_STAFF),
    "reopen": (Role.RESIDENT, Role.COMMUNITY_STAFF),
    "close": (Role.COMMUNITY_STAFF,),
    "supervise": (Role.STREET_DISPATCHER, Role.LEADER),
    "refer_to_mediation": (Role.COMMUNITY_STAFF, Role.GRID_WORKER, Role.STREET_DISPATCHER),
}


def _state_allows(action: str, role: str, case: Case) -> bool:
    """Rules of the trade beyond the transition table."""
    department_work = case.department_id is not None and case.handling_org_id == case.department_id
    if action == "request_extension" and case.extension_requested_until is not None:
        return False  # one request at a time
    if action in ("return", "request_extension", "resolve", "add_progress_note") and (
        case.status in (Status.DISPATCHED, Status.IN_PROGRESS)
    ):
        # Who works the case now: the department once dispatched, else the community.
        if case.status == Status.DISPATCHED or department_work:
            if action == "add_progress_note":
                return role in (Role.DEPARTMENT_HANDLER, Role.STREET_DISPATCHER)
            return role == Role.DEPARTMENT_HANDLER
        return role != Role.DEPARTMENT_HANDLER and (action != "return")
    if action in ("grant_extension", "refuse_extension"):
        return case.extension_requested_until is not None
    if action == "reopen":
        from django.conf import settings

        unhappy = case.solved is False or (
            case.satisfaction is not None and case.satisfaction <= Satisfaction.DISSATISFIED
        )
        if not unhappy:
            return False  # only "not solved" or a dissatisfied rating reopens
        window = dt.timedelta(days=settings.CASE_REOPEN_DAYS)
        return case.rated_at is not None and timezone.now() - case.rated_at <= window
    return True


def acting_role(user: User, case: Case, action: str) -> str | None:
    if not can_move(action, case.status):
        return None
    mine = relations(user, case)
    for role in RULES[action]:
        if role in mine and _state_allows(action, role, case):
            return role
    return None


def acting_membership(user: User, case: Case, action: str) -> Membership | None:
    role = acting_role(user, case, action)
    return relations(user, case).get(role) if role else None


def available_actions(user: User, case: Case) -> list[str]:
    return [action for action in ACTIONS if acting_role(user, case, action)]


def may_see_reporter(user: User, case: Case) -> bool:
    """Confidential reports (身份保密): only the community and above see who reported."""
    if not case.confidential:
        return True
    mine = relations(user, case)
    return bool(
        set(mine) & {Role.COMMUNITY_STAFF, Role.STREET_DISPATCHER, Role.LEADER, Role.RESIDENT}
    )
