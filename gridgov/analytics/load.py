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
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Max

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


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


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


@contextlib.contextmanager
def _keep_times(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let bulk inserts keep the given created_at/updated_at (auto_now* off meanwhile)."""
    saved = []
    for model in model_classes:
        for f in model._meta.concrete_fields:
            if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add):
                saved.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now_, add in saved:
            f.auto_now, f.auto_now_add = now_, add


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
    from gridgov.cases.models import Case, CaseEvent, Category

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
    next_case = (Case.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    next_event = (CaseEvent.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    start = now - dt.timedelta(days=days)
    written_cases = written_events = 0
    for offset in range(0, n, batch):
        cases, events = [], []
        for _ in range(offset, min(n, offset + batch)):
            created = start + dt.timedelta(seconds=rng.uniform(0, days * 86400))
            s = synth_case(rng, created, rng.choice(places), categories, departments, now)
            pk = next_case
            next_case += 1
            last = s.events[-1][1]
            cases.append(
                Case(
                    pk=pk,
                    number=f"L{seed}-{pk}",
                    channel=s.channel,
                    category_id=s.category_id,
                    title="生成的诉求",
                    description="合成负载",
                    community_id=s.place.community_id,
                    grid_id=s.place.grid_id,
                    area_id=s.place.grid_id,
                    area_path=s.place.path,
                    owner_id=s.place.office_id,
                    created_at=s.created,
                    updated_at=last,
                    **s.fields,
                )
            )
            for kind, at, data in s.events:
                events.append(
                    CaseEvent(
                        pk=next_event,
                        case_id=pk,
                        kind=kind,
                        from_status="",
                        to_status=STATUS_AFTER.get(kind, ""),
                        data=data,
                        created_at=at,
                    )
                )
                next_event += 1
        with transaction.atomic(), _keep_times(Case, CaseEvent):
            _insert(Case, cases)
            _insert(CaseEvent, events)
        written_cases += len(cases)
        written_events += len(events)
        if progress is not None:
            progress(written_cases, written_events)
    _reset_sequences()
    return written_cases, written_events


def _insert(model: type[models.Model], rows: list[Any]) -> None:
    if connection.vendor != "postgresql":
        model._default_manager.bulk_create(rows, batch_size=2000)
        return
    fields = model._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    statement = f"COPY {table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row([_copy_value(f, getattr(row, f.attname)) for f in fields])


def _copy_value(f: models.Field, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(f, models.JSONField):
        return json.dumps(value)
    return value


def _reset_sequences() -> None:
    from django.core.management.color import no_style

    from gridgov.cases.models import Case, CaseEvent

    sql = connection.ops.sequence_reset_sql(no_style(), [Case, CaseEvent])
    with connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)
