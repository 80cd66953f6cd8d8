"""Synthetic case load: realistic event histories, bulk-inserted fast (`gridgov generate-load`).

Histories follow the closed loop of domain.md §3: 30 % settled on the spot by the grid worker,
30 % handled in the community, 35 % escalated and dispatched to a department (one in ten returned
and re-dispatched), 5 % rejected or voided; one closed case in twelve reopened once; closures
rated (70 %: 非常满意 45 %, 满意 30 %, 基本满意 15 %, 不满意 7 %, 非常不满意 3 %), closed unrated
by the sweep (25 %) or by staff (5 %); results on time about 93 % of the time. Cases are spread
over `days` days before `now`; moves that would fall after `now` are not made, so recent cases
are still open. About 5.6 events per case.

Rows are written with explicit ids (COPY on PostgreSQL, bulk_create in batches elsewhere); the
caller rebuilds the rollups afterwards (the inserts send no signals).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Max

from gridgov.analytics.bulk import indexes_deferred
from gridgov.cases.choices import Channel, EventKind, Status

K = EventKind
CHANNELS = [
    (Channel.HOTLINE, 35),
    (Channel.RESIDENT_APP, 25),
    (Channel.GRID_WORKER, 20),
    (Channel.CITY_PLATFORM, 10),
    (Channel.TALK_POINT, 5),
    (Channel.PATROL, 5),
]
LEVELS = [(5, 45), (4, 30), (3, 15), (2, 7), (1, 3)]
STATUS_AFTER: dict[str, str] = {
    K.CREATED: Status.SUBMITTED,
    K.ACCEPTED: Status.ACCEPTED,
    K.HANDLED_LOCALLY: Status.IN_PROGRESS,
    K.ESCALATED: Status.ESCALATED,
    K.DISPATCHED: Status.DISPATCHED,
    K.RETURN_REQUESTED: Status.RETURN_REQUESTED,
    K.RETURN_REDISPATCHED: Status.DISPATCHED,
    K.CLAIMED: Status.IN_PROGRESS,
    K.RESOLVED: Status.RESOLVED,
    K.VERIFIED: Status.AWAITING_FEEDBACK,
    K.RATED: Status.CLOSED,
    K.CLOSED: Status.CLOSED,
    K.AUTO_CLOSED: Status.CLOSED,
    K.REOPENED: Status.IN_PROGRESS,
    K.REJECTED: Status.REJECTED,
    K.VOIDED: Status.VOIDED,
}


@dataclass
class Place:
    grid_id: int
    community_id: int
    path: str
    office_id: int


@dataclass
class Synth:
    """One generated case: its fields and its events (kind, time, data)."""

    created: dt.datetime
    channel: str
    category_id: int | None
    place: Place
    events: list[tuple[str, dt.datetime, dict[str, Any]]] = field(default_factory=list)
    fields: dict[str, Any] = field(default_factory=dict)


_CUMULATIVE: dict[tuple[Any, ...], tuple[list[Any], list[int]]] = {}


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    # The same draw as rng.choices(values, weights) (which sums the weights on every call).
    key = tuple(weighted)
    known = _CUMULATIVE.get(key)
    if known is None:
        total, cumulative = 0, []
        for _, w in weighted:
            total += w
            cumulative.append(total)
        known = _CUMULATIVE[key] = ([v for v, _ in weighted], cumulative)
    return rng.choices(known[0], cum_weights=known[1])[0]


def _hours(rng: random.Random, low: float, high: float) -> dt.timedelta:
    return dt.timedelta(hours=rng.uniform(low, high))


def synth_case(
    rng: random.Random,
    created: dt.datetime,
    place: Place,
    categories: list[int],
    departments: list[tuple[int, str]],
    now: dt.datetime,
) -> Synth:
    s = Synth(created, _pick(rng, CHANNELS), rng.choice(categories) if categories else None, place)
    f = s.fields
    t = created
    stopped = False

    def go(kind: str, after: dt.timedelta, data: dict[str, Any] | None = None) -> bool:
        nonlocal t, stopped
        if stopped or t + after > now:
            stopped = True
            return False
        t = t + after
        s.events.append((kind, t, data or {}))
        return True

    s.events.append((K.CREATED, t, {}))
    route = rng.random()
    if route < 0.05:
        kind = K.REJECTED if rng.random() < 0.6 else K.VOIDED
        if go(kind, _hours(rng, 0.2, 6)):
            f["closed_at"] = t
        return _finish(s)
    on_spot = route < 0.35
    street = route >= 0.65
    rounds = 2 if rng.random() < 1 / 12 else 1
    for i in range(rounds):
        if i == 0 and on_spot:
            due = None
        elif i == 0 and street:
            go(K.ACCEPTED, _hours(rng, 0.2, 4))
            go(K.ESCALATED, _hours(rng, 0.2, 8))
            dept_id, code = rng.choice(departments)
            go(K.DISPATCHED, _hours(rng, 0.5, 8), {"department": code})
            f["department_id"] = dept_id
            if rng.random() < 0.1:
                go(K.RETURN_REQUESTED, _hours(rng, 1, 20), {"basis": "三定方案"})
                dept_id, code = rng.choice(departments)
                go(K.RETURN_REDISPATCHED, _hours(rng, 1, 20), {"department": code})
                f["department_id"] = dept_id
            claim_due = t + dt.timedelta(hours=24)
            go(K.CLAIMED, _hours(rng, 0.5, 26), {"due": claim_due.isoformat()})
            due = t + dt.timedelta(days=rng.choice([3, 5, 7, 10]))
        elif i == 0:
            go(K.ACCEPTED, _hours(rng, 0.2, 4))
            go(K.HANDLED_LOCALLY, _hours(rng, 0.2, 4))
            due = t + dt.timedelta(days=rng.choice([3, 5, 7]))
        else:
            due = t + dt.timedelta(days=5)
        if due is not None and not stopped:
            f["handle_due_at"] = due
        allowed = (due - t) if due is not None else dt.timedelta(hours=4)
        share = rng.uniform(0.05, 0.95) if rng.random() < 0.93 else rng.uniform(1.02, 1.8)
        data: dict[str, Any] = {"due": due.isoformat() if due else None}
        if on_spot and i == 0:
            data["on_spot"] = True
        if go(K.RESOLVED, allowed * share, data):
            f["resolved_at"] = t
        if not (on_spot and i == 0):
            go(K.VERIFIED, _hours(rng, 1, 30))
        closing = rng.random()
        if closing < 0.7:
            level = _pick(rng, LEVELS)
            solved = rng.random() < (0.97 if level >= 3 else 0.4)
            proxy = rng.random() < 0.4
            payload = {"solved": solved, "satisfaction": level, "by_proxy": proxy}
            if go(K.RATED, _hours(rng, 2, 120), payload):
                f.update(solved=solved, satisfaction=level, rated_at=t, closed_at=t)
        elif closing < 0.95:
            if go(
                K.AUTO_CLOSED, dt.timedelta(days=7, hours=rng.uniform(0, 2)), {"evaluated": False}
            ):
                f["closed_at"] = t
        elif go(K.CLOSED, _hours(rng, 2, 72), {"evaluated": False}):
            f["closed_at"] = t
        if i < rounds - 1:
            if not go(K.REOPENED, _hours(rng, 1, 48)):
                break
            f.update(closed_at=None, solved=None, satisfaction=None, rated_at=None)
            f["rework_count"] = 1
    return _finish(s)


def _finish(s: Synth) -> Synth:
    s.fields["status"] = STATUS_AFTER[s.events[-1][0]]
    return s


def _places(area_code: str | None) -> list[Place]:
    from gridgov.accounts.choices import OrganisationKind
    from gridgov.accounts.models import Organisation
    from gridgov.geo.choices import AreaKind
    from gridgov.geo.models import Area

    grids = Area.objects.filter(kind=AreaKind.GRID)
    if area_code:
        root = Area.objects.get(code=area_code)
        grids = grids.filter(path__startswith=root.path)
    offices = dict(
        Organisation.objects.filter(kind=OrganisationKind.COMMUNITY_OFFICE).values_list(
            "area_id", "pk"
        )
    )
    fallback = Organisation.objects.order_by("pk").values_list("pk", flat=True).first()
    if fallback is None:
        raise ValueError("no organisation to own the cases")
    return [
        Place(g.pk, g.parent_id or g.pk, g.path, offices.get(g.parent_id, fallback))
        for g in grids.only("pk", "parent_id", "path")
    ]


def generate(
    n: int,
    *,
    area_code: str | None = None,
    seed: int = 1,
    days: int = 365,
    now: dt.datetime | None = None,
    batch: int = 20000,
    progress: Any = None,
) -> tuple[int, int]:
    """Insert `n` synthetic cases with their events; returns (cases, events) written."""
    from django.utils import timezone

    from gridgov.accounts.choices import DEPARTMENT_KINDS
    from gridgov.accounts.models import Organisation
    from gridgov.cases.models import Category

    rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
    now = now or timezone.now()
    places = _places(area_code)
    if not places:
        raise ValueError("no grids in that area")
    categories = list(
        Category.objects.filter(parent__isnull=False).values_list("pk", flat=True)
    ) or list(Category.objects.values_list("pk", flat=True))
    departments = list(
        Organisation.objects.filter(kind__in=DEPARTMENT_KINDS).values_list("pk", "code")
    ) or [(places[0].office_id, "")]
    start = now - dt.timedelta(days=days)
    span = days * 86400
    written_cases = written_events = 0
    with transaction.atomic(), _deferred(n >= DEFER_INDEXES_FROM):
        for offset in range(0, n, batch):
            synths = [
                synth_case(
                    rng,
                    start + dt.timedelta(seconds=rng.uniform(0, span)),
                    rng.choice(places),
                    categories,
                    departments,
                    now,
                )
                for _ in range(offset, min(n, offset + batch))
            ]
            cases, events = write_synths(synths, number_prefix=f"L{seed}-", reset_sequences=False)
            written_cases += cases
            written_events += events
            if progress is not None:
                progress(written_cases, written_events)
        reset_case_sequences()
    return written_cases, written_events


# A load of this many cases or more runs in one transaction that drops the tables' non-unique
# indexes and foreign keys first and creates them again at the end (PostgreSQL): building an
# index once is much cheaper than inserting a million rows into twenty of them, and checking a
# foreign key once (a join) than once per row. The transaction makes it safe: an
# interrupted load leaves the indexes as they were (and no rows). The tables are locked meanwhile.
DEFER_INDEXES_FROM = 100_000


def _deferred(wanted: bool) -> contextlib.AbstractContextManager[None]:
    from gridgov.cases.models import Case, CaseEvent

    if not wanted:
        return contextlib.nullcontext()
    return indexes_deferred([Case._meta.db_table, CaseEvent._meta.db_table])


def write_synths(
    synths: list[Synth], *, number_prefix: str = "L1-", reset_sequences: bool = True
) -> tuple[int, int]:
    """Write the generated histories as Case and CaseEvent rows in one transaction, with explicit
    ids after the largest ones in use; returns (cases, events) written.

    A case's number is `number_prefix` + its id unless `Synth.fields` gives one; `Synth.fields`
    may set any other Case column too (by attribute name: `title`, `status`, `closed_at`, …).
    Rows go in as plain tuples (COPY text on PostgreSQL, executemany elsewhere): no model
    instances, no signals; the caller rebuilds the rollups afterwards.
    """
    from gridgov.cases.models import Case, CaseEvent

    if not synths:
        return 0, 0
    with transaction.atomic():
        next_case = (Case.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        next_event = (CaseEvent.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
        case_table, event_table = _Table(Case), _Table(CaseEvent)
        case_rows: list[list[Any]] = []
        event_rows: list[list[Any]] = []
        for s in synths:
            pk = next_case
            next_case += 1
            place = s.place
            values = {
                "id": pk,
                "number": f"{number_prefix}{pk}",
                "channel": s.channel,
                "category_id": s.category_id,
                "title": "生成的诉求",
                "description": "合成负载",
                "community_id": place.community_id,
                "grid_id": place.grid_id,
                "area_id": place.grid_id,
                "area_path": place.path,
                "owner_id": place.office_id,
                "created_at": s.created,
                "updated_at": s.events[-1][1],
            }
            values.update(s.fields)
            case_rows.append(case_table.row(values))
            for kind, at, data in s.events:
                event_rows.append(
                    event_table.row(
                        {
                            "id": next_event,
                            "case_id": pk,
                            "kind": kind,
                            "to_status": STATUS_AFTER.get(kind, ""),
                            "data": data,
                            "created_at": at,
                        }
                    )
                )
                next_event += 1
        case_table.insert(case_rows)
        event_table.insert(event_rows)
        if reset_sequences:
            reset_case_sequences()
    return len(case_rows), len(event_rows)


def write_instances(model: type[models.Model], objects: list[Any]) -> int:
    """Bulk-insert unsaved `model` instances as they are, explicit ids included (COPY on
    PostgreSQL, executemany elsewhere): no signals, no auto_now; for callers that build whole
    rows themselves (the demo year). The caller resets the sequences and rebuilds the rollups."""
    table = _Table(model)
    table.insert([table.row({name: getattr(o, name) for name in table.names}) for o in objects])
    return len(objects)


def _pg_text(value: str) -> str:
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


class _Table:
    """One model's concrete columns, their defaults and a per-column conversion to what the
    database takes (COPY text on PostgreSQL, DB-API parameters elsewhere); the defaults are
    converted once."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.names = [f.attname for f in self.fields]
        self.postgres = connection.vendor == "postgresql"
        self.convert = {f.attname: self._converter(f) for f in self.fields}
        self.defaults: dict[str, Any] = {}
        for f in self.fields:
            if f.has_default() or f.null:
                self.defaults[f.attname] = self._value(f.attname, f.get_default())
            elif isinstance(f, (models.CharField, models.TextField)):
                self.defaults[f.attname] = self._value(f.attname, "")

    def _converter(self, f: models.Field) -> Callable[[Any], Any]:
        pg = self.postgres
        if isinstance(f, models.JSONField):
            if pg:
                return lambda v: _pg_text(json.dumps(v, ensure_ascii=False))
            return lambda v: json.dumps(v, ensure_ascii=False)
        if isinstance(f, models.DateTimeField):
            if pg:
                return lambda v: v.isoformat()
            return connection.ops.adapt_datetimefield_value
        if isinstance(f, models.BooleanField):
            if pg:
                return lambda v: "t" if v else "f"
            return lambda v: 1 if v else 0
        if isinstance(f, (models.CharField, models.TextField)):
            if pg:
                return lambda v: _pg_text(str(v))
            return str
        if pg:
            return str
        return lambda v: v

    def _value(self, name: str, value: Any) -> Any:
        if value is None:
            return "\\N" if self.postgres else None
        return self.convert[name](value)

    def row(self, values: dict[str, Any]) -> list[Any]:
        """The row for `values` (by attribute name; the rest take their defaults), converted."""
        value = self._value
        merged = {**self.defaults, **{k: value(k, v) for k, v in values.items()}}
        return [merged[name] for name in self.names]

    def insert(self, rows: list[list[Any]]) -> None:
        if not rows:
            return
        q = connection.ops.quote_name
        table = q(self.model._meta.db_table)
        columns = ", ".join(q(f.column) for f in self.fields)
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for start in range(0, len(rows), 5000):
                        part = rows[start : start + 5000]
                        copy.write("".join("\t".join(row) + "\n" for row in part))
                return
            marks = ", ".join(["%s"] * len(self.fields))
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
            for start in range(0, len(rows), 5000):
                cursor.executemany(sql, rows[start : start + 5000])


def reset_case_sequences() -> None:
    from django.core.management.color import no_style

    from gridgov.cases.models import Case, CaseEvent

    sql = connection.ops.sequence_reset_sql(no_style(), [Case, CaseEvent])
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)
