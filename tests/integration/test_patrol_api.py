"""The patrol-round API: scoped lists without the track, flat query counts, the detail's
check-ins and findings, and the track endpoint (few readers, each read audited, 404 else)."""

from __future__ import annotations

import pytest

from gridgov.audit.models import AuditEntry
from gridgov.patrols import actions
from gridgov.patrols.choices import RoundStatus
from gridgov.patrols.models import Round
from tests.patrols.helpers import CHECKPOINTS, make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def walked(world):
    worker = world.people.worker_a
    plan = make_plan(world)
    round_ = actions.start_round(plan=plan, acting_user=worker)
    lat, lon = CHECKPOINTS[0][1], CHECKPOINTS[0][2]
    actions.record_points(
        round_,
        acting_user=worker,
        points=[[lat, lon, 1_780_000_000, 5], [lat + 0.0009, lon, 1_780_000_060, 5]],
        idempotency_key="b1",
    )
    first = plan.checkpoints.all()[0]
    actions.check_in(
        round_, acting_user=worker, method="gps", checkpoint_id=first.pk, lat=lat, lon=lon
    )
    return round_


def test_list_has_no_track_and_is_flat_in_queries(
    world, walked, client_for, django_assert_max_num_queries
):
    client = client_for("staff")
    with django_assert_max_num_queries(10) as few:
        rows = client.get("/api/v1/patrol-rounds/").json()["results"]
    assert len(rows) == 1
    assert rows[0]["check_in_count"] == 1 and rows[0]["point_count"] == 2
    assert "points" not in rows[0] and "track" not in rows[0]
    plan = walked.plan
    for day in range(1, 6):
        Round.objects.create(
            plan=plan,
            worker=plan.worker,
            grid=plan.grid,
            area_path=plan.grid.path,
            day=walked.day.replace(day=day) if walked.day.day != day else walked.day,
            status=RoundStatus.FINISHED,
            started_at=walked.started_at,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/patrol-rounds/").json()["count"] == 6
    assert client.get("/api/v1/patrol-rounds/?status=in_progress").json()["count"] == 1
    assert client_for("worker_b").get("/api/v1/patrol-rounds/").json()["count"] == 0
    assert client_for("other_staff").get(f"/api/v1/patrol-rounds/{walked.pk}/").status_code == 404


def test_detail_lists_check_ins(world, walked, client_for):
    body = client_for("worker_a").get(f"/api/v1/patrol-rounds/{walked.pk}/").json()
    assert [c["checkpoint"] for c in body["check_ins"]] == [CHECKPOINTS[0][0]]
    assert body["check_ins"][0]["method"] == "gps"
    assert body["findings"] == []
    assert body["grid"] == world.grid_a.code


def test_the_track_is_read_by_few_and_every_read_is_audited(world, walked, client_for):
    answer = client_for("leader").get(f"/api/v1/patrol-rounds/{walked.pk}/track/")
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "no-store"
    assert [p[:2] for p in answer.json()["points"]] == [
        [CHECKPOINTS[0][1], CHECKPOINTS[0][2]],
        [CHECKPOINTS[0][1] + 0.0009, CHECKPOINTS[0][2]],
    ]
    entry = AuditEntry.objects.get(action="patrol_round.track_viewed")
    assert (entry.actor_id, entry.object_id) == (world.people.leader.pk, str(walked.pk))
    # Community staff see the round but not where the worker walked: 404, and no audit row.
    staff = client_for("staff")
    assert staff.get(f"/api/v1/patrol-rounds/{walked.pk}/").status_code == 200
    assert staff.get(f"/api/v1/patrol-rounds/{walked.pk}/track/").status_code == 404
    assert AuditEntry.objects.filter(action="patrol_round.track_viewed").count() == 1
