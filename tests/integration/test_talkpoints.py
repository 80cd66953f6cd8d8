"""Talk points (百姓说事点): the write path, coverage, issues becoming cases, and the pages."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gridgov.audit.models import AuditEntry
from gridgov.cases.choices import Channel, EventKind, Status
from gridgov.cases.models import Case, CaseEvent
from gridgov.lifecycle import IllegalMove, NotAllowed
from gridgov.registry.models import Unit
from gridgov.talkpoints import actions, coverage
from gridgov.talkpoints.models import TalkIssue, TalkPoint, TalkSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def units(world):
    """Building A (grid A) has 3 units, building B (grid B) 2, building C (grid C) 1."""

    def make(building, n):
        return [Unit.objects.create(building=building, number=i) for i in range(1, n + 1)]

    return SimpleNamespace(
        a=make(world.building_a, 3), b=make(world.building_b, 2), c=make(world.building_c, 1)
    )


@pytest.fixture
def point(world, units):
    """A talk point shared by units 1 and 2 of building A, hosted by grid A's worker."""
    return actions.open_talk_point(
        acting_user=world.people.staff,
        name="甲1号楼说事点",
        units=units.a[:2],
        host=world.people.worker_a,
        schedule="每周六 9:00",
    )


def _session(world, point):
    return actions.record_session(
        point,
        acting_user=world.people.worker_a,
        held_on=timezone.localdate() - dt.timedelta(days=1),
        attendance=12,
        minutes="居民反映单元门禁损坏。",
    )


def test_coverage_counts_units_with_an_active_talk_point(world, units, point):
    per_grid = coverage.by_grid([world.grid_a, world.grid_b, world.grid_c])
    assert per_grid[world.grid_a.pk] == coverage.Coverage(covered=2, total=3)
    assert per_grid[world.grid_a.pk].percent == 66
    assert per_grid[world.grid_b.pk] == coverage.Coverage(covered=0, total=2)
    assert per_grid[world.grid_c.pk] == coverage.Coverage(covered=0, total=1)
    community_a = coverage.of_areas([world.grid_a, world.grid_b])
    assert (community_a.covered, community_a.total, community_a.percent) == (2, 5, 40)
    # A second talk point at the third unit completes grid A; closing the first uncovers two.
    actions.open_talk_point(
        acting_user=world.people.staff,
        name="甲1号楼3单元",
        units=[units.a[2]],
        host=world.people.staff,
        schedule="每周三",
    )
    assert coverage.by_grid([world.grid_a])[world.grid_a.pk] == coverage.Coverage(3, 3)
    assert coverage.by_grid([world.grid_a])[world.grid_a.pk].complete
    actions.close_talk_point(point, acting_user=world.people.staff)
    assert coverage.by_grid([world.grid_a])[world.grid_a.pk] == coverage.Coverage(1, 3)


def test_a_grid_without_units_has_no_percentage(world):
    empty = coverage.by_grid([world.grid_c])[world.grid_c.pk]
    assert (empty.covered, empty.total, empty.percent, empty.complete) == (0, 0, None, False)


@pytest.mark.parametrize(
    "bad, message",
    [
        ({"units": []}, "请至少选择一个楼栋单元"),
        ({"units": "two grids"}, "一个说事点只能服务同一网格内的单元"),
        ({"units": "taken"}, "所选单元已有在用的说事点"),
        ({"host": "other_staff"}, "主持人须为本社区的网格员或工作人员"),
        ({"host": "worker_b"}, "主持人须为本社区的网格员或工作人员"),
        ({"host": "dispatcher"}, "主持人须为本社区的网格员或工作人员"),
        ({"schedule": "  "}, "请填写活动时间安排"),
    ],
)
def test_opening_refuses_bad_input_and_changes_nothing(world, units, point, bad, message):
    data = {
        "name": "新说事点",
        "units": [units.a[2]],
        "host": world.people.worker_a,
        "schedule": "每周日",
    }
    if bad.get("units") == "two grids":
        data["units"] = [units.a[2], units.b[0]]
    elif bad.get("units") == "taken":
        data["units"] = [units.a[0], units.a[2]]
    elif "units" in bad:
        data["units"] = []
    if "host" in bad:
        data["host"] = getattr(world.people, bad["host"])
    if "schedule" in bad:
        data["schedule"] = bad["schedule"]
    before = (TalkPoint.objects.count(), AuditEntry.objects.count())
    with pytest.raises(IllegalMove, match=message):
        actions.open_talk_point(acting_user=world.people.staff, **data)
    assert (TalkPoint.objects.count(), AuditEntry.objects.count()) == before


def test_a_grid_worker_may_not_open_a_talk_point(world, units):
    with pytest.raises(NotAllowed):
        actions.open_talk_point(
            acting_user=world.people.worker_a,
            name="x",
            units=[units.a[2]],
            host=world.people.worker_a,
            schedule="每周日",
        )
    assert TalkPoint.objects.count() == 0


def test_an_issue_becomes_a_talk_point_case_at_its_unit(world, units, point):
    session = _session(world, point)
    issue = actions.raise_issue(
        session,
        acting_user=world.people.worker_a,
        title="单元门禁损坏",
        description="门禁坏了一周。",
        unit=units.a[1],
    )
    case = Case.objects.get()
    assert issue.case == case and not issue.is_dispute
    assert case.channel == Channel.TALK_POINT
    assert (case.unit_id, case.building_id, case.grid_id) == (
        units.a[1].pk,
        world.building_a.pk,
        world.grid_a.pk,
    )
    assert case.status == Status.SUBMITTED and case.mediation_referred_at is None
    audited = AuditEntry.objects.filter(action="talkpoints.issue", object_repr=case.number)
    assert audited.count() == 1


def test_a_dispute_is_registered_and_referred_to_mediation_in_one_step(world, units, point):
    session = _session(world, point)
    actions.raise_issue(
        session,
        acting_user=world.people.worker_a,
        title="邻里噪音纠纷",
        description="楼上夜间装修。",
        dispute=True,
    )
    case = Case.objects.get()
    assert case.mediation_referred_at is not None and case.status == Status.IN_MEDIATION
    assert list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True)) == [
        EventKind.CREATED,
        EventKind.REFERRED_TO_MEDIATION,
    ]
    assert TalkIssue.objects.get().is_dispute


def test_an_issue_at_a_unit_the_talk_point_does_not_serve_is_refused(world, units, point):
    session = _session(world, point)
    with pytest.raises(IllegalMove, match="请选择该说事点服务的单元"):
        actions.raise_issue(
            session, acting_user=world.people.staff, title="t", description="d", unit=units.a[2]
        )
    assert (Case.objects.count(), TalkIssue.objects.count()) == (0, 0)


@pytest.mark.parametrize(
    "held_on, attendance, minutes, message",
    [
        (1, 10, "纪要", "活动尚未举行"),
        (-1, 1000, "纪要", "0 到 999"),
        (-1, 10, "   ", "请填写活动纪要"),
    ],
)
def test_a_session_with_bad_input_is_refused(world, point, held_on, attendance, minutes, message):
    with pytest.raises(IllegalMove, match=message):
        actions.record_session(
            point,
            acting_user=world.people.worker_a,
            held_on=timezone.localdate() + dt.timedelta(days=held_on),
            attendance=attendance,
            minutes=minutes,
        )
    assert TalkSession.objects.count() == 0


def test_a_closed_talk_point_records_no_session(world, point):
    actions.close_talk_point(point, acting_user=world.people.staff)
    with pytest.raises(IllegalMove, match="该说事点已关闭"):
        _session(world, point)
    with pytest.raises(IllegalMove, match="该说事点已经关闭"):
        actions.close_talk_point(point, acting_user=world.people.staff)


def test_grid_page_shows_grid_and_community_coverage(world, units, point, client_for):
    page = client_for("worker_a").get(f"/grids/{world.grid_a.code}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="grid-coverage">2 / 3 · 66%' in html
    assert 'data-testid="community-coverage">2 / 5 · 40%' in html


def test_list_page_query_count_does_not_grow_with_talk_points(world, units, point, client_for):
    client = client_for("staff")
    _session(world, point)
    client.get("/talkpoints/")  # the session's first request reads more (sign-in checks)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/talkpoints/").status_code == 200
    for i, unit in enumerate(units.b):
        other = actions.open_talk_point(
            acting_user=world.people.staff,
            name=f"乙{i}",
            units=[unit],
            host=world.people.worker_b,
            schedule="每周日",
        )
        _session(world, point)
        actions.record_session(
            other,
            acting_user=world.people.worker_b,
            held_on=timezone.localdate(),
            attendance=3,
            minutes="m",
        )
    with CaptureQueriesContext(connection) as three:
        page = client.get("/talkpoints/")
    assert page.status_code == 200
    assert len(three) == len(one) <= 10
    assert 'data-testid="coverage-222405001001">4 / 5 · 80%' in page.content.decode()


def test_a_session_page_post_with_bad_input_says_why_and_changes_nothing(world, point, client_for):
    page = client_for("worker_a").post(
        f"/talkpoints/{point.pk}/", {"held_on": "昨天", "attendance": "很多", "minutes": ""}
    )
    assert page.status_code == 400
    html = page.content.decode()
    assert "输入一个有效的日期" in html and "输入整数" in html and "该字段是必填项" in html
    assert TalkSession.objects.count() == 0


def test_staff_change_a_talk_points_units_and_host_through_the_page(
    world, units, point, client_for
):
    answer = client_for("staff").post(
        f"/talkpoints/{point.pk}/edit/",
        {
            "name": "甲1号楼说事点",
            "units": [str(units.a[2].pk)],
            "host": str(world.people.staff.pk),
            "schedule": "每周日 10:00",
            "place": "",
        },
    )
    assert answer.status_code == 302
    point.refresh_from_db()
    assert list(point.units.values_list("pk", flat=True)) == [units.a[2].pk]
    assert (point.host, point.schedule) == (world.people.staff, "每周日 10:00")
    assert AuditEntry.objects.filter(action="talkpoints.change", object_id=str(point.pk)).exists()
    # A unit of another grid is not offered, so the page refuses it as an invalid choice.
    refused = client_for("staff").post(
        f"/talkpoints/{point.pk}/edit/",
        {
            "name": "x",
            "units": [str(units.b[0].pk)],
            "host": str(world.people.staff.pk),
            "schedule": "s",
        },
    )
    assert refused.status_code == 400
    assert list(point.units.values_list("pk", flat=True)) == [units.a[2].pk]
