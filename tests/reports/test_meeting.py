"""The monthly analysis as a meeting agenda: conclusions, action items as tracked tasks (one
action function each, events and audit), carried over into next month's analysis."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gridgov.audit.models import AuditEntry
from gridgov.lifecycle import IllegalMove
from gridgov.reports.actions import (
    add_action_item,
    complete_item,
    generate_report,
    record_conclusion,
)
from gridgov.reports.choices import ReportKind
from gridgov.reports.models import ActionItem, ActionItemEvent, MeetingNote
from gridgov.reports.periods import parse

pytestmark = pytest.mark.django_db

OCT = parse(ReportKind.MONTHLY, "2026-10")
NOV = parse(ReportKind.MONTHLY, "2026-11")


def soon(days=7):
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def october_report(world):
    return generate_report(world.community_a, OCT)


def test_action_items_are_carried_over_with_their_status(world, october_report):
    staff = world.people.staff
    done = add_action_item(
        october_report,
        acting_user=staff,
        title="清理甲1号楼楼道堆物",
        owner=world.people.worker_a,
        deadline=soon(),
    )
    still_open = add_action_item(
        october_report,
        acting_user=staff,
        title="排查河西路12号下水道",
        owner=staff,
        deadline=soon(20),
    )
    complete_item(done, acting_user=world.people.worker_a)  # the owner reports it done
    november = generate_report(world.community_a, NOV)
    carried = [(i["number"], i["title"], i["status"]) for i in november.content["carried_over"]]
    assert carried == [
        (done.number, "清理甲1号楼楼道堆物", "done"),
        (still_open.number, "排查河西路12号下水道", "open"),
    ]
    # a weekly summary carries nothing over; another area's analysis neither
    assert (
        generate_report(world.community_a, parse(ReportKind.WEEKLY, "2026-W45")).content[
            "carried_over"
        ]
        == []
    )
    assert generate_report(world.grid_a, NOV).content["carried_over"] == []


def test_the_next_analysis_page_shows_the_carried_items(world, client_for, october_report):
    add_action_item(
        october_report,
        acting_user=world.people.staff,
        title="更换路灯",
        owner=world.people.staff,
        deadline=soon(),
    )
    november = generate_report(world.community_a, NOV)
    page = client_for("staff").get(f"/reports/{november.pk}/").content.decode()
    assert 'data-testid="carried-over"' in page and "更换路灯" in page


def test_completing_writes_an_event_and_an_audit_row(world, october_report):
    item = add_action_item(
        october_report,
        acting_user=world.people.staff,
        title="更换路灯",
        owner=world.people.staff,
        deadline=soon(),
    )
    complete_item(item, acting_user=world.people.staff)
    item.refresh_from_db()
    assert item.status == "done" and item.done_at is not None
    kinds = list(ActionItemEvent.objects.filter(item=item).values_list("kind", "to_status"))
    assert kinds == [("created", "open"), ("completed", "done")]
    actions = list(
        AuditEntry.objects.filter(action__startswith="action_item.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == ["action_item.created", "action_item.completed"]
    with pytest.raises(IllegalMove):
        complete_item(item, acting_user=world.people.staff)  # done already


def test_meeting_posts_through_the_pages(world, client_for, october_report):
    client = client_for("staff")
    url = f"/reports/{october_report.pk}"
    assert client.post(f"{url}/conclusions/", {"text": "加强夜间巡查"}).status_code == 302
    response = client.post(
        f"{url}/action-items/",
        {
            "title": "夜间巡查排班",
            "owner": world.people.worker_b.pk,
            "deadline": soon().isoformat(),
        },
    )
    assert response.status_code == 302
    item = ActionItem.objects.get()
    assert (item.owner, item.period, item.area) == (
        world.people.worker_b,
        "2026-10",
        world.community_a,
    )
    response = client_for("worker_b").post(f"/reports/action-items/{item.pk}/complete/")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "done"
    assert MeetingNote.objects.get().text == "加强夜间巡查"


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"title": "", "owner": "", "deadline": ""}, 400),
        ({"title": "x", "owner": "999999", "deadline": "2026-12-31"}, 400),
        ({"title": "x", "owner": "OWNER", "deadline": "2020-01-01"}, 409),
        ({"title": "x", "owner": "OUTSIDER", "deadline": "2030-01-01"}, 400),
    ],
)
def test_bad_action_items_are_refused_and_change_nothing(
    world, client_for, october_report, data, status
):
    data = dict(data)
    if data["owner"] == "OWNER":
        data["owner"] = world.people.staff.pk
    if data["owner"] == "OUTSIDER":
        data["owner"] = world.people.other_staff.pk  # staff of the other community
    response = client_for("staff").post(f"/reports/{october_report.pk}/action-items/", data)
    assert response.status_code == status
    assert ActionItem.objects.count() == 0


# Who records the meeting of which analysis: the community's staff for a community or a grid,
# the street's dispatchers and leaders for the street; those who may only read it get 404.
@pytest.mark.parametrize(
    ("persona", "area", "expected"),
    [
        ("staff", "community_a", 302),
        ("staff", "grid_a", 302),
        ("other_staff", "community_a", 404),
        ("worker_a", "grid_a", 404),
        ("dispatcher", "community_a", 404),
        ("dispatcher", "street", 302),
        ("leader", "street", 302),
        ("staff", "street", 404),
        ("resident", "community_a", 404),
        ("outsider", "community_a", 404),
    ],
)
def test_who_records_the_meeting(world, client_for, persona, area, expected):
    report = generate_report(getattr(world, area), OCT)
    response = client_for(persona).post(f"/reports/{report.pk}/conclusions/", {"text": "结论"})
    assert response.status_code == expected
    assert MeetingNote.objects.count() == (1 if expected == 302 else 0)


def test_a_weekly_summary_has_no_meeting(world, client_for):
    report = generate_report(world.community_a, parse(ReportKind.WEEKLY, "2026-W44"))
    with pytest.raises(IllegalMove):
        record_conclusion(report, acting_user=world.people.staff, text="结论")
    response = client_for("staff").post(f"/reports/{report.pk}/action-items/", {"title": "x"})
    assert response.status_code == 404


def test_outsiders_cannot_move_an_action_item(world, client_for, october_report):
    item = add_action_item(
        october_report,
        acting_user=world.people.staff,
        title="更换路灯",
        owner=world.people.staff,
        deadline=soon(),
    )
    for persona in ("other_staff", "resident", "handler"):
        response = client_for(persona).post(f"/reports/action-items/{item.pk}/complete/")
        assert response.status_code == 404
    item.refresh_from_db()
    assert item.status == "open"
