"""`transition()`: the one path of every move.

lock → guards → role → compare-and-set → the effect → one event row → one audit row → outbox
rows, all in one transaction. On PostgreSQL the row lock serializes two moves of one object; on
a database without row locks (SQLite) the compare-and-set on the status is what turns the second
of two simultaneous moves into a clear refusal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.audit.log import record
from gridgov.lifecycle.errors import IllegalMove, NotAllowed

if TYPE_CHECKING:
    import datetime as dt

    from django.db import models

    from gridgov.lifecycle.spec import ActionSpec, Lifecycle


class Move:
    """One move in progress: the locked object, who moves it, and what it writes."""

    def __init__(
        self,
        lifecycle: Lifecycle,
        spec: ActionSpec,
        obj: Any,
        user: Any,
        role: str | None,
        membership: Any,
    ):
        self.lifecycle = lifecycle
        self.spec = spec
        self.obj = obj
        self.user = user
        self.role = role
        self.membership = membership
        self.from_status = lifecycle.status_of(obj)
        self.now: dt.datetime = timezone.now()
        self.event_row: models.Model | None = None
        self._messages: list[tuple[str, dict[str, Any]]] = []

    @property
    def system(self) -> bool:
        return self.user is None

    def move_to(self, status: str) -> None:
        """Change the status (compare-and-set); the effect calls it when the target depends on
        the input, the kernel calls it when the spec names one target."""
        lifecycle = self.lifecycle
        if status not in self.spec.targets:
            raise IllegalMove(_("This move is not allowed."))
        if status == self.from_status:
            return
        field = lifecycle.status_field
        claimed = (
            type(self.obj)
            ._default_manager.filter(pk=self.obj.pk, **{field: self.from_status})
            .update(**{field: status, "updated_at": timezone.now()})
        )
        if claimed != 1:
            raise IllegalMove(str(lifecycle.moved_meanwhile))
        setattr(self.obj, field, status)

    def save(self, *fields: str) -> None:
        self.obj.save(update_fields=[*fields, self.lifecycle.status_field, "updated_at"])

    def event(
        self,
        kind: str,
        note: str = "",
        data: dict[str, Any] | None = None,
        *,
        audit_as: str = "",
    ) -> Any:
        """The move's one event row, and its audit row (recorded as `audit_as` when a move
        shares its event kind with another but should read differently in the audit log)."""
        if self.event_row is not None:
            raise RuntimeError("a move writes exactly one event")
        lifecycle = self.lifecycle
        record(
            f"{lifecycle.name}.{audit_as or kind}",
            actor=self.user,
            actor_name="system" if self.system else None,
            role=self.role or "",
            obj=self.obj,
            object_repr=lifecycle.describe(self.obj),
            detail={"from": self.from_status, "to": lifecycle.status_of(self.obj)},
        )
        self.event_row = lifecycle.make_event(self, kind, note, data or {})
        self.event_row.save()
        return self.event_row

    def notify(self, topic: str, payload: dict[str, Any]) -> None:
        """Queue a message for delivery after commit (an outbox row in this transaction)."""
        self._messages.append((topic, payload))


def _lock(lifecycle: Lifecycle, obj: Any) -> Any:
    queryset = lifecycle.model._default_manager.select_for_update(of=("self",))
    if lifecycle.lock_related:
        queryset = queryset.select_related(*lifecycle.lock_related)
    return queryset.get(pk=obj.pk)


def transition(
    lifecycle: Lifecycle, obj: Any, name: str, *, acting_user: Any, data: dict[str, Any]
) -> Any:
    """Take the action `name` on `obj` as `acting_user` (None: the system, if the spec allows
    it) with the validated `data`; returns the object as it is after the move."""
    from gridgov.outbox.relay import write

    spec = lifecycle[name]
    with transaction.atomic():
        locked = _lock(lifecycle, obj)
        status = lifecycle.status_of(locked)
        if not spec.allows_status(status):
            raise IllegalMove(
                str(lifecycle.wrong_status)
                % {"status": lifecycle.status_label(status), "action": spec.label}
            )
        for guard in spec.guards:
            guard(locked)
        role, membership = None, None
        if acting_user is None:
            if not spec.system:
                raise NotAllowed(str(lifecycle.not_allowed))
        else:
            role = lifecycle.role_for(spec, acting_user, locked)
            if role is None:
                raise NotAllowed(str(lifecycle.not_allowed))
            membership = lifecycle.relations(acting_user, locked).get(role)
        move = Move(lifecycle, spec, locked, acting_user, role, membership)
        if len(spec.targets) == 1:
            move.move_to(next(iter(spec.targets)))
        spec.effect(move, **data)
        if spec.targets and lifecycle.status_of(locked) not in spec.targets:
            raise RuntimeError(f"{spec.name} ended outside its targets")
        if move.event_row is None:
            raise RuntimeError(f"{spec.name} wrote no event")
        write(move.event_row, move._messages)
    return move.obj
