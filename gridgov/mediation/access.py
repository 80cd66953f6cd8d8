"""Who may see and act on a mediation case (need-to-know, ADR 0016).

The rules are written once in `gridgov.accounts.scope` (`mediation_condition`,
`mediation_relations`); this module feeds them the user's assignments. Parties' personal data is
masked everywhere unless unmasked (audited) by someone who may act on the case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from gridgov.accounts import scope

if TYPE_CHECKING:
    from gridgov.accounts.models import Membership, User
    from gridgov.mediation.models import MediationCase


def _assigned(user: User, *, current: bool) -> Any:
    from gridgov.mediation.models import MediatorAssignment

    rows = MediatorAssignment.objects.filter(mediator_id=user.pk)
    if current:
        rows = rows.filter(ended_at__isnull=True)
    return rows.values("mediation_id")


def view_condition(user: User) -> Q:
    return scope.mediation_condition(user, scope.Action.VIEW, _assigned(user, current=False))


def change_condition(user: User) -> Q:
    return scope.mediation_condition(user, scope.Action.CHANGE, _assigned(user, current=True))


def is_current_mediator(user: Any, mediation: MediationCase) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    current = getattr(mediation, "_current_assignment", None)
    if current is None:
        current = mediation.assignments.filter(ended_at__isnull=True).first()
    return current is not None and current.mediator_id == user.pk


def relations(user: Any, mediation: MediationCase) -> dict[str, Membership | None]:
    """The user's roles on this case, for the lifecycle kernel."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    return scope.mediation_relations(
        user, mediation.area_path, mediation.level, is_current_mediator(user, mediation)
    )
