"""Send notifications. Call from `transaction.on_commit` so nothing is sent for a rollback."""

from __future__ import annotations

from collections.abc import Iterable

from gridgov.inbox.models import Notification


def notify(user_ids: Iterable[int], *, message: str, url: str = "") -> int:
    rows = [Notification(user_id=pk, message=message[:300], url=url) for pk in set(user_ids)]
    Notification.objects.bulk_create(rows)
    return len(rows)
