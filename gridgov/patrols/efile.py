"""Resident e-file updates made during a round (ADR 0013).

The registry sends `record_changed` after a page change of a person's e-file; when the actor
is a grid worker on an open round, one `RoundRecordUpdate` row per person links the change to
that round (in the change's transaction). The registry never imports patrols: patrols listens.
A replayed page post that changes nothing sends nothing, so it links nothing.
"""

from __future__ import annotations

from typing import Any

from gridgov.patrols.choices import RoundStatus
from gridgov.patrols.models import Round, RoundRecordUpdate


def link_to_open_round(
    sender: Any, *, actor: Any, action: str, people: list[Any], fields: list[str], **_: Any
) -> None:
    if actor is None or not getattr(actor, "pk", None) or not people:
        return
    round_id = (
        Round.objects.filter(worker_id=actor.pk, status=RoundStatus.IN_PROGRESS)
        .values_list("pk", flat=True)
        .first()
    )
    if round_id is None:
        return
    RoundRecordUpdate.objects.bulk_create(
        [
            RoundRecordUpdate(
                round_id=round_id, person=person, audit_action=action, fields=list(fields)
            )
            for person in people
        ]
    )


def updates_of(round_: Round) -> list[RoundRecordUpdate]:
    """The round's e-file updates with their people (masked names on display), one query."""
    return list(
        RoundRecordUpdate.objects.filter(round=round_).select_related("person").order_by("at")
    )
