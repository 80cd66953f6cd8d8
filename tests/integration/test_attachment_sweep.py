"""Attachments whose processing never finished (a worker killed mid-way) are found by the sweep,
queued again a few times, then marked failed so staff can retry (issue #8, item 14)."""

import datetime as dt

import pytest
from django.core.management import call_command

from gridgov.cases import actions
from gridgov.cases.media import check_photo
from gridgov.cases.models import CaseAttachment, MediaState
from gridgov.cases.processing import sweep_stuck_attachments
from tests.media_helpers import jpeg_with_gps

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.ATTACHMENT_STUCK_MINUTES = 15
    settings.ATTACHMENT_MAX_TRIES = 2


@pytest.fixture
def pending(world):
    """A case whose photo was stored but whose processing task never ran (the worker died)."""
    case = actions.create_case(
        acting_user=world.people.staff,
        channel="hotline",
        title="路灯不亮",
        description="路灯不亮",
        building=world.building_a,
        photos=[check_photo(jpeg_with_gps(42.765, 129.405))],
    )  # no on_commit callbacks run: the task was never sent
    attachment = case.attachments.get()
    assert attachment.state == MediaState.PENDING
    return attachment


def queued_minutes_ago(attachment, minutes):
    when = attachment.queued_at - dt.timedelta(minutes=minutes)
    CaseAttachment.objects.filter(pk=attachment.pk).update(queued_at=when)


def test_a_recent_pending_attachment_is_left_alone(pending, django_capture_on_commit_callbacks):
    queued_minutes_ago(pending, 14)
    with django_capture_on_commit_callbacks(execute=True) as sent:
        assert sweep_stuck_attachments() == {"requeued": 0, "failed": 0}
    assert sent == []
    assert CaseAttachment.objects.get(pk=pending.pk).state == MediaState.PENDING


def test_a_stuck_attachment_is_queued_again_and_processed(
    pending, django_capture_on_commit_callbacks
):
    queued_minutes_ago(pending, 16)
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_stuck_attachments() == {"requeued": 1, "failed": 0}
    item = CaseAttachment.objects.get(pk=pending.pk)
    assert (item.state, item.tries) == (MediaState.READY, 1)


def test_after_the_last_try_it_is_marked_failed_and_staff_retry_it(
    world, pending, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    from gridgov.cases import tasks

    monkeypatch.setattr(tasks.process_attachment, "delay", lambda pk: None)  # workers keep dying
    for expected in ({"requeued": 1, "failed": 0}, {"requeued": 1, "failed": 0}):
        queued_minutes_ago(CaseAttachment.objects.get(pk=pending.pk), 16)
        with django_capture_on_commit_callbacks(execute=True):
            assert sweep_stuck_attachments() == expected
    queued_minutes_ago(CaseAttachment.objects.get(pk=pending.pk), 16)
    assert sweep_stuck_attachments() == {"requeued": 0, "failed": 1}
    item = CaseAttachment.objects.get(pk=pending.pk)
    assert (item.state, item.tries) == (MediaState.FAILED, 2)
    assert item.error == "processing did not finish after 3 tries"
    assert sweep_stuck_attachments() == {"requeued": 0, "failed": 0}  # nothing more to do
    page = client_for("staff").get(f"/cases/{item.case.number}/").content.decode()
    assert f"/cases/attachments/{item.pk}/retry/" in page
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client_for("staff").post(f"/cases/attachments/{item.pk}/retry/")
    item = CaseAttachment.objects.get(pk=pending.pk)
    assert (item.state, item.tries) == (MediaState.READY, 0)


def test_staff_can_retry_a_stuck_pending_attachment_but_not_a_fresh_one(
    world, pending, client_for, django_capture_on_commit_callbacks
):
    staff = client_for("staff")
    retry = f"/cases/attachments/{pending.pk}/retry/"
    page = staff.get(f"/cases/{pending.case.number}/").content.decode()
    assert retry not in page
    with django_capture_on_commit_callbacks(execute=True) as sent:
        staff.post(retry)
    assert sent == [] and CaseAttachment.objects.get(pk=pending.pk).state == MediaState.PENDING
    queued_minutes_ago(pending, 20)
    page = staff.get(f"/cases/{pending.case.number}/").content.decode()
    assert retry in page and "处理超时" in page
    with django_capture_on_commit_callbacks(execute=True):
        client_for("resident").post(retry)  # not staff: no retry
    assert CaseAttachment.objects.get(pk=pending.pk).state == MediaState.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(retry)
    assert CaseAttachment.objects.get(pk=pending.pk).state == MediaState.READY


def test_the_sweep_command_reports_stuck_attachments(pending, capsys):
    queued_minutes_ago(pending, 16)
    call_command("sweep_cases")
    assert "1 stuck attachments queued again, 0 marked failed." in capsys.readouterr().out
