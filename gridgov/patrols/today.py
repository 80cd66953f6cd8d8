"""The grid worker's day, for their home page (issue 10): rounds planned and done, the next
checkpoints, the open round, open hazards of their grids (overdue first), cases of their grids
waiting for them, unread important notices, and residents to visit. Each list is one bounded
query plus a count; the whole card is a fixed number of queries however full the grid is."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from gridgov.accounts import scope
from gridgov.accounts.choices import Role
from gridgov.cases.choices import Status
from gridgov.cases.models import Case
from gridgov.hazards.models import Hazard
from gridgov.notices import audience
from gridgov.notices.models import Notice, NoticeRead
from gridgov.patrols.choices import RoundStatus
from gridgov.patrols.compliance import compliance
from gridgov.patrols.models import Checkpoint, PatrolPlan, Round, RoundRecordUpdate
from gridgov.registry.choices import PersonStatus
from gridgov.registry.models import SpecialGroupRecord

SHOWN = 5
# The cases of the grid waiting for the grid worker: the workbench's "small matters" (submitted
# or accepted, to handle on the spot) and "to verify" (resolved, to check on site) queues.
WAITING_STATUSES = (Status.SUBMITTED, Status.ACCEPTED, Status.RESOLVED)


def waiting_cases(user: Any) -> Any:
    return (
        Case.objects.visible_to(user)
        .filter(scope.case_reach(user, {Role.GRID_WORKER}), status__in=WAITING_STATUSES)
        .order_by("step_due_at", "pk")
    )


def open_hazards(user: Any, grid_paths: tuple[str, ...]) -> Any:
    """Open hazards of the worker's grids, the earliest deadline (so the overdue) first."""
    return (
        Hazard.objects.visible_to(user)
        .open()
        .filter(scope.under(grid_paths, "area_path"))
        .order_by("deadline", "pk")
    )


def unread_important_notices(user: Any) -> Any:
    reads = NoticeRead.objects.filter(notice=OuterRef("pk"), user=user)
    return (
        Notice.objects.filter(
            pk__in=Notice.objects.filter(audience.reader_condition(user)).values("pk"),
            important=True,
        )
        .exclude(Exists(reads))
        .order_by("-published_at", "pk")
    )


def residents_to_visit(user: Any, grid_paths: tuple[str, ...], now: dt.datetime) -> Any:
    """ADR 0013: living people of the worker's grids with a special-group record
    the worker holds a need-to-know grant for, whose e-file (person or record) was last changed,
    and who were last visited (an e-file update on a round), more than
    `PATROL_VISIT_AFTER_DAYS` days ago. The longest-waiting first."""
    cutoff = now - dt.timedelta(days=settings.PATROL_VISIT_AFTER_DAYS)
    visited = RoundRecordUpdate.objects.filter(person=OuterRef("person"), at__gte=cutoff)
    return (
        SpecialGroupRecord.objects.visible_to(user)
        .filter(
            scope.under(grid_paths, "person__grid__path"),
            person__status=PersonStatus.LIVING,
            person__updated_at__lt=cutoff,
            updated_at__lt=cutoff,
        )
        .exclude(Exists(visited))
        .select_related("person")
        .order_by("person__updated_at", "person_id", "pk")
    )


def today_for(user: Any) -> dict[str, Any]:
    now = timezone.now()
    day = timezone.localdate(now)
    grid_paths = scope.role_paths(user, (Role.GRID_WORKER,))
    plans = list(PatrolPlan.objects.filter(worker=user, is_active=True).select_related("grid"))
    plans = [p for p in plans if p.covers(day)]
    cells = compliance(plans, [day], today=day + dt.timedelta(days=1)) if plans else []
    open_round = (
        Round.objects.filter(worker=user, status=RoundStatus.IN_PROGRESS)
        .select_related("grid")
        .first()
    )
    next_checkpoints: list[Checkpoint] = []
    if open_round is not None:
        next_checkpoints = list(
            Checkpoint.objects.filter(plan_id=open_round.plan_id)
            .in_force(open_round.day)
            .exclude(pk__in=open_round.check_ins.values("checkpoint_id"))
            .order_by("position", "pk")[:3]
        )
    elif plans:
        next_checkpoints = list(plans[0].checkpoints.in_force(day).order_by("position", "pk")[:3])
    hazards = open_hazards(user, grid_paths)
    cases = waiting_cases(user)
    notices = unread_important_notices(user)
    records = list(residents_to_visit(user, grid_paths, now)[: SHOWN * 3])
    visits: list[SpecialGroupRecord] = []
    seen: set[int] = set()
    for record in records:  # one line per person, however many groups they are in
        if record.person_id not in seen and len(visits) < SHOWN:
            seen.add(record.person_id)
            visits.append(record)
    visit_count = residents_to_visit(user, grid_paths, now).values("person_id").distinct().count()
    return {
        "day": cells[0] if cells else None,
        "plans": plans,
        "open_round": open_round,
        "next_checkpoints": next_checkpoints,
        "hazards": list(hazards[:SHOWN]),
        "hazard_count": hazards.count(),
        "today": day,
        "waiting_cases": list(cases[:SHOWN]),
        "waiting_case_count": cases.count(),
        "notices": list(notices[:3]),
        "visits": visits,
        "visit_count": visit_count,
        "grid": plans[0].grid if plans else None,
    }
