"""The usual event row of a lifecycle: who moved what from which status to which."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

from gridgov.lifecycle.move import Move

EventMaker = Callable[[Move, str, str, dict[str, Any]], models.Model]


def event_maker(model: type[models.Model], subject_field: str) -> EventMaker:
    """A `make_event` for an event model whose fields are the subject (`subject_field`), kind,
    actor, actor_role, from_status, to_status, note and data — the shape every lifecycle but
    cases (which also names the actor's organisation) uses."""

    def make(move: Move, kind: str, note: str, data: dict[str, Any]) -> models.Model:
        return model(
            **{subject_field: move.obj},
            kind=kind,
            actor=move.user,
            actor_role=move.role or "",
            from_status=move.from_status,
            to_status=move.obj.status,
            note=note,
            data=data,
        )

    return make
