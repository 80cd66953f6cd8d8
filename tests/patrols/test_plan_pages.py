"""The plan pages of the community's staff: who reaches them (hand-written), drawing up a
plan, adding/moving/changing/removing checkpoints — each change audited, bad input localized
and changing nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from gridgov.audit.models import AuditEntry
from gridgov.hazards.models import HazardSite
from gridgov.patrols import actions
from gridgov.patrols.models import Checkpoint, PatrolPlan
from gridgov.registry.models import Unit
from tests.patrols.helpers import make_plan

pytestmark = pytest.mark.django_db

# 第一网格 spans lon 129.40–129.41, lat 42.76–42.77 (tests/conftest.py).
INSIDE = {"lat": "42.7655", "lon": "129.4055"}

# persona: (plan list, plan page of grid A, new-plan form for grid A) — hand-written.
# The list is for supervisors (staff, dispatcher, leader); only the community's staff draw up
# plans: a supervisor elsewhere sees the plan exists (403), anyone else gets 404.
PAGES = {
    "staff": (200, 200, 200),
    "other_staff": (200, 404, 404),
    "dispatcher": (200, 403, 404),
    "leader": (200, 403, 404),
    "worker_a": (403, 403, 404),
    "worker_b": (403, 404, 404),
    "resident": (403, 404, 404),
    "handler": (403, 404, 404),
    "sysadmin": (403, 404, 404),
    "auditadmin": (403, 404, 404),
    "outsider": (403, 404, 404),
}


@pytest.mark.parametrize("persona", sorted(PAGES))
def test_who_reaches_the_plan_pages(world, client_for, persona):
    plan = make_plan(world)
    client = client_for(persona)
    got = (
        client.get("/patrols/plans/").status_code,
        client.get(f"/patrols/plans/{plan.pk}/").status_code,
        client.get(f"/patrols/plans/new/?grid={world.grid_a.code}").status_code,
    )
    assert got == PAGES[persona]
    before = Checkpoint.objects.count()
    answer = client.post(
        f"/patrols/plans/{plan.pk}/checkpoints/", {"kind": "other", "name": "门岗", **INSIDE,
                                                   "radius_m": "30"}
    )  # fmt: skip
    expected = {200: 302}.get(PAGES[persona][1], PAGES[persona][1])
    assert answer.status_code == expected
    assert Checkpoint.objects.count() == before + (1 if expected == 302 else 0)


def test_staff_draw_up_a_plan_with_two_rounds_by_default(world, client_for):
    client = client_for("staff")
    form = client.get(f"/patrols/plans/new/?grid={world.grid_a.code}")
    assert 'value="2"' in form.content.decode()  # rounds per working day
    answer = client.post(
        "/patrols/plans/new/",
        {
            "grid": world.grid_a.code,
            "worker": world.people.worker_a.pk,
            "rounds_per_day": "2",
            "starts_on": "2026-12-01",
            "ends_on": "2027-06-30",
        },
    )
    plan = PatrolPlan.objects.get()
    assert answer.status_code == 302 and answer["Location"] == f"/patrols/plans/{plan.pk}/"
    assert (plan.worker, plan.grid, plan.rounds_per_day) == (
        world.people.worker_a,
        world.grid_a,
        2,
    )
    assert (plan.starts_on, plan.ends_on) == (dt.date(2026, 12, 1), dt.date(2027, 6, 30))
    entry = AuditEntry.objects.get(action="patrol_plan.created")
    assert entry.actor_id == world.people.staff.pk and entry.object_id == str(plan.pk)


def test_a_worker_of_another_grid_and_bad_dates_are_refused_in_words(world, client_for):
    client = client_for("staff")
    answer = client.post(
        "/patrols/plans/new/",
        {
            "grid": world.grid_a.code,
            "worker": world.people.worker_b.pk,  # worker B walks grid B
            "rounds_per_day": "9",
            "starts_on": "2026-12-01",
            "ends_on": "2026-11-01",
        },
    )
    assert answer.status_code == 400
    page = answer.content.decode()
    assert "选择一个有效的选项" in page  # worker: not a choice (Django's zh-Hans message)
    assert "确保该值小于或等于6。" in page  # rounds per day
    assert "计划的结束日期不能早于开始日期。" in page  # ends before it starts
    assert not PatrolPlan.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="patrol_plan.").exists()


def test_checkpoints_added_by_map_point_or_unit_moved_changed_removed(world, client_for):
    plan = PatrolPlan.objects.create(
        worker=world.people.worker_a, grid=world.grid_a, starts_on=dt.date(2026, 1, 1)
    )
    unit = Unit.objects.create(building=world.building_a, number=2)
    client = client_for("staff")
    url = f"/patrols/plans/{plan.pk}/checkpoints/"
    assert (
        client.post(url, {"kind": "other", "name": "东门", **INSIDE, "radius_m": "40"}).status_code
        == 302
    )
    # A unit without a tap on the map: the building's point (42.765, 129.405), the unit's name.
    assert client.post(url, {"kind": "unit", "unit": unit.pk, "radius_m": "30"}).status_code == 302
    first, second = plan.checkpoints.order_by("position")
    assert (first.name, first.lat, first.lon, first.radius_m) == ("东门", 42.7655, 129.4055, 40)
    assert (second.lat, second.lon, second.unit) == (42.765, 129.405, unit)
    assert second.name == str(unit)

    assert (
        client.post(f"/patrols/checkpoints/{second.pk}/move/", {"direction": "up"}).status_code
        == 302
    )
    assert [c.pk for c in plan.checkpoints.order_by("position")] == [second.pk, first.pk]

    # A hazard-site checkpoint links its site (the one rule set of checkpoints.py).
    site = HazardSite.objects.create(
        name="东门充电棚", kind="ebike_charging", grid=world.grid_a, responsible_party="物业公司",
        lat=42.7661, lon=129.4071,
    )  # fmt: skip
    answer = client.post(
        f"/patrols/checkpoints/{first.pk}/",
        {
            "kind": "hazard_site",
            "hazard_site": site.pk,
            "name": "东门充电点",
            "lat": "42.7661",
            "lon": "129.4071",
            "radius_m": "25",
        },
    )
    assert answer.status_code == 302
    first.refresh_from_db()
    assert (first.kind, first.name, first.lat, first.lon, first.radius_m) == (
        "hazard_site", "东门充电点", 42.7661, 129.4071, 25,
    )  # fmt: skip

    assert client.post(f"/patrols/checkpoints/{first.pk}/remove/").status_code == 302
    assert list(plan.checkpoints.all()) == [second]
    actions_done = list(
        AuditEntry.objects.filter(action__startswith="patrol_plan.")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions_done == [
        "patrol_plan.checkpoint_added",
        "patrol_plan.checkpoint_added",
        "patrol_plan.checkpoint_moved",
        "patrol_plan.checkpoint_changed",
        "patrol_plan.checkpoint_removed",
    ]


def test_a_point_outside_the_grid_or_no_point_is_refused(world, client_for):
    plan = PatrolPlan.objects.create(
        worker=world.people.worker_a, grid=world.grid_a, starts_on=dt.date(2026, 1, 1)
    )
    client = client_for("staff")
    url = f"/patrols/plans/{plan.pk}/checkpoints/"
    # 129.425 lies in 河东第一网格, ~1.5 km east of grid A.
    far = {"kind": "other", "name": "远处", "lat": "42.765", "lon": "129.425", "radius_m": "30"}
    outside = client.post(url, far)
    assert outside.status_code == 400
    assert "该位置不在本网格内。" in outside.content.decode()
    nowhere = client.post(url, {"kind": "other", "name": "无点", "radius_m": "30"})
    assert nowhere.status_code == 400
    assert "请在地图上点选巡查点位置。" in nowhere.content.decode()
    bad_radius = client.post(url, {"kind": "other", "name": "r", **INSIDE, "radius_m": "9999"})
    assert bad_radius.status_code == 400
    assert not Checkpoint.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="patrol_plan.").exists()


def test_a_checkpoint_with_check_ins_stays(world, client_for):
    plan = make_plan(world)
    round_ = actions.start_round(plan=plan, acting_user=world.people.worker_a)
    first = plan.checkpoints.order_by("position").first()
    assert first is not None
    actions.check_in(
        round_, acting_user=world.people.worker_a, method="qr", qr_token=first.qr_token
    )
    answer = client_for("staff").post(f"/patrols/checkpoints/{first.pk}/remove/", follow=True)
    assert Checkpoint.objects.filter(pk=first.pk).exists()
    assert "该巡查点已有签到记录" in answer.content.decode()
    assert not AuditEntry.objects.filter(action="patrol_plan.checkpoint_removed").exists()


def test_editing_the_plan_is_audited_with_before_and_after(world, client_for):
    plan = make_plan(world)
    answer = client_for("staff").post(
        f"/patrols/plans/{plan.pk}/",
        {
            "worker": world.people.worker_a.pk,
            "rounds_per_day": "3",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "is_active": "on",
        },
    )
    assert answer.status_code == 302
    plan.refresh_from_db()
    assert (plan.rounds_per_day, plan.ends_on) == (3, dt.date(2026, 12, 31))
    entry = AuditEntry.objects.get(action="patrol_plan.changed")
    assert entry.detail == {"rounds_per_day": [2, 3], "ends_on": [None, "2026-12-31"]}


def test_the_plan_list_shows_each_grid_in_few_queries(
    world, client_for, django_assert_max_num_queries
):
    make_plan(world)
    client = client_for("staff")
    with django_assert_max_num_queries(14) as few:
        page = client.get("/patrols/plans/").content.decode()
    assert page.count('data-testid="plan-grid"') == 2  # 第一网格, 第二网格 of 河西社区
    assert page.count('data-testid="plan-row"') == 1
    for _ in range(4):
        make_plan(world, grid=world.grid_b, worker=world.people.worker_b)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/patrols/plans/").content.decode()
    assert page.count('data-testid="plan-row"') == 5
