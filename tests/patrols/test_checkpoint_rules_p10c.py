"""Issue 10, last gaps: the plan pages link checkpoints to a unit, hazard site or talk point of
the grid through the one rule set of `checkpoints.py`; a checkpoint with check-ins is retired
instead of removed; the one-tap finding page's hazard is idempotent; compliance reads the
round's stored check-in count. Expected values are hand-written."""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps as django_apps
from django.urls import reverse
from django.utils import timezone

from gridgov.audit.models import AuditEntry
from gridgov.hazards.models import Hazard, HazardSite
from gridgov.patrols import actions, planning
from gridgov.patrols.choices import RoundStatus
from gridgov.patrols.compliance import compliance
from gridgov.patrols.models import CheckIn, Checkpoint, PatrolPlan, QuickHazardReport, Round
from gridgov.registry.models import Unit
from gridgov.talkpoints.actions import open_talk_point
from tests.patrols.helpers import make_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def empty_plan(world):
    return PatrolPlan.objects.create(
        worker=world.people.worker_a, grid=world.grid_a, starts_on=dt.date(2026, 1, 1)
    )


@pytest.fixture
def site(world):
    return HazardSite.objects.create(
        name="3号楼电动车充电点",
        kind="ebike_charging",
        grid=world.grid_a,
        responsible_party="物业公司",
        lat=42.7661,
        lon=129.4071,
    )


@pytest.fixture
def talk(world):
    unit = Unit.objects.create(building=world.building_a, number=5)
    return open_talk_point(
        acting_user=world.people.staff,
        name="甲1号楼说事点",
        units=[unit],
        host=world.people.worker_a,
        schedule="每周六 9:00",
    )


# ---- 1. the plan pages offer the links ---------------------------------------------------------


def test_the_plan_page_offers_the_grids_sites_and_talk_points(world, client_for, empty_plan):
    site_a = HazardSite.objects.create(
        name="甲区配电房", kind="other", grid=world.grid_a, responsible_party="物业", lat=42.765,
        lon=129.405,
    )  # fmt: skip
    site_b = HazardSite.objects.create(
        name="乙区河堤", kind="river_dam", grid=world.grid_b, responsible_party="水务", lat=1, lon=1
    )
    page = client_for("staff").get(f"/patrols/plans/{empty_plan.pk}/")
    form = page.context["checkpoint_form"]
    assert list(form.fields["hazard_site"].queryset) == [site_a]  # not grid B's
    html = page.content.decode()
    assert 'name="hazard_site"' in html and 'name="talk_point"' in html
    assert "甲区配电房" in html and "乙区河堤" not in html
    assert site_b.pk not in [s["id"] for s in page.context["map_data"]["hazard_sites"]]


@pytest.mark.parametrize("kind", ["unit", "hazard_site", "talk_point"])
def test_each_kind_is_added_through_the_page_with_its_targets_place(
    world, client_for, empty_plan, site, talk, kind
):
    unit = Unit.objects.create(building=world.building_a, number=2)
    picked = {"unit": unit.pk, "hazard_site": site.pk, "talk_point": talk.pk}
    # Every picker filled in: only the chosen kind's counts.
    answer = client_for("staff").post(
        f"/patrols/plans/{empty_plan.pk}/checkpoints/", {"kind": kind, **picked, "radius_m": "30"}
    )
    assert answer.status_code == 302
    cp = Checkpoint.objects.get()
    # building_a stands at 42.765, 129.405 (tests/conftest.py); the site at 42.7661, 129.4071.
    expected = {
        "unit": (unit.pk, None, None, 42.765, 129.405, str(unit)),
        "hazard_site": (None, site.pk, None, 42.7661, 129.4071, "3号楼电动车充电点"),
        "talk_point": (None, None, talk.pk, 42.765, 129.405, "甲1号楼说事点"),
    }[kind]
    assert (cp.unit_id, cp.hazard_site_id, cp.talk_point_id, cp.lat, cp.lon, cp.name) == expected
    assert cp.kind == kind
    entry = AuditEntry.objects.get(action="patrol_plan.checkpoint_added")
    assert entry.detail["kind"] == kind


def test_the_page_refuses_a_link_kind_without_its_target_or_of_another_grid(
    world, client_for, empty_plan
):
    client = client_for("staff")
    url = f"/patrols/plans/{empty_plan.pk}/checkpoints/"
    inside = {"lat": "42.7655", "lon": "129.4055", "radius_m": "30", "name": "某处"}
    no_site = client.post(url, {"kind": "hazard_site", **inside})
    assert no_site.status_code == 400
    assert "巡查点须关联且仅关联一个与其类型相符的对象。" in no_site.content.decode()
    other = HazardSite.objects.create(
        name="乙区河堤", kind="river_dam", grid=world.grid_b, responsible_party="水务", lat=1, lon=1
    )
    foreign = client.post(url, {"kind": "hazard_site", "hazard_site": other.pk, **inside})
    assert foreign.status_code == 400  # not offered: the form refuses the choice
    assert not Checkpoint.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="patrol_plan.").exists()


def test_changing_a_checkpoint_to_a_talk_point_links_it(world, client_for, empty_plan, talk):
    client = client_for("staff")
    client.post(
        f"/patrols/plans/{empty_plan.pk}/checkpoints/",
        {"kind": "other", "name": "东门", "lat": "42.7655", "lon": "129.4055", "radius_m": "40"},
    )
    cp = Checkpoint.objects.get()
    answer = client.post(
        f"/patrols/checkpoints/{cp.pk}/",
        {"kind": "talk_point", "talk_point": talk.pk, "name": "", "radius_m": "40"},
    )
    assert answer.status_code == 302
    cp.refresh_from_db()
    assert (cp.kind, cp.talk_point_id, cp.name, cp.lat, cp.lon) == (
        "talk_point", talk.pk, "甲1号楼说事点", 42.765, 129.405,
    )  # fmt: skip
    # Back to "other": the link goes.
    client.post(
        f"/patrols/checkpoints/{cp.pk}/",
        {"kind": "other", "talk_point": talk.pk, "name": "东门", "lat": "42.7655",
         "lon": "129.4055", "radius_m": "40"},
    )  # fmt: skip
    cp.refresh_from_db()
    assert (cp.kind, cp.talk_point_id) == ("other", None)


# ---- 2. retired checkpoints --------------------------------------------------------------------


def test_a_checkpoint_with_check_ins_is_retired_and_kept(world, client_for):
    plan = make_plan(world)
    worker = world.people.worker_a
    first = plan.checkpoints.order_by("position").first()
    assert first is not None
    old = actions.start_round(plan=plan, acting_user=worker)
    actions.check_in(old, acting_user=worker, method="qr", qr_token=first.qr_token)
    actions.finish_round(old, acting_user=worker)
    client = client_for("staff")
    answer = client.post(f"/patrols/checkpoints/{first.pk}/retire/", follow=True)
    assert "巡查点已停用" in answer.content.decode()
    first.refresh_from_db()
    today = timezone.localdate()
    assert first.retired_on == today
    assert CheckIn.objects.filter(checkpoint=first).count() == 1  # history kept
    entry = AuditEntry.objects.get(action="patrol_plan.checkpoint_retired")
    assert entry.detail["checkpoint"] == first.pk
    # Retiring twice is refused, nothing changes.
    again = client.post(f"/patrols/checkpoints/{first.pk}/retire/", follow=True)
    assert "该巡查点已停用。" in again.content.decode()
    assert AuditEntry.objects.filter(action="patrol_plan.checkpoint_retired").count() == 1
    # A new round does not take it: no check-in there, the round page does not list it.
    fresh = actions.start_round(plan=plan, acting_user=worker)
    with pytest.raises(actions.IllegalMove):
        actions.check_in(fresh, acting_user=worker, method="qr", qr_token=first.qr_token)
    round_page = client_for("worker_a").get(f"/patrols/rounds/{fresh.pk}/").content.decode()
    assert first.name not in round_page and "百姓说事点" in round_page
    # The old round still shows it with its check-in.
    old_page = client_for("worker_a").get(f"/patrols/rounds/{old.pk}/").content.decode()
    assert first.name in old_page
    # The QR sheet leaves it out.
    sheet = client.get(f"/patrols/plans/{plan.pk}/qr/").content.decode()
    assert first.name not in sheet and "电动车充电点" in sheet
    # Finishing the new round with the two others checked in misses nothing.
    for cp in plan.checkpoints.exclude(pk=first.pk):
        actions.check_in(fresh, acting_user=worker, method="qr", qr_token=cp.qr_token)
    actions.finish_round(fresh, acting_user=worker)
    assert fresh.events.get(kind="finished").data == {"missed": 0}


def test_compliance_stops_expecting_a_retired_checkpoint_from_its_day(world):
    # 2026-11-02 (Mon) to 2026-11-04 (Wed): working days (no overrides in November).
    plan = make_plan(world, rounds_per_day=1)
    first = plan.checkpoints.order_by("position").first()
    assert first is not None
    planning.retire_checkpoint(first, acting_user=world.people.staff, day=dt.date(2026, 11, 3))
    days = [dt.date(2026, 11, 2), dt.date(2026, 11, 3), dt.date(2026, 11, 4)]
    cells = compliance([plan], days, today=dt.date(2026, 12, 1))
    # Nothing walked: 3 checkpoints missed on the 2nd, 2 on the 3rd and 4th.
    assert [c.missed for c in cells] == [3, 2, 2]


# ---- 3. the one-tap hazard is idempotent -------------------------------------------------------


def test_the_quick_hazard_double_post_and_back_resubmit_make_one_hazard(world, client_for):
    make_plan(world, starts_on=dt.date(2020, 1, 1))
    client = client_for("worker_a")
    url = reverse("patrols:quick-finding")
    key = client.get(url).context["values"]["key"]
    data = {"kind": "hazard", "description": "广告牌松动", "risk_level": "major", "key": key}
    data["grid"] = world.grid_a.pk
    first = client.post(url, data)
    again = client.post(url, data)  # a double tap
    assert first.status_code == again.status_code == 302
    hazard = Hazard.objects.get()
    assert first["Location"] == again["Location"] == reverse("hazards:detail", args=[hazard.pk])
    # Back to the filled-in form (same key) and submit again, text changed: still the first.
    back = client.post(url, {**data, "description": "广告牌松动，快掉了"})
    assert back["Location"] == first["Location"]
    assert Hazard.objects.count() == 1 and hazard.description == "广告牌松动"
    assert QuickHazardReport.objects.get().hazard_id == hazard.pk
    # A fresh form is a fresh report.
    fresh = client.get(url).context["values"]["key"]
    assert fresh != key
    client.post(url, {**data, "key": fresh})
    assert Hazard.objects.count() == 2


def test_the_key_is_bound_to_the_worker(world, client_for):
    from gridgov.accounts.choices import Role
    from gridgov.accounts.models import Membership

    make_plan(world, starts_on=dt.date(2020, 1, 1))
    Membership.objects.create(user=world.people.worker_b, role=Role.GRID_WORKER, area=world.grid_a)
    url = reverse("patrols:quick-finding")
    data = {"kind": "hazard", "description": "井盖缺失", "risk_level": "major", "key": "same"}
    a = client_for("worker_a").post(url, {**data, "grid": world.grid_a.pk})
    b = client_for("worker_b").post(url, {**data, "grid": world.grid_a.pk})
    assert a.status_code == b.status_code == 302
    assert a["Location"] != b["Location"]
    assert sorted(Hazard.objects.values_list("reported_by__username", flat=True)) == sorted(
        [world.people.worker_a.username, world.people.worker_b.username]
    )


# ---- 4. compliance reads the stored count ------------------------------------------------------


def test_the_check_in_action_counts_and_the_backfill_recounts(world):
    plan = make_plan(world)
    worker = world.people.worker_a
    round_ = actions.start_round(plan=plan, acting_user=worker)
    for cp in list(plan.checkpoints.order_by("position"))[:2]:
        actions.check_in(round_, acting_user=worker, method="qr", qr_token=cp.qr_token)
    round_.refresh_from_db()
    assert round_.checked_in == 2
    # A repeated check-in is refused and does not count twice.
    again = plan.checkpoints.order_by("position").first()
    assert again is not None
    with pytest.raises(actions.IllegalMove):
        actions.check_in(round_, acting_user=worker, method="qr", qr_token=again.qr_token)
    round_.refresh_from_db()
    assert round_.checked_in == 2
    # The migration's backfill sets what the check-ins say.
    Round.objects.update(checked_in=0)
    migration = importlib.import_module("gridgov.patrols.migrations.0003_retired_counts_p10c")
    migration.count_check_ins(django_apps, None)
    round_.refresh_from_db()
    assert round_.checked_in == 2


def test_the_calendar_is_three_queries_whatever_the_plans(world, django_assert_num_queries):
    plans = [make_plan(world) for _ in range(4)]
    for plan in plans:
        for n in range(1, 4):
            Round.objects.create(
                plan=plan, worker=plan.worker, grid=plan.grid, area_path=plan.grid.path,
                day=dt.date(2026, 11, n + 1), status=RoundStatus.FINISHED,
                started_at=timezone.now(), checked_in=n,
            )  # fmt: skip
    days = [dt.date(2026, 11, d) for d in range(1, 31)]
    from gridgov.workdays.calendar import WorkCalendar

    WorkCalendar().is_workday(days[0])  # the calendar's cache is warm (its own query)
    with django_assert_num_queries(3):
        cells = compliance(plans, days, today=dt.date(2026, 12, 1))
    # 2–4 Nov (Mon–Wed): 4 plans × 2 planned = 8 each; one round each with 1, 2, 3 check-ins.
    by_day = {c.day.day: c for c in cells}
    assert [by_day[d].done for d in (2, 3, 4)] == [4, 4, 4]
    assert [by_day[d].missed for d in (2, 3, 4)] == [4 * (2 + 3), 4 * (1 + 3), 4 * (0 + 3)]


# ---- 5. found walking the demo -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("worker_a", 200), ("staff", 200), ("leader", 200), ("resident", 404), ("handler", 404)],
)
def test_the_patrol_day_is_for_workers_and_supervisors(world, client_for, persona, status):
    assert client_for(persona).get("/patrols/").status_code == status


def test_the_workers_day_leaves_a_retired_checkpoint_out(world, client_for):
    plan = make_plan(world, starts_on=dt.date(2020, 1, 1))
    first = plan.checkpoints.order_by("position").first()
    assert first is not None
    planning.retire_checkpoint(first, acting_user=world.people.staff)
    page = client_for("worker_a").get("/patrols/").content.decode()
    assert "甲1号楼1单元" not in page and "百姓说事点" in page and "2 个巡查点" in page
    plans = client_for("staff").get("/patrols/plans/").content.decode()
    assert "2 个巡查点" in plans


def test_a_supervisor_without_plans_lands_on_their_area_not_my_rounds(world, client_for):
    plan = make_plan(world, starts_on=dt.date(2020, 1, 1))
    for persona in ("leader", "staff"):
        page = client_for(persona).get("/patrols/compliance/")
        assert page.status_code == 200
        assert page.context["plans"] == [plan]
        assert page.context["subject"] != "我的巡查"
    mine = client_for("worker_a").get("/patrols/compliance/")
    assert mine.context["subject"] == "我的巡查" and mine.context["plans"] == [plan]


def test_days_still_to_come_miss_nothing(world):
    # Found on the demo: on 1 Dec the street's month showed every later day's checkpoints missed.
    plan = make_plan(world, rounds_per_day=2)
    days = [dt.date(2026, 11, 2), dt.date(2026, 11, 3)]  # Mon, Tue: working days
    cells = compliance([plan], days, today=dt.date(2026, 11, 2))
    assert [(c.planned, c.missed) for c in cells] == [(2, 6), (2, 0)]
