"""Issue 10, the links between patrols and the rest: checkpoints linked to what they are, a site
inspection at a hazard-site checkpoint, a finding as a hazard (new or an update of an open one),
e-file updates made during a round. Expectations are written by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gridgov.audit.models import AuditEntry
from gridgov.hazards import actions as hazard_actions
from gridgov.hazards.choices import HazardEventKind, HazardStatus
from gridgov.hazards.models import Hazard, HazardEvent, HazardPhoto, HazardSite, Inspection
from gridgov.lifecycle import IllegalMove
from gridgov.patrols import actions
from gridgov.patrols.checkpoints import add_checkpoint
from gridgov.patrols.choices import CheckInMethod, CheckpointKind
from gridgov.patrols.models import (
    HazardFinding,
    PatrolPlan,
    RoundEvent,
    RoundInspection,
    RoundRecordUpdate,
)
from gridgov.registry.models import Unit
from gridgov.talkpoints.actions import open_talk_point
from tests.media_helpers import photo_as
from tests.registry_helpers import make_person

pytestmark = pytest.mark.django_db


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
def plan(world):
    return PatrolPlan.objects.create(
        worker=world.people.worker_a, grid=world.grid_a, starts_on=dt.date(2026, 1, 1)
    )


@pytest.fixture
def walking(world, plan, site):
    add_checkpoint(plan, kind=CheckpointKind.HAZARD_SITE, hazard_site=site, radius_m=30)
    return actions.start_round(plan=plan, acting_user=world.people.worker_a, idempotency_key="r")


# ---- 1. checkpoints ---------------------------------------------------------------------------


def test_checkpoints_take_their_place_from_what_they_are(world, plan, site):
    unit = Unit.objects.create(building=world.building_a, number=2)
    point = open_talk_point(
        acting_user=world.people.staff,
        name="甲1号楼说事点",
        units=[unit],
        host=world.people.worker_a,
        schedule="每周六 9:00",
    )
    at_unit = add_checkpoint(plan, kind=CheckpointKind.UNIT, unit=unit)
    at_talk = add_checkpoint(plan, kind=CheckpointKind.TALK_POINT, talk_point=point)
    at_site = add_checkpoint(plan, kind=CheckpointKind.HAZARD_SITE, hazard_site=site)
    # building_a stands at 42.765, 129.405 (tests/conftest.py); the site at 42.7661, 129.4071.
    assert (at_unit.lat, at_unit.lon, at_unit.unit_id) == (42.765, 129.405, unit.pk)
    assert (at_talk.lat, at_talk.lon, at_talk.talk_point_id) == (42.765, 129.405, point.pk)
    assert (at_site.lat, at_site.lon, at_site.hazard_site_id) == (42.7661, 129.4071, site.pk)
    assert at_site.name == "3号楼电动车充电点" and at_talk.name == "甲1号楼说事点"
    assert [at_unit.position, at_talk.position, at_site.position] == [0, 1, 2]
    # Explicit coordinates win over the target's.
    moved = add_checkpoint(
        plan, kind=CheckpointKind.HAZARD_SITE, hazard_site=site, lat=42.7662, lon=129.4072
    )
    assert (moved.lat, moved.lon) == (42.7662, 129.4072)


def test_a_checkpoint_links_exactly_one_target_of_its_kind_in_the_grid(world, plan, site):
    unit = Unit.objects.create(building=world.building_a, number=3)
    other_grid_site = HazardSite.objects.create(
        name="乙区河堤", kind="river_dam", grid=world.grid_b, responsible_party="水务", lat=1, lon=1
    )
    refused = [
        {"kind": CheckpointKind.UNIT, "hazard_site": site},  # wrong kind
        {"kind": CheckpointKind.UNIT},  # no target
        {"kind": CheckpointKind.UNIT, "unit": unit, "hazard_site": site},  # two targets
        {"kind": CheckpointKind.OTHER, "unit": unit},
        {"kind": CheckpointKind.HAZARD_SITE, "hazard_site": other_grid_site},  # other grid
        {"kind": CheckpointKind.OTHER, "name": "路口"},  # no position
    ]
    for options in refused:
        with pytest.raises(IllegalMove):
            add_checkpoint(plan, **options)
    assert plan.checkpoints.count() == 0
    # The database says the same about the kind.
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        plan.checkpoints.create(kind=CheckpointKind.UNIT, name="x", lat=1, lon=1, hazard_site=site)


# ---- inspections at a hazard-site checkpoint --------------------------------------------------


def test_an_inspection_at_a_checked_in_site_is_linked_and_replays_once(world, walking, site):
    worker = world.people.worker_a
    checkpoint = walking.plan.checkpoints.get()
    with pytest.raises(IllegalMove):  # not checked in yet
        actions.inspect_at_checkpoint(
            walking,
            acting_user=worker,
            checkpoint_id=checkpoint.pk,
            result="ok",
            idempotency_key="i",
        )
    actions.check_in(
        walking,
        acting_user=worker,
        method=CheckInMethod.GPS,
        checkpoint_id=checkpoint.pk,
        lat=42.7661,
        lon=129.4071,
    )
    for _ in range(2):  # the offline queue resends
        actions.inspect_at_checkpoint(
            walking,
            acting_user=worker,
            checkpoint_id=checkpoint.pk,
            result="ok",
            idempotency_key="i",
        )
    inspection = Inspection.objects.get()
    assert inspection.site_id == site.pk and inspection.result == "ok"
    assert RoundInspection.objects.get().round_id == walking.pk
    site.refresh_from_db()
    # The site's interval is 30 days: the next inspection falls due 30 days after this one.
    assert site.next_inspection_at - inspection.inspected_at == dt.timedelta(days=30)
    assert RoundEvent.objects.filter(round=walking, kind="site_inspected").count() == 1
    assert AuditEntry.objects.filter(action="hazard.site_inspected").count() == 1
    assert AuditEntry.objects.filter(action="patrol_round.site_inspected").count() == 1


def test_the_round_page_offers_an_inspection_at_a_hazard_site(world, walking, client_for):
    page = client_for("worker_a").get(reverse("patrols:round", args=[walking.pk]))
    text = page.content.decode()
    assert 'data-form="inspect"' in text and "3号楼电动车充电点" in text


# ---- 2. a finding as a hazard -----------------------------------------------------------------


def test_a_hazard_finding_is_found_linked_with_a_deadline_by_risk_and_replays_once(
    world, walking, site, client_for
):
    worker = client_for("worker_a")
    url = reverse("patrols:hazard-finding", args=[walking.pk])
    data = {
        "description": "充电点插座烧焦",
        "risk_level": "high",
        "site": str(site.pk),
        "key": "h-1",
    }
    first = worker.post(url, {**data, "photo": photo_as("JPEG")})
    again = worker.post(url, {**data, "photo": photo_as("JPEG")})  # the queue resends
    assert first.status_code == 200 and again.status_code == 200
    assert first.json()["hazard"] == again.json()["hazard"]
    hazard = Hazard.objects.get()
    assert hazard.status == HazardStatus.FOUND and hazard.site_id == site.pk
    assert hazard.grid_id == world.grid_a.pk and hazard.risk_level == "high"
    # High risk: 7 days (settings.PATROL_HAZARD_DEADLINE_DAYS).
    assert hazard.deadline == timezone.localdate() + dt.timedelta(days=7)
    assert HazardPhoto.objects.filter(hazard=hazard).count() == 1
    link = HazardFinding.objects.get()
    assert (link.round_id, link.hazard_id, link.kind) == (walking.pk, hazard.pk, "found")
    assert AuditEntry.objects.filter(action="hazard.reported").count() == 1
    assert AuditEntry.objects.filter(action="patrol_round.hazard_reported").count() == 1
    page = worker.get(reverse("patrols:round", args=[walking.pk])).content.decode()
    assert hazard.number in page and "充电点插座烧焦" in page


def test_a_free_place_hazard_and_the_low_risk_deadline(world, walking):
    hazard = actions.report_hazard_finding(
        walking,
        acting_user=world.people.worker_a,
        title="井盖缺失",
        risk_level="low",
        address="文化路与新华路口",
        idempotency_key="h-2",
    )
    assert hazard.site_id is None and hazard.address == "文化路与新华路口"
    assert hazard.deadline == timezone.localdate() + dt.timedelta(days=30)


def test_bad_hazard_findings_are_refused_and_nothing_is_made(world, walking, client_for):
    url = reverse("patrols:hazard-finding", args=[walking.pk])
    worker = client_for("worker_a")
    cases = [
        ({"description": "x", "risk_level": "extreme", "address": "路口", "key": "a"}, 409),
        ({"description": "x", "risk_level": "low", "key": "b"}, 409),  # no place at all
        ({"description": "x", "risk_level": "low", "site": "999999", "key": "c"}, 409),
        ({"description": "x", "risk_level": "low", "address": "路口", "deadline": "x"}, 400),
    ]
    for data, status in cases:
        response = worker.post(url, data)
        assert response.status_code == status and response.json()["error"]
    # Another worker cannot post on this round at all.
    assert client_for("worker_b").post(url, cases[0][0]).status_code == 404
    assert not Hazard.objects.exists() and not HazardFinding.objects.exists()


def test_a_finding_updates_an_open_hazard_with_a_note_and_photo_event(world, walking, client_for):
    open_hazard = hazard_actions.report_hazard(
        acting_user=world.people.staff,
        grid=world.grid_a,
        title="楼道堆物",
        risk_level="medium",
        deadline=timezone.localdate() + dt.timedelta(days=5),
    )
    url = reverse("patrols:hazard-update", args=[walking.pk])
    worker = client_for("worker_a")
    data = {"hazard": str(open_hazard.pk), "description": "仍未清理", "key": "u-1"}
    assert worker.post(url, {**data, "photo": photo_as("JPEG")}).status_code == 200
    assert worker.post(url, {**data, "photo": photo_as("JPEG")}).status_code == 200
    noted = HazardEvent.objects.filter(hazard=open_hazard, kind=HazardEventKind.NOTED)
    assert noted.count() == 1 and noted.get().note == "仍未清理"
    assert HazardPhoto.objects.filter(hazard=open_hazard).count() == 1
    open_hazard.refresh_from_db()
    assert open_hazard.status == HazardStatus.FOUND  # a note is not a move
    assert HazardFinding.objects.get().kind == "updated"
    assert AuditEntry.objects.filter(action="hazard.noted").count() == 1
    # A hazard of another grid is refused.
    elsewhere = hazard_actions.report_hazard(
        acting_user=world.people.staff,
        grid=world.grid_b,
        title="乙区堆物",
        risk_level="low",
        deadline=timezone.localdate() + dt.timedelta(days=5),
    )
    refused = worker.post(url, {"hazard": str(elsewhere.pk), "description": "x", "key": "u-2"})
    assert refused.status_code == 409
    assert HazardFinding.objects.count() == 1


# ---- 3. e-file updates during a round ---------------------------------------------------------


def _edit(client, person, **changes):
    url = reverse("registry:person-edit", args=[person.pk])
    data = {name: value or "" for name, value in client.get(url).context["form"].initial.items()}
    data.update(changes)
    return client.post(url, data)


def test_e_file_updates_during_a_round_are_linked_once_and_listed_masked(
    world, walking, client_for
):
    # The ID number of make_person says born 1980-01-01; the page keeps birth date and ID agreeing.
    person = make_person(
        world.building_a, name="王小明", phone="13912345678", birth_date=dt.date(1980, 1, 1)
    )
    worker = client_for("worker_a")
    assert _edit(worker, person, phone="13700002222").status_code == 302
    # The same post again (a double tap) changes nothing, so it links nothing.
    assert _edit(worker, person, phone="13700002222").status_code == 302
    link = RoundRecordUpdate.objects.get()
    assert (link.round_id, link.person_id, link.fields) == (walking.pk, person.pk, ["phone"])
    assert link.audit_action == "registry.person.update"
    page = worker.get(reverse("patrols:round", args=[walking.pk])).content.decode()
    assert "王**" in page and "王小明" not in page and "13700002222" not in page
    # Staff editing the same person is not on a round: nothing is linked.
    assert _edit(client_for("staff"), person, phone="13700003333").status_code == 302
    assert RoundRecordUpdate.objects.count() == 1


def test_no_link_without_an_open_round(world, plan, client_for):
    person = make_person(world.building_a, name="李四", phone="13912345678")
    assert _edit(client_for("worker_a"), person, phone="13700002222").status_code == 302
    assert not RoundRecordUpdate.objects.exists()


def test_a_round_finding_keeps_the_phones_position_inside_the_grid(world, walking, client_for):
    worker = client_for("worker_a")
    url = reverse("patrols:hazard-finding", args=[walking.pk])
    base = {"description": "井盖松动", "risk_level": "low", "address": "文化路"}
    inside = worker.post(url, {**base, "lat": "42.7655", "lon": "129.4033", "key": "g-1"})
    # Across the boundary in grid B: the hazard still goes in, without the stray fix.
    across = worker.post(url, {**base, "lat": "42.7655", "lon": "129.4150", "key": "g-2"})
    assert inside.status_code == 200 and across.status_code == 200
    first = Hazard.objects.get(pk=int(inside.json()["hazard"][2:]))
    second = Hazard.objects.get(pk=int(across.json()["hazard"][2:]))
    assert (first.lon, first.lat) == (129.4033, 42.7655)
    assert (second.lon, second.lat) == (None, None) and second.grid == world.grid_a
