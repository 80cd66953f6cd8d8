"""The hazard lifecycle's frame: action names, the registry, who the user is to a hazard.

found → rectifying → rectified → verified (a rectification not accepted goes back to
rectifying). The actions are declared next to their effects in `gridgov.hazards.actions`.
"""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _l

from gridgov.accounts import scope
from gridgov.hazards.choices import HazardStatus
from gridgov.hazards.models import Hazard, HazardEvent
from gridgov.lifecycle import Lifecycle

if TYPE_CHECKING:
    from gridgov.lifecycle import Move


class HazardAction(enum.StrEnum):
    START = "start_rectification"
    MARK_RECTIFIED = "mark_rectified"
    VERIFY = "verify"
    REWORK = "rework"
    ESCALATE = "escalate"
    FLAG_OVERDUE = "flag_overdue"


def relations(user: Any, hazard: Hazard) -> dict[str, Any]:
    return scope.hazard_relations(user, hazard.area_path)


def _make_event(move: Move, kind: str, note: str, data: dict[str, Any]) -> HazardEvent:
    return HazardEvent(
        hazard=move.obj,
        kind=kind,
        actor=move.user,
        actor_role=move.role or "",
        from_status=move.from_status,
        to_status=move.obj.status,
        note=note,
        data=data,
    )


HAZARDS = Lifecycle(
    name="hazard",
    model=Hazard,
    relations=relations,
    make_event=_make_event,
    lock_related=("grid",),
    describe=lambda hazard: hazard.number,
    status_label=lambda status: str(HazardStatus(status).label),
    wrong_status=_l("This hazard is “%(status)s”: it cannot be %(action)s now."),
    moved_meanwhile=_l("Someone else has just changed this hazard. Reload it."),
    not_allowed=_l("You may not do this on this hazard."),
)
