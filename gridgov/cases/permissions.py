"""Who may press which button on a case: the user's memberships relative to the case.

`relations(user, case)` is who the user is to the case; the action specs (cases/actions/*)
say which of those roles may take each action. `acting_role(user, case, action)` returns the
role under which the user may take the action (recorded on the event), or None. Pages show
exactly the actions `available_actions()` returns, and every action checks again.
Seeing a case is `Case.objects.visible_to(user)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gridgov.accounts import scope
from gridgov.accounts.choices import Role

if TYPE_CHECKING:
    from gridgov.accounts.models import Membership, User
    from gridgov.cases.models import Case
    from gridgov.lifecycle import Lifecycle


def relations(user: User, case: Case) -> dict[str, Membership]:
    """The user's roles that bear on this case, each with the membership that grants it
    (the case reach of `gridgov.accounts.scope`, ADR 0011)."""
    return scope.case_relations(user, case)


def _cases() -> Lifecycle:
    from gridgov.cases.actions import CASES  # the declarations register on import

    return CASES


def acting_role(user: User, case: Case, action: str) -> str | None:
    """The role under which the user may take the action now (the spec's roles, rule guards
    and role rule), or None."""
    return _cases().acting_role(user, case, action)


def available_actions(user: User, case: Case) -> list[str]:
    """The actions the user may take now, in page order (the normal path first)."""
    return [spec.name for spec in _cases().available(user, case)]


def may_see_reporter(user: User, case: Case) -> bool:
    """Confidential reports (身份保密): only the community and above see who reported."""
    if not case.confidential:
        return True
    mine = relations(user, case)
    return bool(
        set(mine) & {Role.COMMUNITY_STAFF, Role.STREET_DISPATCHER, Role.LEADER, Role.RESIDENT}
    )
