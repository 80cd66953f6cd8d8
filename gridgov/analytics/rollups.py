"""Keeping the rollups: one hook on CaseEvent creation, in the event's transaction, and a rebuild.

`on_case_event` runs for every CaseEvent saved (post_save, so inside the move's transaction: a
move that rolls back takes its rollup increments with it). It applies the event once: the case's
`CaseTally` holds the id of the last event applied (the watermark) and the replay state. Events
written with `bulk_create` (the time-limit sweep's warnings, `generate-load`) send no signal; none
of the sweep's kinds is counted, and `generate-load` rebuilds afterwards (ADR 0019).

`rebuild(since=None)` replays every case's events through the same `tally.step` and writes the
tables again (from `since` on, when given: rows before it are kept; a delta never lands on a day
after its event, so rows from `since` on depend only on events from `since` on).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any

from django.db import connection, transaction

from gridgov.analytics import tally
from gridgov.analytics.bulk import insert_rows
from gridgov.analytics.models import (
    COUNTERS,
    CaseRollup,
    CaseTally,
    CommunityHoursRollup,
    CommunityRollup,
    HandlingTimeRollup,
)

Key = tuple[dt.date, int, str, int, str, int]  # day, area, path, category, channel, department
INDEX = {name: i for i, name in enumerate(COUNTERS)}


def community_path(path: str) -> str:
    """The community's path in an area path (city/street/community/grid…): its first 3 codes."""
    return "".join(f"{code}/" for code in path.split("/")[:3] if code)


class Accumulator:
    """Deltas summed in memory, then written with multi-row upserts."""

    def __init__(self) -> None:
        self.counts: dict[Key, list[int]] = defaultdict(lambda: [0] * len(COUNTERS))
        self.hours: dict[tuple[Key, int], int] = defaultdict(int)
        self.community: dict[tuple[dt.date, str, int], list[int]] = defaultdict(
            lambda: [0] * len(COUNTERS)
        )
        self.community_hours: dict[tuple[dt.date, str, int], int] = defaultdict(int)

    def add(self, dims: tuple[int, str, int, str], deltas: Iterable[tally.Delta]) -> None:
        area, path, category, channel = dims
        community = community_path(path)
        for d in deltas:
            key: Key = (d.day, area, path, category, channel, d.department_id)
            if d.counter == "hours":
                self.hours[(key, d.hours)] += 1
                self.community_hours[(d.day, community, d.hours)] += 1
            else:
                self.counts[key][INDEX[d.counter]] += 1
                self.community[(d.day, community, category)][INDEX[d.counter]] += 1

    def __bool__(self) -> bool:
        return bool(self.counts or self.hours)

    def write(self, insert: bool = False) -> None:
        """Add the sums to the tables (upserts), or insert them as new rows (`insert`: the
        caller knows none of the keys has a row)."""
        counters = list(COUNTERS)
        upsert = _insert_only if insert else _upsert
        upsert(
            CaseRollup._meta.db_table,
            [*KEY_COLUMNS, *counters],
            CONFLICT,
            counters,
            [(*key, *values) for key, values in self.counts.items()],
        )
        upsert(
            HandlingTimeRollup._meta.db_table,
            [*KEY_COLUMNS, "hours", "count"],
            [*CONFLICT, "hours"],
            ["count"],
            [(*key, hours, n) for (key, hours), n in self.hours.items()],
        )
        upsert(
            CommunityRollup._meta.db_table,
            ["day", "area_path", "category_id", *counters],
            ["day", "area_path", "category_id"],
            counters,
            [(*key, *values) for key, values in self.community.items()],
        )
        upsert(
            CommunityHoursRollup._meta.db_table,
            ["day", "area_path", "hours", "count"],
            ["day", "area_path", "hours"],
            ["count"],
            [(*key, n) for key, n in self.community_hours.items()],
        )
        self.counts.clear()
        self.hours.clear()
        self.community.clear()
        self.community_hours.clear()


KEY_COLUMNS = ["day", "area_id", "area_path", "category_id", "channel", "department_id"]
CONFLICT = ["day", "area_id", "category_id", "channel", "department_id"]
ROWS_PER_STATEMENT = 400


def _insert_only(
    table: str, columns: list[str], conflict: list[str], added: list[str], rows: list[tuple]
) -> None:
    # In key order: the unique index (and the day-first ones) then grow at their right edge.
    rows.sort(key=itemgetter(*[columns.index(c) for c in conflict]))
    insert_rows(table, columns, rows)


def _upsert(
    table: str, columns: list[str], conflict: list[str], added: list[str], rows: list[tuple]
) -> None:
    """INSERT … VALUES (…), (…) ON CONFLICT DO UPDATE SET c = c + excluded.c, a few hundred rows
    per statement (PostgreSQL, and SQLite ≥ 3.24)."""
    if not rows:
        return
    q = connection.ops.quote_name
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    sets = ", ".join(f"{q(c)} = {q(table)}.{q(c)} + excluded.{q(c)}" for c in added)
    head = f"INSERT INTO {q(table)} ({', '.join(q(c) for c in columns)}) VALUES "  # noqa: S608
    tail = f" ON CONFLICT ({', '.join(q(c) for c in conflict)}) DO UPDATE SET {sets}"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            part = rows[start : start + ROWS_PER_STATEMENT]
            params = [value for row in part for value in row]
            # Only our own table and column names are formatted in; values are parameters.
            cursor.execute(head + ", ".join([one] * len(part)) + tail, params)


class DepartmentCodes:
    """Department code → organisation id, looked up once per code."""

    def __init__(self) -> None:
        self._ids: dict[str | None, int] = {None: 0, "": 0}

    def __call__(self, code: str | None) -> int:
        if code not in self._ids:
            from gridgov.accounts.models import Organisation

            pk = Organisation.objects.filter(code=code).values_list("pk", flat=True).first()
            self._ids[code] = pk or 0
        return self._ids[code]


def _dims(case: Any) -> tuple[int, str, int, str]:
    return (case.area_id, case.area_path, case.category_id or 0, case.channel)


def on_case_event(sender: Any, instance: Any, created: bool, raw: bool = False, **_: Any) -> None:
    if created and not raw:
        apply_event(instance)


def apply_event(event: Any) -> None:
    """Add one event to the rollups, once (a no-op for an event at or below the watermark)."""
    if event.kind not in tally.COUNTED:
        return
    case = event.case
    with transaction.atomic():
        row = CaseTally.objects.select_for_update().filter(case_id=case.pk).first()
        if row is None:
            row = CaseTally(case_id=case.pk, state=tally.new_state(case.created_at))
        elif event.pk <= row.last_event_id:
            return
        view = tally.EventView(event.pk, event.kind, event.created_at, event.data or {})
        deltas = tally.step(row.state, view, DepartmentCodes())
        acc = Accumulator()
        acc.add(_dims(case), deltas)
        acc.write()
        row.last_event_id = event.pk
        row.save()


ROLLUPS = (CaseRollup, HandlingTimeRollup, CommunityRollup, CommunityHoursRollup)

# -- rebuild ---------------------------------------------------------------------------------


def _histories(since: dt.date | None) -> Iterator[tuple[tuple[Any, ...], list[tally.EventView]]]:
    """Every case's counted events in id order, read in one pass: the cases ordered by id and
    their counted events ordered by (case, id), two queries read side by side (server-side
    cursors on PostgreSQL) and merged here. Yields the case's (id, created_at, area_id,
    area_path, category_id, channel) and its events; a case without counted events is skipped."""
    from gridgov.cases.models import Case, CaseEvent

    cases = Case.objects.all()
    events = CaseEvent.objects.filter(kind__in=tally.COUNTED)
    if since is not None:
        start = dt.datetime.combine(since, dt.time.min, tzinfo=_tz())
        touched = CaseEvent.objects.filter(created_at__gte=start).values("case_id")
        cases = cases.filter(id__in=touched)
        events = events.filter(case_id__in=touched)
    case_rows = (
        cases.order_by("id")
        .values_list("id", "created_at", "area_id", "area_path", "category_id", "channel")
        .iterator(chunk_size=20000)
    )
    event_rows = (
        events.order_by("case_id", "id")
        .values_list("case_id", "id", "kind", "created_at", "data")
        .iterator(chunk_size=20000)
    )
    case: tuple[Any, ...] | None = next(case_rows, None)
    batch: list[tally.EventView] = []
    for case_id, pk, kind, created_at, data in event_rows:
        while case is not None and case[0] < case_id:
            if batch:
                yield case, batch
                batch = []
            case = next(case_rows, None)
        if case is None or case[0] != case_id:
            continue  # cannot happen (foreign key), but never pair an event with another case
        batch.append(tally.EventView(pk, kind, created_at, data or {}))
    if case is not None and batch:
        yield case, batch


def rebuild(since: dt.date | None = None, chunk: int = 20000, progress: Any = None) -> int:
    """Rebuild the rollups (from `since` on) and the tallies; returns the cases replayed.

    One ordered pass over the counted events (`_histories`), every case replayed through
    `tally.step`; the deltas are summed in memory for the whole run (one entry per rollup row)
    and written at the end with plain bulk inserts (the rows they replace were deleted first,
    so no key is written twice); the tallies are written every `chunk` cases.
    """
    from gridgov.cases.models import CaseEvent

    departments = DepartmentCodes()
    tz = _tz()
    replayed = 0
    tally_table = CaseTally._meta.db_table
    with transaction.atomic():
        for model in ROLLUPS:
            stale = model._default_manager.all()
            (stale if since is None else stale.filter(day__gte=since)).delete()
        if since is None:
            CaseTally.objects.all().delete()
        else:
            start = dt.datetime.combine(since, dt.time.min, tzinfo=_tz())
            touched = CaseEvent.objects.filter(created_at__gte=start).values("case_id")
            CaseTally.objects.filter(case_id__in=touched).delete()
        acc = Accumulator()
        tallies: list[tuple[int, int, str]] = []
        for (case_id, created_at, area, path, category, channel), events in _histories(since):
            state = tally.new_state(created_at)
            deltas: list[tally.Delta] = []
            for event in events:
                deltas.extend(tally.step(state, event, departments, tz))
            if since is not None:
                deltas = [d for d in deltas if d.day >= since]
            acc.add((area, path, category or 0, channel), deltas)
            tallies.append((case_id, events[-1].id, json.dumps(state)))
            replayed += 1
            if len(tallies) >= chunk:
                insert_rows(tally_table, ["case_id", "last_event_id", "state"], tallies)
                tallies = []
                if progress is not None:
                    progress(replayed)
        insert_rows(tally_table, ["case_id", "last_event_id", "state"], tallies)
        acc.write(insert=True)
        if progress is not None:
            progress(replayed)
    return replayed


def _tz() -> dt.tzinfo:
    from django.utils import timezone

    return timezone.get_current_timezone()
