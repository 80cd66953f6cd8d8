"""Helpers to lay down case histories with chosen times for the analytics tests.

The moves' own clocks say "now"; metric tests need histories at chosen times, so these write the
event rows directly (as a history imported from elsewhere would be) and set the case rows' state.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from gridgov.cases.models import Case, CaseEvent

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(text: str) -> dt.datetime:
    """'2026-03-02 09:00' in local (Shanghai) time."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=SHANGHAI)


def iso(text: str) -> str:
    return at(text).isoformat()


def clone_cases(template: Case, n: int) -> list[Case]:
    """n new case rows like `template` (fresh numbers), without events."""
    fields = {
        f.attname: getattr(template, f.attname)
        for f in Case._meta.concrete_fields
        if f.attname not in ("id", "number", "idempotency_key", "tracking_code")
    }
    rows = [Case(**fields, number=f"{template.number}-c{i}") for i in range(n)]
    return Case.objects.bulk_create(rows, batch_size=500)


def history(
    case: Case,
    moves: list[tuple[str, str, dict[str, Any]]],
    *,
    created: str | None = None,
    **state: Any,
) -> Case:
    """Replace `case`'s events by `moves` — (kind, local time, data) — and set its row's
    created_at (the first move's time by default) and the given fields (status, due, …)."""
    CaseEvent.objects.filter(case=case).delete()
    rows = CaseEvent.objects.bulk_create(
        [CaseEvent(case=case, kind=kind, data=data) for kind, _, data in moves]
    )
    for row, (_, when, _) in zip(rows, moves, strict=True):
        row.created_at = at(when)
    CaseEvent.objects.bulk_update(rows, ["created_at"])  # bulk_update skips auto_now_add
    Case.objects.filter(pk=case.pk).update(created_at=at(created or moves[0][1]), **state)
    case.refresh_from_db()
    return case


def bulk_histories(items: list[tuple[Case, list[tuple[str, str, dict[str, Any]]]]]) -> None:
    """Write the events of many cases at once (one update per distinct time)."""
    rows = [
        CaseEvent(case=case, kind=kind, data=data)
        for case, moves in items
        for kind, _, data in moves
    ]
    rows = CaseEvent.objects.bulk_create(rows, batch_size=1000)
    by_time: dict[str, list[int]] = {}
    times = [when for _, moves in items for _, when, _ in moves]
    for row, when in zip(rows, times, strict=True):
        by_time.setdefault(when, []).append(row.pk)
    for when, ids in by_time.items():
        for start in range(0, len(ids), 500):
            CaseEvent.objects.filter(pk__in=ids[start : start + 500]).update(created_at=at(when))
