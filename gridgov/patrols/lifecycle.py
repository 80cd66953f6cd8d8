"""The round lifecycle: on patrol → finished | incomplete (closed by the midnight sweep)."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _l

from gridgov.lifecycle import Lifecycle
from gridgov.patrols.access import round_relations
from gridgov.patrols.choices import RoundStatus
from gridgov.patrols.models import Round, RoundEvent

if TYPE_CHECKING:
    from gridgov.lifecycle import Move


class RoundAction(enum.StrEnum):
    CHECK_IN = "check_in"
    REPORT_FINDING = "report_finding"
    FINISH = "finish"
    CLOSE_INCOMPLETE = "close_incomplete"


def _make_event(move: Move, kind: str, note: str, data: dict[str, Any]) -> RoundEvent:
    return RoundEvent(
        round=move.obj,
        kind=kind,
        actor=move.user,
        actor_role=move.role or "",
        from_status=move.from_status,
        to_status=move.obj.status,
        note=note,
        data=data,
    )


ROUNDS = Lifecycle(
    name="patrol_round",
    model=Round,
    relations=round_relations,
    make_event=_make_event,
    lock_related=("plan", "grid"),
    describe=str,
    status_label=lambda status: str(RoundStatus(status).label),
    wrong_status=_l("This round is “%(status)s”: it cannot be %(action)s now."),
    moved_meanwhile=_l("This round has just changed. Reload it."),
    not_allowed=_l("Only the worker on this round may do this."),
)
