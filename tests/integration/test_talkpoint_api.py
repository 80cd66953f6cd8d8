"""The talk-point API: scoped lists with flat query counts, details, recording a session."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gridgov.audit.models import AuditEntry
from gridgov.registry.models import Unit
from gridgov.talkpoints import actions
from gridgov.talkpoints.models import TalkSession

pytestmark = pytest.mark.django_db


def _point(world, n: int = 1, building=None, staff=None, host=None):
    unit = Unit.objects.create(building=building or world.building_a, number=n)
    return actions.open_talk_point(
        acting_user=staff or world.people.staff,
        name=f"{n}单元说事点",
        units=[unit],
        host=host or world.people.worker_a,
        schedule="每周六 9:00",
    )


def _session(world, point, days_ago: int = 1) -> TalkSession:
    return actions.record_session(
        point,
        acting_user=world.people.staff,
        held_on=timezone.localdate() - dt.timedelta(days=days_ago),
        attendance=6,
        minutes="反映楼道灯不亮",
    )


def test_lists_are_scoped_and_flat_in_queries(world, client_for, django_assert_max_num_queries):
    points = [_point(world, n) for n in (1, 2)]
    for point in points:
        _session(world, point)
    client = client_for("worker_a")
    with django_assert_max_num_queries(10) as few:
        rows = client.get("/api/v1/talk-points/").json()["results"]
    assert {(r["id"], r["session_count"]) for r in rows} == {(p.pk, 1) for p in points}
    for n in range(3, 8):
        _session(world, _point(world, n))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/v1/talk-points/").json()["results"]) == 7
    with django_assert_max_num_queries(10) as few:
        assert len(client.get("/api/v1/talk-sessions/").json()["results"]) == 7
    _session(world, points[0], days_ago=3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        sessions = client.get(f"/api/v1/talk-sessions/?talk_point={points[0].pk}").json()
    assert [row["talk_point"] for row in sessions["results"]] == [points[0].pk, points[0].pk]
    assert client_for("worker_b").get("/api/v1/talk-points/").json()["results"] == []


def test_detail_and_session_detail_with_minutes(world, client_for):
    point = _point(world)
    session = _session(world, point)
    client = client_for("staff")
    detail = client.get(f"/api/v1/talk-points/{point.pk}/").json()
    assert detail["grid"] == world.grid_a.code and detail["host"] == world.people.worker_a.full_name
    body = client.get(f"/api/v1/talk-sessions/{session.pk}/").json()
    assert body["minutes"] == "反映楼道灯不亮" and body["attendance"] == 6
    assert body["issues"] == []
    assert client_for("other_staff").get(f"/api/v1/talk-sessions/{session.pk}/").status_code == 404


def test_record_a_session(world, client_for):
    point = _point(world)
    day = (timezone.localdate() - dt.timedelta(days=2)).isoformat()
    answer = client_for("worker_a").post(
        f"/api/v1/talk-points/{point.pk}/sessions/",
        {"held_on": day, "attendance": 12, "minutes": "议定修缮"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    session = TalkSession.objects.get()
    assert (session.held_on.isoformat(), session.attendance, session.recorded_by) == (
        day,
        12,
        world.people.worker_a,
    )
    assert answer.json()["id"] == session.pk
    assert AuditEntry.objects.filter(action="talkpoints.session").count() == 1


def test_bad_sessions_change_nothing(world, client_for):
    point = _point(world)
    client = client_for("staff")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    future = client.post(
        f"/api/v1/talk-points/{point.pk}/sessions/",
        {"held_on": tomorrow, "attendance": 3, "minutes": "m"},
    )
    assert future.status_code == 409
    assert future.json()["detail"] == "活动尚未举行，不能提前记录。"
    bad = client.post(
        f"/api/v1/talk-points/{point.pk}/sessions/",
        {"held_on": "昨天", "attendance": -1, "minutes": ""},
    )
    assert bad.status_code == 400 and set(bad.json()) == {"held_on", "attendance", "minutes"}
    actions.close_talk_point(point, acting_user=world.people.staff)
    closed = client.post(
        f"/api/v1/talk-points/{point.pk}/sessions/",
        {"held_on": timezone.localdate().isoformat(), "attendance": 3, "minutes": "m"},
    )
    assert closed.status_code == 409
    assert not TalkSession.objects.exists()
