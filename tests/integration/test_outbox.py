"""Notifications are outbox rows written in the move's transaction and delivered by id after
commit (issue #9 item 3): broker down → rows wait, nothing lost; broker back → delivered once;
a failing channel is retried with a growing delay, then a visible dead letter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from gridgov.accounts import sms
from gridgov.cases import actions
from gridgov.cases.choices import Status
from gridgov.inbox.models import Notification
from gridgov.outbox import relay
from gridgov.outbox.models import OutboxMessage, OutboxState
from gridgov.outbox.tasks import deliver
from tests.cases_helpers import drive, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("[Errno 111] Connection refused")

    monkeypatch.setattr(deliver, "delay", refuse)
    return monkeypatch


def test_broker_down_rows_wait_broker_back_delivered_once(
    world, broker_down, django_capture_on_commit_callbacks
):
    case = drive(world, make_case(world), Status.RESOLVED)
    with django_capture_on_commit_callbacks(execute=True):
        actions.verify_case(case, acting_user=world.people.worker_a, passed=True)
    rows = OutboxMessage.objects.filter(event_id=case.events.latest("id").pk)
    # In the app for the resident, by email (resident has an account), by SMS (a phone).
    assert sorted(rows.values_list("topic", flat=True)) == [
        "cases.rating_email",
        "cases.rating_sms",
        "inbox.notify",
    ]
    assert set(rows.values_list("state", flat=True)) == {OutboxState.PENDING}
    assert not Notification.objects.filter(user=world.people.resident, message__contains="rate")
    assert sms.outbox == []  # nothing went out inside the request
    assert all("139" not in str(row.payload) for row in rows)  # no phone copied into a row

    broker_down.undo()  # the broker is back (eager: the relay runs in this process)
    assert relay.relay_due(timezone.now() + dt.timedelta(seconds=1)) >= 3
    assert relay.relay_due(timezone.now() + dt.timedelta(seconds=1)) == 0  # nothing left
    for row in rows:
        assert relay.deliver(row.pk) == "skipped"  # a second hand-over delivers nothing
    assert set(rows.values_list("state", flat=True)) == {OutboxState.DELIVERED}
    resident_notes = Notification.objects.filter(
        user=world.people.resident, message__contains=case.number
    ).filter(message__contains="评价")
    assert resident_notes.count() == 1
    assert [m.phone for m in sms.outbox] == ["13912345678"]


def fails(payload):
    raise RuntimeError("gateway said no")


def test_a_failing_channel_is_retried_with_backoff_then_a_dead_letter(world, settings, client_for):
    settings.OUTBOX_HANDLERS = {**settings.OUTBOX_HANDLERS, "test.fails": f"{__name__}.fails"}
    settings.OUTBOX_MAX_ATTEMPTS = 3
    (pk,) = relay.write(None, [("test.fails", {"n": 1})])
    before = timezone.now()
    assert relay.deliver(pk) == "retry"
    row = OutboxMessage.objects.get(pk=pk)
    assert row.attempts == 1 and "gateway said no" in row.last_error
    first_wait = row.next_attempt_at - before
    assert dt.timedelta(seconds=50) < first_wait <= dt.timedelta(seconds=61)  # 1 minute
    assert relay.relay_due(timezone.now()) == 0  # not due yet
    assert relay.deliver(pk) == "retry"
    row.refresh_from_db()
    assert (
        dt.timedelta(seconds=110)
        < row.next_attempt_at - timezone.now()
        <= dt.timedelta(seconds=121)
    )  # 2 minutes
    assert relay.deliver(pk) == "dead"
    row.refresh_from_db()
    assert (row.state, row.attempts) == (OutboxState.DEAD, 3)

    page = client_for("sysadmin").get("/admin/outbox/outboxmessage/", {"state": "dead"})
    assert page.status_code == 200 and "test.fails" in page.content.decode()
    assert client_for("staff").get("/admin/outbox/outboxmessage/").status_code in (302, 403)
    assert relay.retry_dead([pk]) == 1
    assert OutboxMessage.objects.get(pk=pk).state == OutboxState.PENDING


def test_a_rolled_back_move_leaves_no_row(world):
    case = make_case(world)
    count = OutboxMessage.objects.count()
    with pytest.raises(actions.IllegalMove):
        actions.reject_case(case, acting_user=world.people.staff, reason="  ")
    assert OutboxMessage.objects.count() == count
