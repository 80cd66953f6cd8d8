"""Write outbox rows in a transaction; hand them to Celery after commit; deliver one by id.

Without a broker (the embedded default, CELERY_TASK_ALWAYS_EAGER) `deliver.delay()` runs the
delivery in this process right after the commit: the relay is in-process. With a broker, a
worker delivers; if the broker is down, the rows simply wait and `relay_due` (Celery beat, every
minute) hands them over again once it is back. A row is delivered under its own row lock and
marked delivered in the same transaction, so a row handed over twice is delivered once.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from gridgov.outbox.models import OutboxMessage, OutboxState

log = logging.getLogger(__name__)


def write(event: models.Model | None, messages: Iterable[tuple[str, dict[str, Any]]]) -> list[int]:
    """Add rows for these (topic, payload) messages of one event; handed over after commit."""
    return write_many((event, topic, payload) for topic, payload in messages)


def write_many(
    messages: Iterable[tuple[models.Model | None, str, dict[str, Any]]],
) -> list[int]:
    """Add rows for (event, topic, payload) messages in one insert; handed over after commit."""
    rows = OutboxMessage.objects.bulk_create(
        OutboxMessage(
            topic=topic,
            payload=payload,
            event_type=event._meta.label_lower if event is not None else "",
            event_id=event.pk if event is not None else None,
        )
        for event, topic, payload in messages
    )
    ids = [row.pk for row in rows]
    if ids:
        transaction.on_commit(lambda: hand_over(ids))
    return ids


def hand_over(ids: Iterable[int]) -> int:
    """Queue a delivery task per row; a broker that is down leaves the rows waiting."""
    from gridgov.outbox.tasks import deliver

    queued = 0
    for pk in ids:
        try:
            deliver.delay(pk)
        except Exception:  # broker unreachable: relay_due() will hand the row over later
            log.warning("outbox row %s waits: the broker is unreachable", pk, exc_info=True)
            continue
        queued += 1
    return queued


def handler_for(topic: str) -> Callable[[dict[str, Any]], Any]:
    return import_string(settings.OUTBOX_HANDLERS[topic])


def backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8 … minutes, at most a day."""
    return dt.timedelta(minutes=min(2 ** (attempts - 1), 24 * 60))


def deliver(pk: int) -> str:
    """Deliver one row: "delivered", "retry", "dead", or "skipped" (done or busy elsewhere)."""
    with transaction.atomic():
        row = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, state=OutboxState.PENDING)
            .first()
        )
        if row is None:
            return "skipped"
        now = timezone.now()
        try:
            with transaction.atomic():
                handler_for(row.topic)(row.payload)
        except Exception as error:
            row.attempts += 1
            row.last_error = f"{type(error).__name__}: {error}"[:2000]
            if row.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                row.state = OutboxState.DEAD
                log.error("outbox row %s is a dead letter: %s", pk, row.last_error)
            else:
                row.next_attempt_at = now + backoff(row.attempts)
            row.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
            return "dead" if row.state == OutboxState.DEAD else "retry"
        row.state = OutboxState.DELIVERED
        row.delivered_at = now
        row.attempts += 1
        row.save(update_fields=["state", "delivered_at", "attempts"])
        return "delivered"


def relay_due(now: dt.datetime | None = None, limit: int = 1000) -> int:
    """Hand over again the rows that wait (broker down, or a retry that is due)."""
    now = now or timezone.now()
    ids = list(
        OutboxMessage.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=now)
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    return hand_over(ids)


def retry_dead(ids: Iterable[int]) -> int:
    """Give dead letters another chance (from the admin)."""
    return OutboxMessage.objects.filter(pk__in=list(ids), state=OutboxState.DEAD).update(
        state=OutboxState.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
