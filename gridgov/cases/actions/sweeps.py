"""Periodic case work (Celery beat calls these through `cases/tasks.py`). Safe to run twice.

A sweep never overwrites a concurrent move: it changes a case only under the case's row lock,
skipping rows a move holds right now (they are swept next time), and reads the clock again
under that lock. Its audit rows name the system as the actor; its notifications are written
to the outbox in one insert per batch.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.audit.log import record
from gridgov.cases import sla
from gridgov.cases.actions.closure import close_case
from gridgov.cases.choices import CLOCKED_STATUSES, EventKind, SlaLevel, Status
from gridgov.cases.models import SLA_RANK, Case, CaseEvent
from gridgov.cases.notifications import case_url, owner_audience
from gridgov.inbox.services import message
from gridgov.lifecycle import IllegalMove
from gridgov.outbox.relay import write_many

SYSTEM = "system"


def _due_ids(now: dt.datetime, after: int, batch: int) -> list[int]:
    return list(
        Case.objects.filter(status__in=CLOCKED_STATUSES, step_due_at__isnull=False, id__gt=after)
        .order_by("id")
        .values_list("id", flat=True)[:batch]
    )


def _sweep_batch(ids: list[int], now: dt.datetime) -> int:
    with transaction.atomic():
        rows = list(
            Case.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(id__in=ids, status__in=CLOCKED_STATUSES, step_due_at__isnull=False)
            .select_related("category", "owner")
            .order_by("id")
        )
        changed, events = [], []
        for case in rows:
            level = sla.level_for(case, now)
            if level == case.sla_level:
                continue
            events.append(
                CaseEvent(
                    case=case,
                    kind=EventKind.SLA_CHANGED,
                    from_status=case.status,
                    to_status=case.status,
                    data={"from": case.sla_level, "to": level},
                )
            )
            case.sla_level = level
            case.sla_rank = SLA_RANK[level]
            changed.append(case)
        if not changed:
            return 0
        Case.objects.bulk_update(changed, ["sla_level", "sla_rank"])
        CaseEvent.objects.bulk_create(events)
        outbox = []
        for case, event in zip(changed, events, strict=True):
            record(
                f"case.{EventKind.SLA_CHANGED}",
                actor_name=SYSTEM,
                role="",
                obj=case,
                object_repr=case.number,
                detail=event.data,
            )
            if case.sla_level == SlaLevel.OVERDUE:
                text = _("Case %(number)s is overdue.") % {"number": case.number}
                outbox.append((event, *message(owner_audience(case), text, case_url(case))))
        write_many(outbox)
        return len(changed)


def sweep_time_limits(now: dt.datetime | None = None, batch: int = 500) -> int:
    """Set yellow/red/overdue on clocked cases, one event per change; notify on overdue."""
    now = now or timezone.now()
    changed, last_id = 0, 0
    while ids := _due_ids(now, last_id, batch):
        last_id = ids[-1]
        changed += _sweep_batch(ids, now)
    return changed


def close_unrated(now: dt.datetime | None = None) -> int:
    """Close cases left without a rating for CASE_FEEDBACK_DAYS as "not evaluated"; each close
    is a move of the system (locked, checked, one event and one audit row)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.CASE_FEEDBACK_DAYS)
    waiting = Case.objects.filter(
        status=Status.AWAITING_FEEDBACK, resolved_at__lt=cutoff
    ).values_list("pk", flat=True)
    closed = 0
    for pk in list(waiting):
        try:
            close_case(Case(pk=pk), acting_user=None, note="")
            closed += 1
        except IllegalMove:
            continue  # rated or moved meanwhile
    return closed
