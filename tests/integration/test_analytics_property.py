"""Property: on random case histories whose moves cross day, week and month boundaries, the
rollups kept event by event (in any interleaving of the cases, with events applied twice) equal
a direct recomputation from the events, exactly, for every period and cut; and a rebuild (all, or
from a day on) writes exactly the same rows."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridgov.analytics import rollups
from gridgov.analytics.metrics import counts
from gridgov.analytics.models import (
    CaseRollup,
    CaseTally,
    CommunityHoursRollup,
    CommunityRollup,
    HandlingTimeRollup,
)
from gridgov.analytics.periods import Period
from gridgov.cases.choices import Channel
from gridgov.cases.choices import EventKind as K
from gridgov.cases.models import Case, CaseEvent
from tests.analytics_helpers import SHANGHAI, clone_cases
from tests.cases_helpers import make_case

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 2, 24, 8, 0, tzinfo=SHANGHAI)
DEPTS = ("LJ-SW", "LJ-CG")
# Gaps between moves: minutes to several days, so that rounds straddle midnight, Sundays and
# month ends.
gaps = st.integers(min_value=5, max_value=60 * 24 * 6).map(lambda m: dt.timedelta(minutes=m))


@st.composite
def a_history(draw: st.DrawFn) -> dict:
    t = START + draw(st.integers(0, 60 * 24 * 14).map(lambda m: dt.timedelta(minutes=m)))
    created = t
    moves: list[tuple[str, dt.datetime, dict]] = [(K.CREATED, t, {})]

    def go(kind: str, data: dict | None = None) -> None:
        nonlocal t
        t = t + draw(gaps)
        moves.append((kind, t, data or {}))

    if draw(st.integers(0, 9)) == 0:
        go(draw(st.sampled_from([K.REJECTED, K.MERGED, K.VOIDED])))
        return {"created": created, "moves": moves}
    street = draw(st.booleans())
    if street:
        go(K.ESCALATED)
        dept = draw(st.sampled_from(DEPTS))
        go(K.DISPATCHED, {"department": dept})
        if draw(st.booleans()):
            go(K.RETURN_REQUESTED, {"basis": "x"})
            if draw(st.booleans()):
                dept = next(d for d in DEPTS if d != dept)
                go(K.RETURN_REDISPATCHED, {"department": dept})
            else:
                go(K.RETURN_FORCED)
        claim_due = t + draw(gaps) - dt.timedelta(days=1)
        go(K.CLAIMED, {"due": claim_due.isoformat()})
    else:
        go(K.HANDLED_LOCALLY)
    rounds = draw(st.integers(1, 3))
    for i in range(rounds):
        if draw(st.booleans()):
            go(K.SLA_CHANGED, {"from": "ok", "to": "yellow"})
        if draw(st.integers(0, 3)) == 0:
            go(K.EXTENSION_GRANTED, {"until": (t + dt.timedelta(days=3)).isoformat()})
        due = None if draw(st.integers(0, 5)) == 0 else t + draw(gaps) - dt.timedelta(days=2)
        go(K.RESOLVED, {"due": due.isoformat() if due else None})
        if draw(st.integers(0, 4)) == 0:
            go(K.VERIFY_FAILED)
            go(K.RESOLVED, {"due": due.isoformat() if due else None})
        go(K.VERIFIED)
        if draw(st.integers(0, 5)) == 0:
            break  # left open, awaiting feedback
        closing = draw(st.sampled_from([K.RATED, K.RATED, K.CLOSED, K.AUTO_CLOSED]))
        if closing == K.RATED:
            level = draw(st.integers(1, 5))
            go(
                K.RATED,
                {
                    "solved": draw(st.booleans()),
                    "satisfaction": level,
                    "by_proxy": draw(st.booleans()),
                },
            )
        else:
            go(closing, {"evaluated": False})
        if i < rounds - 1:
            go(K.REOPENED)
    return {"created": created, "moves": moves}


cases_strategy = st.lists(
    st.tuples(
        a_history(),
        st.sampled_from(["grid_a", "grid_b", "grid_c"]),
        st.sampled_from([Channel.HOTLINE, Channel.RESIDENT_APP, Channel.GRID_WORKER]),
        st.booleans(),  # with the category, or none
    ),
    min_size=1,
    max_size=6,
)


TABLES = (CaseRollup, HandlingTimeRollup, CommunityRollup, CommunityHoursRollup, CaseTally)


def rows(model) -> list[tuple]:
    fields = [f.attname for f in model._meta.concrete_fields if f.attname != "id"]
    return sorted(model.objects.values_list(*fields))


@pytest.fixture
def template(world):
    return make_case(world)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(histories=cases_strategy, seed=st.integers(0, 2**16), since_day=st.integers(0, 40))
def test_rollups_equal_direct_recomputation(world, template, histories, seed, since_day):
    with transaction.atomic():
        point = transaction.savepoint()
        CaseEvent.objects.all().delete()
        for model in TABLES:
            model.objects.all().delete()
        made = clone_cases(template, len(histories))
        for case, (history, grid, channel, with_category) in zip(made, histories, strict=True):
            area = getattr(world, grid)
            Case.objects.filter(pk=case.pk).update(
                created_at=history["created"],
                grid=area,
                area=area,
                area_path=area.path,
                community=area.parent,
                channel=channel,
                category=world.category if with_category else None,
            )
        events = CaseEvent.objects.bulk_create(
            [
                CaseEvent(case=case, kind=kind, data=data)
                for case, (history, *_) in zip(made, histories, strict=True)
                for kind, _, data in history["moves"]
            ]
        )
        when = [at for history, *_ in histories for _, at, _ in history["moves"]]
        for event, moment in zip(events, when, strict=True):
            CaseEvent.objects.filter(pk=event.pk).update(created_at=moment)

        # Apply event by event: cases interleaved at random, each case's events in order, some
        # applied a second time.
        queues = {
            case.pk: list(CaseEvent.objects.filter(case=case).select_related("case").order_by("id"))
            for case in made
        }
        rng = random.Random(seed)
        applied = []
        while any(queues.values()):
            pk = rng.choice([k for k, q in queues.items() if q])
            event = queues[pk].pop(0)
            rollups.apply_event(event)
            applied.append(event)
            if rng.random() < 0.2:
                rollups.apply_event(rng.choice(applied))

        now = dt.datetime(2026, 12, 1, tzinfo=SHANGHAI)
        periods = [
            Period.month(2026, 2),
            Period.month(2026, 3),
            Period.month(2026, 4),
            Period.week(dt.date(2026, 3, 1)),
            Period.week(dt.date(2026, 3, 2)),
            Period.day(dt.date(2026, 3, 1)),
            Period.range(dt.date(2026, 2, 27), dt.date(2026, 3, 9)),
            Period.year(2026),
        ]
        cuts = [
            {"area": world.city},
            {"area": world.community_a},
            {"area": world.grid_b},
            {"area": world.community_b, "category": world.category},
            {"area": world.city, "department": world.water},
            {"area": world.city, "department": 0},
            {"area": world.city, "channel": Channel.RESIDENT_APP},
            {"area": world.street, "category": world.category.parent},
        ]
        for period in periods:
            for cut in cuts:
                args = {k: v for k, v in cut.items() if k != "area"}
                by_rollup = counts(cut["area"], period, now=now, **args)
                direct = counts(cut["area"], period, now=now, source="direct", **args)
                assert by_rollup == direct, (str(period), cut)

        # A full rebuild, and a rebuild from a day on, write the same rows.
        kept = [rows(model) for model in TABLES]
        rollups.rebuild()
        assert [rows(model) for model in TABLES] == kept
        rollups.rebuild(since=dt.date(2026, 2, 24) + dt.timedelta(days=since_day))
        assert [rows(model) for model in TABLES] == kept
        transaction.savepoint_rollback(point)
