"""The mediation lifecycle's frame: action names, the registry, who the user is to a case.

registered → accepted → mediating → agreed → closed, with not_accepted (a party refuses, before
it starts) and failed (terminated) as the other ends; a follow-up may send an agreed case back to
mediating (re-mediation with the parties' consent). See docs/adr/0016-mediation.md. The
actions are declared next to their effects in `gridgov.mediation.actions`.
"""

from __future__ import annotations

import enum

from django.utils.translation import gettext_lazy as _l

from gridgov.accounts import scope
from gridgov.accounts.choices import Role
from gridgov.lifecycle import Lifecycle
from gridgov.lifecycle.events import event_maker
from gridgov.mediation.access import relations
from gridgov.mediation.choices import MediationStatus
from gridgov.mediation.models import MediationCase, MediationEvent


class MediationAction(enum.StrEnum):
    """Every move of a mediation case; the value is its one spelling in routes and forms."""

    ACCEPT = "accept"
    NOT_ACCEPT = "not_accept"
    ADD_PARTY = "add_party"
    ADD_REPRESENTATIVE = "add_representative"
    ASSIGN = "assign_mediator"
    RECUSE = "recuse"
    ESCALATE = "escalate"
    RECORD_SESSION = "record_session"
    FLAG_RISK = "flag_risk"
    EXTEND = "extend"
    AGREE_WRITTEN = "agree_written"
    AGREE_ORAL = "agree_oral"
    FAIL = "fail"
    FOLLOW_UP = "follow_up"
    APPLY_CONFIRMATION = "apply_confirmation"
    RECORD_COURT_ACCEPTANCE = "record_court_acceptance"
    RECORD_CONFIRMATION_RESULT = "record_confirmation_result"
    FLAG_WARNING = "flag_warning"


S = MediationStatus
ASSIGNED = scope.MEDIATION_ASSIGNED
# Who works a case: its current mediator, the committee, the judicial office, the grid worker of
# the grid while at level 1 (the relations grant that role only then).
WORKERS = (ASSIGNED, Role.MEDIATOR, Role.JUDICIAL_OFFICER, Role.GRID_WORKER)
# Who assigns and replaces mediators: the committee, and the judicial office (level 3).
COMMITTEE = (Role.MEDIATOR, Role.JUDICIAL_OFFICER)


def one(*statuses: str) -> frozenset[str]:
    return frozenset(statuses)


MEDIATIONS = Lifecycle(
    name="mediation",
    model=MediationCase,
    relations=relations,
    make_event=event_maker(MediationEvent, "mediation"),
    lock_related=("area", "community"),
    describe=lambda mediation: mediation.number,
    status_label=lambda status: str(MediationStatus(status).label),
    wrong_status=_l("This mediation case is “%(status)s”: it cannot be %(action)s now."),
    moved_meanwhile=_l("Someone else has just changed this mediation case. Reload it."),
    not_allowed=_l("You may not do this on this mediation case."),
)
