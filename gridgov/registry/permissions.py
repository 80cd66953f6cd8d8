"""Who may do what with a person record, beyond seeing it (which is `visible_to`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gridgov.registry.people import OWNING_ROLES

if TYPE_CHECKING:
    from gridgov.accounts.models import User
    from gridgov.registry.models import Person


def owns(user: User, person: Person) -> bool:
    """The grid worker of the person's grid or staff of its community: the wider ID mask
    (6 + 4), editing, and "show full" with a reason."""
    if person.grid is None:
        return False
    path = person.grid.path
    return any(path.startswith(p) for role in OWNING_ROLES for p in user.duty_paths(role))


def can_edit(user: User, person: Person) -> bool:
    return owns(user, person) and not person.is_anonymised


def can_register(user: User) -> bool:
    return any(user.duty_paths(role) for role in OWNING_ROLES)
