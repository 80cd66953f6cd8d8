"""Send in-app notifications. Apps queue them through the outbox (topic "inbox.notify"), so
nothing is sent for a rolled-back change; `deliver` is that topic's handler."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from gridgov.inbox.models import Notification

TOPIC = "inbox.notify"


def message(user_ids: Iterable[int], text: str, url: str = "") -> tuple[str, dict[str, Any]]:
    """An outbox message (topic, payload) that puts `text` in these users' inboxes."""
    return TOPIC, {"user_ids": sorted(set(user_ids)), "message": text[:300], "url": url}


def notify(user_ids: Iterable[int], *, message: str, url: str = "") -> int:
    rows = [Notification(user_id=pk, message=message[:300], url=url) for pk in set(user_ids)]
    Notification.objects.bulk_create(rows)
    return len(rows)


def deliver(payload: dict[str, Any]) -> int:
    return notify(payload["user_ids"], message=payload["message"], url=payload.get("url", ""))
