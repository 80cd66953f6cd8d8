"""The notice lifecycle: schedule, the periodic publish, withdraw, and what a notice may hold."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gridgov.audit.models import AuditEntry
from gridgov.inbox.models import Notification
from gridgov.lifecycle import IllegalMove
from gridgov.notices.choices import NoticeStatus
from gridgov.notices.lifecycle import publish_due, publish_notice, schedule_notice
from gridgov.notices.models import Notice, NoticeAttachment
from tests.notices_helpers import notice

pytestmark = pytest.mark.django_db


def test_schedule_then_periodic_publish_as_the_system(world):
    staff = world.people.staff
    draft = notice(staff, world.community_a, areas=[world.grid_a], publish=False)
    when = timezone.now() + dt.timedelta(hours=2)
    schedule_notice(draft, acting_user=staff, publish_at=when)
    assert publish_due(now=when - dt.timedelta(minutes=1)) == 0
    assert Notice.objects.get(pk=draft.pk).status == NoticeStatus.SCHEDULED
    assert publish_due(now=when) == 1
    published = Notice.objects.get(pk=draft.pk)
    assert published.status == NoticeStatus.PUBLISHED
    last = published.events.last()
    assert (last.kind, last.actor, last.from_status) == ("published", None, "scheduled")
    entry = AuditEntry.objects.filter(action="notice.published").get()
    assert entry.actor_name == "system"
    assert publish_due(now=when) == 0  # safe to run twice


def test_schedule_in_the_past_is_refused_on_the_page(world, client_for):
    draft = notice(world.people.staff, world.community_a, areas=[world.grid_a], publish=False)
    response = client_for("staff").post(
        f"/notices/{draft.pk}/schedule/", {"publish_at": "2020-01-01T08:00"}, follow=True
    )
    assert "Choose a time in the future." in response.content.decode() or "请选择" in (
        response.content.decode()
    )
    assert Notice.objects.get(pk=draft.pk).status == NoticeStatus.DRAFT


def test_withdraw_needs_a_reason(world, client_for):
    published = notice(world.people.staff, world.community_a, areas=[world.grid_a])
    client_for("staff").post(f"/notices/{published.pk}/withdraw/", {"reason": ""})
    assert Notice.objects.get(pk=published.pk).status == NoticeStatus.PUBLISHED


def test_a_notice_without_target_cannot_be_published(world):
    draft = notice(world.people.staff, world.community_a, publish=False)
    with pytest.raises(IllegalMove):
        publish_notice(draft, acting_user=world.people.staff)
    assert Notice.objects.get(pk=draft.pk).status == NoticeStatus.DRAFT


def test_targets_outside_the_authors_area_are_refused(world):
    with pytest.raises(IllegalMove):
        notice(world.people.staff, world.community_a, areas=[world.grid_c])
    assert not Notice.objects.exists()


def test_important_notice_notifies_its_staff_audience(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notice(
            world.people.leader,
            world.street,
            areas=[world.community_a],
            for_residents=False,
            for_staff=True,
            important=True,
        )
    notified = set(Notification.objects.values_list("user__username", flat=True))
    assert notified == {"worker_a", "worker_b", "staff", "mediator"}


def test_rich_text_is_sanitised(world):
    made = notice(
        world.people.staff,
        world.community_a,
        areas=[world.grid_a],
        body='<p onclick="x()">供暖<script>alert(1)</script><img src=x onerror=alert(1)>'
        '<a href="javascript:alert(1)">链接</a><strong>重要</strong></p>',
    )
    assert (
        made.body
        == '<p>供暖<a rel="noopener noreferrer nofollow">链接</a><strong>重要</strong></p>'
    )


def test_plain_text_becomes_paragraphs(world):
    made = notice(
        world.people.staff, world.community_a, areas=[world.grid_a], body="第一段\n\n第二段"
    )
    assert made.body == "<p>第一段</p>\n\n<p>第二段</p>"


def test_attachments_are_checked_by_content(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("政策.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    with pytest.raises(IllegalMove, match=r"政策\.pdf"):
        notice(world.people.staff, world.community_a, areas=[world.grid_a], files=[fake])
    assert not Notice.objects.exists()
    real = SimpleUploadedFile("通知.bin", b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n", content_type="x/y")
    made = notice(world.people.staff, world.community_a, areas=[world.grid_a], files=[real])
    attachment = NoticeAttachment.objects.get(notice=made)
    assert (attachment.name, attachment.content_type) == ("通知.bin", "application/pdf")


def test_schedule_on_the_page_reads_local_time(world, client_for):
    draft = notice(world.people.staff, world.community_a, areas=[world.grid_a], publish=False)
    client_for("staff").post(f"/notices/{draft.pk}/schedule/", {"publish_at": "2030-01-02T08:00"})
    scheduled = Notice.objects.get(pk=draft.pk)
    assert scheduled.status == NoticeStatus.SCHEDULED
    # 08:00 in Beijing is 00:00 UTC.
    assert scheduled.publish_at == dt.datetime(2030, 1, 2, 0, 0, tzinfo=dt.UTC)


def test_unknown_action_is_not_found(world, client_for):
    draft = notice(world.people.staff, world.community_a, areas=[world.grid_a], publish=False)
    assert client_for("staff").post(f"/notices/{draft.pk}/explode/").status_code == 404
    assert client_for("staff").get(f"/notices/{draft.pk}/publish/").status_code == 405


def test_write_page_saves_a_draft_and_refuses_bad_input(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for("staff")
    data = {
        "title": "燃气安全检查通知",
        "body": "请在家等候。",
        "for_residents": "on",
        "areas": [str(world.grid_a.pk)],
    }
    fake = SimpleUploadedFile("检查.pdf", b"<html>not a pdf</html>")
    refused = client.post("/notices/new/", {**data, "files": [fake]})
    assert refused.status_code == 400 and "检查.pdf" in refused.content.decode()
    outside = client.post("/notices/new/", {**data, "areas": [str(world.grid_c.pk)]})
    assert outside.status_code == 400
    nobody = client.post("/notices/new/", {**data, "for_residents": ""})
    assert nobody.status_code == 400
    assert not Notice.objects.exists()
    saved = client.post("/notices/new/", data)
    made = Notice.objects.get()
    assert saved.status_code == 302 and saved["Location"] == f"/notices/{made.pk}/"
    assert (made.status, made.body, list(made.areas.all())) == (
        NoticeStatus.DRAFT,
        "<p>请在家等候。</p>",
        [world.grid_a],
    )
    assert made.owner_area == world.community_a


def test_attachments_are_served_only_with_the_notice(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("供暖.pdf", b"%PDF-1.4\n%\xe2\xe3\n")
    made = notice(world.people.staff, world.community_a, areas=[world.grid_a], files=[pdf])
    attachment = made.attachments.get()
    assert "供暖" not in attachment.file.name  # a random stored name
    response = client_for("worker_a").get(f"/notices/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
    outsider = client_for("other_staff").get(f"/notices/attachments/{attachment.pk}/")
    assert outsider.status_code == 404
