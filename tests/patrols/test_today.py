"""The grid worker's home "today" card (issue 10): open hazards overdue first, cases waiting,
unread important notices, residents to visit; one tap to act; a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gridgov.cases.actions.intake import create_case
from gridgov.cases.choices import Channel
from gridgov.cases.models import Case
from gridgov.hazards.actions import report_hazard
from gridgov.hazards.models import Hazard, HazardSite
from gridgov.notices.models import NoticeRead
from gridgov.patrols import actions
from gridgov.patrols.models import Round, RoundRecordUpdate
from gridgov.registry.choices import PersonStatus, SpecialGroup
from gridgov.registry.models import NeedToKnowGrant, Person, SpecialGroupRecord
from tests.cases_helpers import drive
from tests.notices_helpers import notice
from tests.patrols.helpers import make_plan
from tests.registry_helpers import house_in, make_person

pytestmark = pytest.mark.django_db


def _hazard(world, grid, title, days, status_update=None):
    hazard = report_hazard(
        acting_user=world.people.staff,
        grid=grid,
        title=title,
        risk_level="medium",
        deadline=timezone.localdate() + dt.timedelta(days=max(days, 0)),
    )
    if days < 0:  # the deadline has passed since (rows written directly to travel in time)
        Hazard.objects.filter(pk=hazard.pk).update(
            deadline=timezone.localdate() + dt.timedelta(days=days)
        )
    if status_update:
        Hazard.objects.filter(pk=hazard.pk).update(status=status_update)
    return hazard


def _case(world, title, building):
    return create_case(
        acting_user=world.people.staff,
        channel=Channel.HOTLINE,
        title=title,
        description=title,
        building=building,
    )


def _resident(world, name, group, *, days_since_update, status=PersonStatus.LIVING, unit=1):
    person = make_person(world.building_a, name=name, house=house_in(world.building_a, unit))
    record = SpecialGroupRecord(person=person, group=group)
    record.details = {}
    record.save()
    then = timezone.now() - dt.timedelta(days=days_since_update)
    Person.objects.filter(pk=person.pk).update(updated_at=then, status=status)
    SpecialGroupRecord.objects.filter(pk=record.pk).update(updated_at=then)
    return person


def _fill(world, n: int):
    """n of each thing that shows on the card, in grid A (and as much noise in grid B)."""
    for i in range(n):
        _hazard(world, world.grid_a, f"隐患{i}", 10 + i)
        _hazard(world, world.grid_b, f"乙区隐患{i}", 3)
        _case(world, f"甲区案件{i}", world.building_a)
        _case(world, f"乙区案件{i}", world.building_b)
        notice(
            world.people.staff,
            world.community_a,
            title=f"通知{i}",
            important=True,
            for_staff=True,
            areas=[world.community_a],
        )
        _resident(world, f"赵{i}", SpecialGroup.ELDERLY_ALONE, days_since_update=60, unit=10 + i)


@pytest.fixture
def grant(world):
    return NeedToKnowGrant.objects.create(
        user=world.people.worker_a,
        group=SpecialGroup.ELDERLY_ALONE,
        area=world.grid_a,
        reason="走访",
    )


def test_the_card_lists_what_waits_for_the_worker(world, client_for, grant):
    make_plan(world, starts_on=dt.date(2020, 1, 1))
    late = _hazard(world, world.grid_a, "消防通道堵塞", -2)
    _hazard(world, world.grid_a, "电线老化", 5)
    _hazard(world, world.grid_a, "已整改隐患", 5, status_update="rectified")  # not open
    _hazard(world, world.grid_b, "乙区隐患", 1)  # another grid
    _case(world, "路灯不亮", world.building_a)  # submitted in grid A: waiting
    accepted = drive(world, _case(world, "垃圾堆放", world.building_a), "accepted")
    assert accepted.status == "accepted"
    escalated = drive(world, _case(world, "井盖破损", world.building_a), "escalated")
    assert escalated.status == "escalated"  # with the street: not waiting for the worker
    _case(world, "乙区路灯", world.building_b)  # grid B
    unread = notice(
        world.people.staff,
        world.community_a,
        title="防汛紧急通知",
        important=True,
        for_staff=True,
        areas=[world.community_a],
    )
    read = notice(
        world.people.staff,
        world.community_a,
        title="已读重要通知",
        important=True,
        for_staff=True,
        areas=[world.community_a],
    )
    NoticeRead.objects.create(notice=read, user=world.people.worker_a)
    notice(
        world.people.staff,
        world.community_a,
        title="普通通知",
        for_staff=True,
        areas=[world.community_a],
    )
    due = _resident(world, "孙大爷", SpecialGroup.ELDERLY_ALONE, days_since_update=45, unit=2)
    _resident(world, "钱奶奶", SpecialGroup.ELDERLY_ALONE, days_since_update=10, unit=3)
    visited = _resident(world, "周大娘", SpecialGroup.ELDERLY_ALONE, days_since_update=45, unit=4)
    _resident(world, "吴某", SpecialGroup.DISABLED, days_since_update=45, unit=5)  # no grant
    _resident(
        world,
        "郑某",
        SpecialGroup.ELDERLY_ALONE,
        days_since_update=45,
        unit=6,
        status=PersonStatus.DECEASED,
    )
    # 周大娘's e-file was updated on a round five days ago: a visit.
    plan = make_plan(world, starts_on=dt.date(2020, 1, 1))
    round_ = actions.start_round(plan=plan, acting_user=world.people.worker_a)
    RoundRecordUpdate.objects.create(round=round_, person=visited, audit_action="x")
    RoundRecordUpdate.objects.filter(person=visited).update(
        at=timezone.now() - dt.timedelta(days=5)
    )

    response = client_for("worker_a").get("/")
    card = response.context["patrol_today"]
    assert [h.title for h in card["hazards"]] == ["消防通道堵塞", "电线老化"]
    assert card["hazard_count"] == 2
    assert sorted(c.title for c in card["waiting_cases"]) == ["垃圾堆放", "路灯不亮"]
    assert card["waiting_case_count"] == 2
    assert [n.pk for n in card["notices"]] == [unread.pk]
    assert [r.person_id for r in card["visits"]] == [due.pk] and card["visit_count"] == 1
    page = response.content.decode()
    # Overdue in red, each with its one tap.
    assert (
        'data-testid="hazard-overdue"' in page and page.count('data-testid="hazard-overdue"') == 1
    )
    assert reverse("hazards:detail", args=[late.pk]) in page
    assert (
        reverse("registry:person", args=[due.pk]) in page
        and "孙**" in page
        and "孙大爷" not in page
    )
    assert reverse("notices:detail", args=[unread.pk]) in page
    # A round is open: the finding goes to the round page.
    assert reverse("patrols:round", args=[round_.pk]) + "#finding" in page


def test_the_home_page_query_count_does_not_grow_with_the_grid(world, client_for, grant):
    make_plan(world, starts_on=dt.date(2020, 1, 1))
    client = client_for("worker_a")
    # Three of each: the notices tag's follow-up list (three at most) is already full.
    _fill(world, 3)
    client.get("/")
    with CaptureQueriesContext(connection) as few:
        small = client.get("/")
    _fill(world, 12)
    with CaptureQueriesContext(connection) as many:
        big = client.get("/")
    assert small.context["patrol_today"]["hazard_count"] == 3
    assert big.context["patrol_today"]["hazard_count"] == 15
    assert big.context["patrol_today"]["visit_count"] == 15
    assert big.context["patrol_today"]["waiting_case_count"] == 15
    assert len(big.context["patrol_today"]["visits"]) == 5  # the card shows five
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(many.captured_queries) <= 45


def test_one_tap_reports_a_finding_with_channel_patrol_in_the_grids_community(world, client_for):
    from tests.media_helpers import photo_as

    make_plan(world, starts_on=dt.date(2020, 1, 1))
    client = client_for("worker_a")
    home = client.get("/").content.decode()
    url = reverse("patrols:quick-finding")
    assert url in home
    form = client.get(url)
    page = form.content.decode()
    # Photo first: the photo input comes before the description.
    assert page.index('data-testid="quick-photo"') < page.index('name="description"')
    key = form.context["values"]["key"]
    data = {"kind": "case", "description": "路面塌陷", "grid": world.grid_a.pk, "key": key}
    first = client.post(url, {**data, "photo": photo_as("JPEG")})
    again = client.post(url, {**data, "photo": photo_as("JPEG")})  # a double tap
    assert first.status_code == 302 and again.status_code == 302
    case = Case.objects.get()
    assert case.channel == Channel.PATROL and case.community_id == world.community_a.pk
    assert first["Location"] == again["Location"] == reverse("cases:detail", args=[case.number])
    hazard = client.post(
        url, {"kind": "hazard", "description": "广告牌松动", "risk_level": "major", "key": "x"}
    )
    assert hazard.status_code == 302
    made = Hazard.objects.get()
    assert made.grid_id == world.grid_a.pk and made.status == "found"
    assert made.deadline == timezone.localdate() + dt.timedelta(days=3)  # major: 3 days
    bad = client.post(url, {"kind": "hazard", "description": "", "risk_level": "major"})
    assert bad.status_code == 400 and Hazard.objects.count() == 1
    assert client_for("staff").get(url).status_code == 404  # not a grid worker
    assert not Round.objects.exists()
    assert HazardSite.objects.count() == 0


def test_one_tap_hazard_keeps_the_phones_position_inside_the_grid(world, client_for):
    make_plan(world, starts_on=dt.date(2020, 1, 1))
    client = client_for("worker_a")
    url = reverse("patrols:quick-finding")
    page = client.get(url).content.decode()
    assert 'data-testid="use-location"' in page and 'name="lat"' in page
    base = {"kind": "hazard", "description": "广告牌松动", "risk_level": "major"}
    inside = {**base, "lat": "42.7641", "lon": "129.4022", "key": "p-1"}
    across = {**base, "lat": "42.7641", "lon": "129.4122", "key": "p-2"}  # in grid B
    assert client.post(url, inside).status_code == 302
    assert client.post(url, across).status_code == 302
    kept, dropped = Hazard.objects.order_by("pk")
    assert (kept.lon, kept.lat) == (129.4022, 42.7641)
    assert (dropped.lon, dropped.lat) == (None, None) and dropped.grid_id == world.grid_a.pk
