"""The notice API: what reaches a resident and a staff member, unread marks, the read mark,
flat query counts, and 404 for what the caller may not see."""

from __future__ import annotations

import pytest

from gridgov.notices.models import NoticeRead
from tests.notices_helpers import notice

pytestmark = pytest.mark.django_db


@pytest.fixture
def notices(world):
    p = world.people
    return {
        "residents_a": notice(
            p.staff, world.community_a, areas=[world.community_a], important=True
        ),
        "staff_street": notice(
            p.leader, world.street, areas=[world.street], for_residents=False, for_staff=True
        ),
        "draft_a": notice(p.staff, world.community_a, areas=[world.grid_b], publish=False),
        "building_c": notice(p.other_staff, world.community_b, buildings=[world.building_c]),
    }


def _titles(response) -> list[int]:
    return sorted(row["id"] for row in response.json()["results"])


def test_a_resident_sees_their_notices_and_marks_one_read(world, notices, client_for):
    client = client_for("resident")
    mine = notices["residents_a"]
    rows = client.get("/api/v1/notices/").json()["results"]
    assert [(r["id"], r["for_me"], r["is_read"]) for r in rows] == [(mine.pk, True, False)]
    assert client.get("/api/v1/notices/?unread=true").json()["count"] == 1
    detail = client.get(f"/api/v1/notices/{mine.pk}/")
    assert detail.json()["body"] == "<p>请各位居民注意。</p>"
    assert not NoticeRead.objects.exists()  # reading the API detail is not a receipt
    first = client.post(f"/api/v1/notices/{mine.pk}/read/")
    assert first.json() == {"read": True, "new": True}
    assert client.post(f"/api/v1/notices/{mine.pk}/read/").json() == {"read": True, "new": False}
    assert NoticeRead.objects.get().user == world.people.resident
    assert client.get("/api/v1/notices/?unread=true").json()["count"] == 0
    for other in ("staff_street", "draft_a", "building_c"):
        assert client.get(f"/api/v1/notices/{notices[other].pk}/").status_code == 404
        assert client.post(f"/api/v1/notices/{notices[other].pk}/read/").status_code == 404
    assert NoticeRead.objects.count() == 1


def test_staff_see_what_reaches_them_and_what_they_write(world, notices, client_for):
    assert _titles(client_for("staff").get("/api/v1/notices/")) == sorted(
        [notices["residents_a"].pk, notices["staff_street"].pk, notices["draft_a"].pk]
    )
    assert _titles(client_for("dispatcher").get("/api/v1/notices/")) == [notices["staff_street"].pk]
    assert _titles(client_for("handler").get("/api/v1/notices/")) == []
    # The author reads back their own notice; that is no receipt (they are not its audience).
    author = client_for("staff").post(f"/api/v1/notices/{notices['residents_a'].pk}/read/")
    assert author.json() == {"read": False, "new": False}
    drafts = client_for("staff").get("/api/v1/notices/?status=draft").json()["results"]
    assert [row["id"] for row in drafts] == [notices["draft_a"].pk]


def test_the_list_is_flat_in_queries(world, client_for, django_assert_max_num_queries):
    p = world.people
    notice(p.staff, world.community_a, areas=[world.community_a])
    client = client_for("resident")
    with django_assert_max_num_queries(10) as few:
        assert client.get("/api/v1/notices/").json()["count"] == 1
    for n in range(6):
        notice(p.staff, world.community_a, areas=[world.community_a], title=f"通知{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/api/v1/notices/").json()["count"] == 7
