"""Read receipts, read rates per target and "told in person", on a hand-built audience.

Building A (grid A, community A): 甲一 … 甲四 living there, 甲五 moved out. Building B (grid B):
乙一. Accounts with the phones of 甲一, 甲二 and 乙一. 甲一 and 乙一 read the notice, grid A's
worker tells 甲三 in person. Hand-counted: community A has 5 living people, 2 read, 1 told.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gridgov.accounts.choices import Role
from gridgov.audit.models import AuditEntry
from gridgov.notices.audience import read_rates
from gridgov.notices.models import NoticeRead, ToldInPerson
from gridgov.registry.choices import PersonStatus
from tests.factories import MembershipFactory, UserFactory
from tests.notices_helpers import notice
from tests.registry_helpers import id_number, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(world):
    def person(building, name, n, **extra):
        return make_person(
            building,
            name,
            phone=f"1390000000{n}",
            id_number=id_number(f"198001{n:02d}"),
            **extra,
        )

    people = {
        "甲一": person(world.building_a, "甲一", 1),
        "甲二": person(world.building_a, "甲二", 2),
        "甲三": person(world.building_a, "甲三", 3),
        "甲四": person(world.building_a, "甲四", 4),
        "甲五": person(world.building_a, "甲五", 5, status=PersonStatus.MOVED_OUT),
        "乙一": person(world.building_b, "乙一", 6),
        "丙一": person(world.building_c, "丙一", 7),
    }
    accounts = {}
    for name, n in (("甲一", 1), ("甲二", 2), ("乙一", 6), ("丙一", 7)):
        user = UserFactory(username=f"r{n}", phone=f"1390000000{n}")
        MembershipFactory(user=user, role=Role.RESIDENT, area=world.community_a)
        accounts[name] = user
    made = notice(
        world.people.staff,
        world.community_a,
        areas=[world.community_a],
        buildings=[world.building_a],
        important=True,
    )
    return people, accounts, made


def test_read_rate_per_target(world, town, client, client_for):
    people, accounts, made = town
    for name in ("甲一", "乙一"):
        client.force_login(accounts[name])
        assert client.get(f"/notices/{made.pk}/").status_code == 200
        client.get(f"/notices/{made.pk}/")  # a second visit adds no receipt
    assert NoticeRead.objects.filter(notice=made).count() == 2
    client_for("worker_a").post(f"/notices/{made.pk}/told/{people['甲三'].pk}/")
    rates = [(r.name, r.kind, r.total, r.read, r.told, r.read_percent) for r in read_rates(made)]
    assert rates == [
        ("河西社区", "residents", 5, 2, 1, 40),
        ("甲1号楼", "residents", 4, 1, 1, 25),
    ]
    page = client_for("staff").get(f"/notices/{made.pk}/rates/").content.decode()
    assert "40%" in page and "60%" in page


def test_grid_worker_sees_who_has_not_read_and_tells_them(world, town, client, client_for):
    people, accounts, made = town
    client.force_login(accounts["甲一"])
    client.get(f"/notices/{made.pk}/")
    client = client_for("worker_a")
    listed = client.get(f"/notices/{made.pk}/unread/").context["people"]
    assert [p.name for p in listed] == ["甲二", "甲三", "甲四"]
    response = client.post(f"/notices/{made.pk}/told/{people['甲三'].pk}/")
    assert response.status_code == 302
    listed = client.get(f"/notices/{made.pk}/unread/").context["people"]
    assert [(p.name, p.was_told) for p in listed] == [
        ("甲二", False),
        ("甲四", False),
        ("甲三", True),
    ]
    assert AuditEntry.objects.filter(action="notice.told_in_person").count() == 1
    # Twice is refused, and a person of another grid is not theirs (not found).
    client.post(f"/notices/{made.pk}/told/{people['甲三'].pk}/")
    assert client.post(f"/notices/{made.pk}/told/{people['乙一'].pk}/").status_code == 404
    assert ToldInPerson.objects.filter(notice=made).count() == 1
    # Someone who has read it cannot be marked told.
    client.post(f"/notices/{made.pk}/told/{people['甲一'].pk}/")
    assert ToldInPerson.objects.filter(notice=made).count() == 1


def test_unread_list_is_for_grid_workers_only(world, town, client_for):
    _people, _accounts, made = town
    assert client_for("worker_a").get(f"/notices/{made.pk}/unread/").status_code == 200
    assert client_for("staff").get(f"/notices/{made.pk}/unread/").status_code == 404
    assert client_for("resident").get(f"/notices/{made.pk}/unread/").status_code == 404


def test_a_resident_is_reached_through_their_registered_home(world, town, client):
    _people, accounts, _made = town
    for_c = notice(world.people.other_staff, world.community_b, buildings=[world.building_c])
    client.force_login(accounts["丙一"])  # registered in building C, account in community A
    assert client.get(f"/notices/{for_c.pk}/").status_code == 200
    client.force_login(accounts["甲一"])
    assert client.get(f"/notices/{for_c.pk}/").status_code == 404


def test_home_page_shows_unread_notices(world, town, client):
    _people, accounts, made = town
    client.force_login(accounts["甲二"])
    page = client.get("/").content.decode()
    assert made.title in page and 'data-testid="home-notices"' in page


def test_list_page_query_count_does_not_grow(world, client_for):
    client = client_for("staff")
    notice(world.people.staff, world.community_a, areas=[world.grid_a])
    client.get("/notices/")  # the session's first request loads more (two-factor, language)
    with CaptureQueriesContext(connection) as one:
        assert client.get("/notices/").status_code == 200
    for n in range(4):
        notice(world.people.staff, world.community_a, areas=[world.grid_b], title=f"通知{n}")
    with CaptureQueriesContext(connection) as five:
        assert len(client.get("/notices/").context["notices"]) == 5
    assert len(five) == len(one)


def test_unread_marks_only_for_the_audience(world, town, client, client_for):
    _people, accounts, made = town
    client.force_login(accounts["甲二"])
    [row] = client.get("/notices/").context["notices"]
    assert (row.for_me, row.is_read) == (True, False)
    client.get(f"/notices/{made.pk}/")
    [row] = client.get("/notices/").context["notices"]
    assert (row.for_me, row.is_read) == (True, True)
    [row] = client_for("staff").get("/notices/").context["notices"]  # its author
    assert row.for_me is False


def test_grid_workers_home_counts_who_has_not_read(world, town, client, client_for):
    _people, accounts, made = town
    client.force_login(accounts["甲一"])
    client.get(f"/notices/{made.pk}/")
    response = client_for("worker_a").get("/")
    [(listed, unread)] = response.context["follow_ups"]
    assert (listed, unread) == (made, 3)  # 甲二, 甲三, 甲四
    [(_listed, unread_b)] = client_for("worker_b").get("/").context["follow_ups"]
    assert unread_b == 1  # 乙一
