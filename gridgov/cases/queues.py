"""The workbench queues: for each role, the lists of cases it works from.

Each queue is a filter over `Case.objects.visible_to(user)`; the first queue of the user's first
working role is the default tab.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from gridgov.accounts import scope
from gridgov.accounts.choices import Role
from gridgov.cases.choices import OPEN_STATUSES, SlaLevel, Status
from gridgov.cases.models import Case


@dataclass(frozen=True)
class Queue:
    key: str
    label: Any
    roles: tuple[str, ...]
    condition: Callable[[Any], Q]
    overdue_first: bool = False


def _orgs(user: Any, role: str) -> list[int]:
    return [
        m.organisation_id for m in user.active_memberships if m.role == role and m.organisation_id
    ]


def _mine(role: str) -> Callable[[Any], Q]:
    """The cases the user's memberships in `role` act on (`scope.case_reach`)."""
    return lambda user: scope.case_reach(user, {role})


_grid = _mine(Role.GRID_WORKER)
_department = _mine(Role.DEPARTMENT_HANDLER)


OPEN = Q(status__in=OPEN_STATUSES)
LATE = Q(sla_level__in=[SlaLevel.RED, SlaLevel.OVERDUE])

QUEUES = [
    Queue("new", _("New"), (Role.COMMUNITY_STAFF,), lambda u: Q(status=Status.SUBMITTED)),
    Queue(
        "ours",
        _("Ours"),
        (Role.COMMUNITY_STAFF,),
        lambda u: OPEN & Q(owner_id__in=_orgs(u, Role.COMMUNITY_STAFF)),
    ),
    Queue(
        "escalated",
        _("To dispatch"),
        (Role.STREET_DISPATCHER,),
        lambda u: Q(status=Status.ESCALATED),
    ),
    Queue(
        "returns",
        _("Returns"),
        (Role.STREET_DISPATCHER,),
        lambda u: Q(status=Status.RETURN_REQUESTED),
    ),
    Queue(
        "extensions",
        _("Extension requests"),
        (Role.STREET_DISPATCHER,),
        lambda u: OPEN & Q(extension_requested_until__isnull=False),
    ),
    Queue(
        "to_claim",
        _("To claim"),
        (Role.DEPARTMENT_HANDLER,),
        lambda u: Q(status=Status.DISPATCHED) & _department(u),
    ),
    Queue(
        "handling",
        _("In progress"),
        (Role.DEPARTMENT_HANDLER,),
        lambda u: Q(status=Status.IN_PROGRESS) & _department(u),
    ),
    Queue(
        "due_soon",
        _("Due soon"),
        (Role.DEPARTMENT_HANDLER,),
        lambda u: (
            OPEN
            & _department(u)
            & Q(sla_level__in=[SlaLevel.YELLOW, SlaLevel.RED, SlaLevel.OVERDUE])
        ),
    ),
    Queue("my_grid", _("My grid"), (Role.GRID_WORKER,), lambda u: OPEN & _grid(u)),
    Queue(
        "to_verify",
        _("To verify"),
        (Role.GRID_WORKER, Role.COMMUNITY_STAFF),
        lambda u: (
            Q(status=Status.RESOLVED)
            & scope.case_reach(u, {Role.GRID_WORKER, Role.COMMUNITY_STAFF})
        ),
    ),
    Queue(
        "on_spot",
        _("Small matters"),
        (Role.GRID_WORKER,),
        lambda u: Q(status__in=[Status.SUBMITTED, Status.ACCEPTED]) & _grid(u),
    ),
    Queue(
        "open",
        _("All open"),
        (Role.LEADER, Role.STREET_DISPATCHER),
        lambda u: OPEN,
        overdue_first=True,
    ),
    Queue(
        "overdue",
        _("Overdue"),
        (Role.COMMUNITY_STAFF, Role.STREET_DISPATCHER, Role.LEADER),
        lambda u: OPEN & LATE,
        overdue_first=True,
    ),
    Queue("mine", _("My reports"), (Role.RESIDENT,), lambda u: Q(reporter_user=u)),
]
ALL = Queue("all", _("All"), (), lambda u: Q())


def queues_for(user: Any) -> list[Queue]:
    roles = user.roles
    found = [q for q in QUEUES if set(q.roles) & roles]
    return [*found, ALL]


def queue_cases(user: Any, key: str) -> tuple[Queue, QuerySet[Case]]:
    available = queues_for(user)
    queue = next((q for q in available if q.key == key), available[0])
    cases = Case.objects.visible_to(user).filter(queue.condition(user))
    if queue.overdue_first:
        cases = cases.order_by("sla_rank", "step_due_at", "id")  # matches case_attention
    return queue, cases
