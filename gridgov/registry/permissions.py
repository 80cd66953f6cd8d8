"""Who may do what with a person record, beyond seeing it: the registry's reach in
`gridgov.accounts.scope` (ADR 0011), for one person in memory."""

from __future__ import annotations

from typing import TYPE_CHECKING

from gridgov.accounts import scope

if TYPE_CHECKING:
    from gridgov.accounts.models import User
    from gridgov.registry.models import Person


def owns(user: User, person: Person) -> bool:
    """The grid worker of the person's grid or staff of its community: the wider ID mask
    (6 + 4), editing, and "show full" with a reason."""
    if person.grid is None:
        return False
    return scope.covers(scope.registry_paths(user, scope.Action.CHANGE), person.grid.path)


def can_edit(user: User, person: Person) -> bool:
    """The Python twin of `Person.objects.visible_to(user, "change")`."""
    return owns(user, person) and not person.is_anonymised


def can_register(user: User) -> bool:
    return bool(scope.registry_paths(user, scope.Action.CREATE))


def granted_groups(user: User, person: Person) -> set[str]:
    """The special groups the user holds a need-to-know grant for over this person's grid."""
    if person.grid is None:
        return set()
    return scope.granted_groups(user, person.grid.path)


def may_edit_special_group(user: User, person: Person, group: str) -> bool:
    """A grant for the group over the person's grid, and the right to edit the person."""
    return group in granted_groups(user, person) and can_edit(user, person)
