"""The round lifecycle: on patrol → finished | incomplete (closed by the midnight sweep)."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _l

from gridgov.lifecycle import Lifecycle
from gridgov.lifecycle.events import event_maker
from gridgov.patrols.access import round_relations
from gridgov.patrols.choices import RoundStatus
from gridgov.patrols.models import Round, RoundEvent

if TYPE_CHECKING:
    pass


class RoundAction(enum.StrEnum):
    CHECK_IN = "check_in"
    REPORT_FINDING = "report_finding"
    FINISH = "finish"
    CLOSE_INCOMPLETE = "close_incomplete"
    REPORT_HAZARD = "report_hazard"
    UPDATE_HAZARD = "update_hazard"
    INSPECT_SITE = "inspect_site"


ROUNDS = Lifecycle(
    name="patrol_round",
    model=Round,
    relations=round_relations,
    make_event=event_maker(RoundEvent, "round"),
    lock_related=("plan", "grid"),
    describe=str,
    status_label=lambda status: str(RoundStatus(status).label),
    wrong_status=_l("This round is “%(status)s”: it cannot be %(action)s now."),
    moved_meanwhile=_l("This round has just changed. Reload it."),
    not_allowed=_l("Only the worker on this round may do this."),
)
