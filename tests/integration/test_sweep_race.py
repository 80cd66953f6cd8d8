"""A periodic sweep racing a move never overwrites it (issue #9 item 4): two threads on
PostgreSQL, where a row lock can be held while another transaction reads the row."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from gridgov.cases import actions, sla
from gridgov.cases.choices import EventKind, SlaLevel, Status, Step
from gridgov.cases.models import Case
from tests.cases_helpers import drive, make_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_sweep_racing_a_claim_never_loses_the_claim(world, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs row locks: run with DATABASE_URL=postgres://…")
    case = drive(world, make_case(world), Status.DISPATCHED)
    past = timezone.now() - dt.timedelta(hours=1)
    Case.objects.filter(pk=case.pk).update(
        step_started_at=past - dt.timedelta(days=1), step_due_at=past
    )  # the claim step is overdue, and not yet flagged
    locked, go = threading.Event(), threading.Event()
    real_start_step = sla.start_step

    def start_step_then_wait(*args, **kwargs):
        real_start_step(*args, **kwargs)
        locked.set()  # the claim holds the row, its new clock set but not committed
        assert go.wait(20)

    monkeypatch.setattr(sla, "start_step", start_step_then_wait)
    errors: list[BaseException] = []

    def claim():
        try:
            actions.claim_case(Case.objects.get(pk=case.pk), acting_user=world.people.handler)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=claim)
    thread.start()
    try:
        assert locked.wait(20)
        swept = actions.sweep_time_limits()  # must neither block nor write the stale level
    finally:
        go.set()
        thread.join(30)
    assert not errors, errors
    assert swept == 0
    after = Case.objects.get(pk=case.pk)
    assert (after.status, after.step, after.sla_level) == (
        Status.IN_PROGRESS,
        Step.HANDLE,
        SlaLevel.OK,
    )
    assert after.step_due_at > timezone.now()
    assert not case.events.filter(kind=EventKind.SLA_CHANGED).exists()
    assert case.events.filter(kind=EventKind.CLAIMED).count() == 1
    assert actions.sweep_time_limits() == 0  # the claimed case's new clock is on time
