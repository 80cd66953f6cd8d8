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
from gridgov.lifecycle.events import event_maker

if TYPE_CHECKING:
    pass


class HazardAction(enum.StrEnum):
    START = "start_rectification"
    MARK_RECTIFIED = "mark_rectified"
    VERIFY = "verify"
    REWORK = "rework"
    ESCALATE = "escalate"
    FLAG_OVERDUE = "flag_overdue"


def relations(user: Any, hazard: Hazard) -> dict[str, Any]:
    return scope.hazard_relations(user, hazard.area_path)


HAZARDS = Lifecycle(
    name="hazard",
    model=Hazard,
    relations=relations,
    make_event=event_maker(HazardEvent, "hazard"),
    lock_related=("grid",),
    describe=lambda hazard: hazard.number,
    status_label=lambda status: str(HazardStatus(status).label),
    wrong_status=_l("This hazard is “%(status)s”: it cannot be %(action)s now."),
    moved_meanwhile=_l("Someone else has just changed this hazard. Reload it."),
    not_allowed=_l("You may not do this on this hazard."),
)
