"""A round from start to finish through the domain actions, each call idempotent."""

import datetime as dt

import pytest
from django.utils import timezone

from gridgov.audit.models import AuditEntry
from gridgov.cases.models import Case
from gridgov.lifecycle import IllegalMove, NotAllowed
from gridgov.patrols import actions
from gridgov.patrols.choices import RoundStatus
from gridgov.patrols.models import CheckIn, Round, TrackBatch
from gridgov.patrols.tracks import purge_old_tracks, read_track
from tests.patrols.helpers import make_plan

pytestmark = pytest.mark.django_db

NOW = 1_780_000_000.0  # any epoch; points only need increasing times


@pytest.fixture
def plan(world):
    return make_plan(world)


@pytest.fixture
def walking(world, plan):
    return actions.start_round(plan=plan, acting_user=world.people.worker_a, idempotency_key="r1")


def test_start_is_idempotent_and_only_for_the_plan_worker(world, plan):
    first = actions.start_round(plan=plan, acting_user=world.people.worker_a, idempotency_key="k")
    again = actions.start_round(plan=plan, acting_user=world.people.worker_a, idempotency_key="k")
    assert first.pk == again.pk and Round.objects.count() == 1
    assert first.status == RoundStatus.IN_PROGRESS and first.area_path == world.grid_a.path
    with pytest.raises(IllegalMove):  # one open round at a time
        actions.start_round(plan=plan, acting_user=world.people.worker_a, idempotency_key="k2")
    with pytest.raises(NotAllowed):
        actions.start_round(plan=plan, acting_user=world.people.worker_b, idempotency_key="x")
    assert AuditEntry.objects.filter(action="patrol_round.started").count() == 1


def test_points_are_stored_once_encrypted_and_measured(world, walking):
    points = [[42.7650, 129.4050, NOW, 5], [42.7659, 129.4050, NOW + 30, 5]]
    actions.record_points(
        walking, acting_user=world.people.worker_a, points=points, idempotency_key="b1"
    )
    actions.record_points(
        walking, acting_user=world.people.worker_a, points=points, idempotency_key="b1"
    )
    walking.refresh_from_db()
    assert TrackBatch.objects.count() == 1 and walking.point_count == 2
    # 0.0009° of latitude ≈ 100.1 m (111.2 km per degree).
    assert 99 < walking.distance_m < 101
    raw = TrackBatch.objects.values_list("points_encrypted", flat=True).get()
    assert "42.765" not in raw and "129.405" not in raw
    # The next batch continues from the last point: another 0.0009° ≈ 100 m.
    actions.record_points(
        walking,
        acting_user=world.people.worker_a,
        points=[[42.7668, 129.4050, NOW + 60, 5]],
        idempotency_key="b2",
    )
    walking.refresh_from_db()
    assert 199 < walking.distance_m < 201 and walking.point_count == 3
    with pytest.raises(NotAllowed):
        actions.record_points(
            walking, acting_user=world.people.worker_b, points=points, idempotency_key="b3"
        )
    with pytest.raises(IllegalMove):
        actions.record_points(
            walking, acting_user=world.people.worker_a, points=[["x", 1, 2]], idempotency_key="b4"
        )
    assert TrackBatch.objects.count() == 2


def test_check_ins_by_radius_qr_and_photo(world, plan, walking, photo):
    worker = world.people.worker_a
    first, second, third = plan.checkpoints.all()
    with pytest.raises(IllegalMove, match="100 米"):  # ~100 m away, radius 30 m
        actions.check_in(
            walking,
            acting_user=worker,
            method="gps",
            checkpoint_id=first.pk,
            lat=42.7659,
            lon=129.4050,
        )
    done = actions.check_in(
        walking,
        acting_user=worker,
        method="gps",
        checkpoint_id=first.pk,
        lat=42.76505,
        lon=129.4050,
        idempotency_key="c1",
    )
    assert done.method == "gps" and done.distance_m < 10
    again = actions.check_in(
        walking,
        acting_user=worker,
        method="gps",
        checkpoint_id=first.pk,
        lat=42.76505,
        lon=129.4050,
        idempotency_key="c1",
    )
    assert again.pk == done.pk
    with pytest.raises(IllegalMove):  # a second check-in at the same point, new key
        actions.check_in(
            walking, acting_user=worker, method="qr", qr_token=first.qr_token, idempotency_key="c9"
        )
    actions.check_in(walking, acting_user=worker, method="gps", qr_token=second.qr_token)
    actions.check_in(
        walking, acting_user=worker, method="photo", checkpoint_id=third.pk, photo=photo()
    )
    methods = dict(CheckIn.objects.values_list("checkpoint__name", "method"))
    assert methods == {"甲1号楼1单元": "gps", "百姓说事点": "qr", "电动车充电点": "photo"}
    with pytest.raises(NotAllowed):
        actions.check_in(
            walking, acting_user=world.people.worker_b, method="qr", qr_token=first.qr_token
        )


def test_a_finding_is_one_patrol_case_of_the_grid(world, walking, photo):
    worker = world.people.worker_a
    for _ in range(2):
        case = actions.report_finding(
            walking,
            acting_user=worker,
            description="楼道堆放杂物",
            lat=42.765,
            lon=129.405,
            photos=[photo()],
            idempotency_key="f1",
        )
    assert Case.objects.count() == 1
    assert (case.channel, case.grid_id, case.community_id) == (
        "patrol",
        world.grid_a.pk,
        world.community_a.pk,
    )
    assert walking.findings.get().case_id == case.pk
    with pytest.raises(IllegalMove):
        actions.report_finding(walking, acting_user=worker, description="  ", idempotency_key="f2")


def test_finish_then_nothing_more(world, walking):
    actions.finish_round(walking, acting_user=world.people.worker_a, note="一切正常")
    walking.refresh_from_db()
    assert walking.status == "finished" and walking.note == "一切正常"
    assert walking.events.filter(kind="finished").get().data == {"missed": 3}
    with pytest.raises(IllegalMove):
        actions.check_in(
            walking,
            acting_user=world.people.worker_a,
            method="qr",
            qr_token=walking.plan.checkpoints.first().qr_token,
        )


def test_the_midnight_sweep_closes_yesterdays_open_rounds(world, walking):
    yesterday = Round.objects.create(
        plan=walking.plan,
        worker=walking.worker,
        grid=walking.grid,
        area_path=walking.area_path,
        day=timezone.localdate() - dt.timedelta(days=1),
        started_at=timezone.now(),
    )
    assert actions.close_open_rounds() == 1
    yesterday.refresh_from_db()
    walking.refresh_from_db()
    assert yesterday.status == "incomplete" and walking.status == "in_progress"
    assert AuditEntry.objects.filter(action="patrol_round.closed_incomplete").count() == 1


def test_retention_keeps_only_the_aggregates(world, walking, settings):
    settings.PATROL_TRACK_RETENTION_DAYS = 180
    actions.record_points(
        walking,
        acting_user=world.people.worker_a,
        points=[[42.765, 129.405, NOW, 5], [42.7659, 129.405, NOW + 30, 5]],
        idempotency_key="b1",
    )
    assert purge_old_tracks(today=walking.day + dt.timedelta(days=180)) == 0
    assert purge_old_tracks(today=walking.day + dt.timedelta(days=181)) == 1
    walking.refresh_from_db()
    assert TrackBatch.objects.count() == 0 and walking.point_count == 2
    assert walking.track_purged and read_track(world.people.worker_a, walking) == []
