"""One declaration per action: `ActionSpec`, collected in a `Lifecycle` per model.

The kernel knows a model only through its `Lifecycle`: the status field, how to lock a row, how
to build an event row, and who the user is to the object (`relations`). Everything a page, an
API route, a form or the OpenAPI document needs about an action is read from its spec.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from gridgov.lifecycle.errors import IllegalMove

if TYPE_CHECKING:
    from django.db import models


WRONG_STATUS = _("This is “%(status)s”: it cannot be %(action)s now.")
MOVED_MEANWHILE = _("Someone else has just changed this. Reload it.")
NOT_ALLOWED = _("You may not do this.")

# A rule guard looks at the locked object and raises IllegalMove(specific message) to refuse.
Guard = Callable[[Any], None]
# A role rule: may this role take the action on the object in its present state?
RoleRule = Callable[[Any, str], bool]
# The effect: the action's own changes, made on `move.obj` inside the move's transaction.
Effect = Callable[..., None]


@dataclass(frozen=True)
class ActionSpec:
    """Everything about one action. `targets` empty: the action keeps the status."""

    action: enum.StrEnum
    label: Any  # past participle for "it cannot be … now"
    button: Any
    sources: frozenset[str]
    targets: frozenset[str]
    roles: tuple[str, ...]
    effect: Effect
    input: type | None = None  # a DRF serializer: the one domain input of pages and API
    path: int | None = None  # position on the normal path; the first available is primary
    rank: int = 0  # page order of the occasional actions, after the normal path
    guards: tuple[Guard, ...] = ()
    role_rule: RoleRule | None = None
    role_buttons: Mapping[str, Any] = field(default_factory=dict)
    system: bool = False  # the system (a periodic sweep) may take it without a user

    @property
    def name(self) -> str:
        return str(self.action.value)

    @property
    def slug(self) -> str:
        """The one spelling of the action in page and API routes."""
        return self.name

    def allows_status(self, status: str) -> bool:
        return status in self.sources

    def passes_guards(self, obj: Any) -> bool:
        try:
            for guard in self.guards:
                guard(obj)
        except IllegalMove:
            return False
        return True

    def button_for(self, role: str | None) -> str:
        return str(self.role_buttons.get(role or "", self.button))

    def sort_key(self) -> tuple[int, int]:
        return (0, self.path) if self.path is not None else (1, self.rank)


@dataclass
class Lifecycle:
    """The registry of one model's actions, and how the kernel reaches that model."""

    name: str  # audit prefix, e.g. "case" → "case.accepted"
    model: type[models.Model]
    relations: Callable[[Any, Any], Mapping[str, Any]]  # user, obj → {role: membership}
    make_event: Callable[..., models.Model]  # (move, kind, note, data) → unsaved event row
    status_field: str = "status"
    lock_related: tuple[str, ...] = ()
    describe: Callable[[Any], str] = str  # the object's name in the audit log
    status_label: Callable[[str], str] = str
    # The refusals' wording for this kind of object (lazy strings; %(status)s, %(action)s).
    wrong_status: Any = WRONG_STATUS
    moved_meanwhile: Any = MOVED_MEANWHILE
    not_allowed: Any = NOT_ALLOWED
    specs: dict[str, ActionSpec] = field(default_factory=dict)

    def register(self, spec: ActionSpec) -> ActionSpec:
        if spec.name in self.specs:
            raise ValueError(f"{self.name}: action {spec.name!r} declared twice")
        self.specs[spec.name] = spec
        return spec

    def unregister(self, name: str) -> None:
        self.specs.pop(name, None)

    def action(
        self, action: enum.StrEnum, **options: Any
    ) -> Callable[[Effect], Callable[..., Any]]:
        """Declare an action on its effect; returns the public function that takes the move:
        `fn(obj, *, acting_user, **data)`."""

        def declare(effect: Effect) -> Callable[..., Any]:
            spec = self.register(ActionSpec(action=action, effect=effect, **options))

            def take(obj: Any, *, acting_user: Any, **data: Any) -> Any:
                from gridgov.lifecycle.move import transition

                return transition(self, obj, spec.name, acting_user=acting_user, data=data)

            take.__name__ = effect.__name__
            take.__doc__ = effect.__doc__
            take.spec = spec  # type: ignore[attr-defined]
            return take

        return declare

    def __getitem__(self, name: str) -> ActionSpec:
        return self.specs[name]

    def __contains__(self, name: object) -> bool:
        return name in self.specs

    def ordered(self) -> list[ActionSpec]:
        return sorted(self.specs.values(), key=ActionSpec.sort_key)

    def status_of(self, obj: Any) -> str:
        return str(getattr(obj, self.status_field))

    def acting_role(self, user: Any, obj: Any, name: str) -> str | None:
        """The role under which the user may take the action now, or None."""
        spec = self.specs[name]
        if not spec.allows_status(self.status_of(obj)) or not spec.passes_guards(obj):
            return None
        return self.role_for(spec, user, obj)

    def role_for(self, spec: ActionSpec, user: Any, obj: Any) -> str | None:
        mine = self.relations(user, obj)
        for role in spec.roles:
            if role in mine and (spec.role_rule is None or spec.role_rule(obj, role)):
                return role
        return None

    def available(self, user: Any, obj: Any) -> list[ActionSpec]:
        """The actions the user may take now, in page order (the normal path first)."""
        return [s for s in self.ordered() if self.acting_role(user, obj, s.name)]

    @staticmethod
    def primary(specs: list[ActionSpec]) -> ActionSpec | None:
        """The next step of the normal path among these, if any (the page's red button)."""
        on_path = [s for s in specs if s.path is not None]
        return min(on_path, key=ActionSpec.sort_key) if on_path else None
