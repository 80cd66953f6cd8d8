"""Who sees and moves which notice, written out by hand (persona × notice → yes or no).

Notices (all but `grid_b_draft` published):
- comm_a_residents: by community A's staff, for residents of community A, important;
- street_staff: by the street's leader, for staff of the whole street;
- grid_b_draft: by community A's staff, a draft for residents of grid B;
- building_c: by community B's staff, for residents of building C (grid C).
"Not visible" is 404 for a signed-in user and the login page for an anonymous visitor.
"""

from __future__ import annotations

import pytest

from gridgov.notices.choices import NoticeStatus
from gridgov.notices.models import Notice
from tests.notices_helpers import notice

pytestmark = pytest.mark.django_db

NOTICES = ("comm_a_residents", "street_staff", "grid_b_draft", "building_c")
Y, N = True, False
# fmt: off
VIEW = {
    #               comm_a street grid_b_draft building_c
    "resident":     (Y,     N,     N,           N),
    "worker_a":     (Y,     Y,     N,           N),
    "worker_b":     (Y,     Y,     N,           N),
    "staff":        (Y,     Y,     Y,           N),
    "other_staff":  (N,     Y,     N,           Y),
    "dispatcher":   (N,     Y,     N,           N),
    "handler":      (N,     N,     N,           N),
    "mediator":     (N,     Y,     N,           N),
    "judicial":     (N,     Y,     N,           N),
    "leader":       (Y,     Y,     Y,           Y),
    "sysadmin":     (N,     N,     N,           N),
    "secadmin":     (N,     N,     N,           N),
    "auditadmin":   (N,     N,     N,           N),
    "outsider":     (N,     N,     N,           N),
    "anonymous":    (N,     N,     N,           N),
}
# May publish the draft for grid B (the authors of community A: its staff and the street leader).
PUBLISH_DRAFT = {
    "staff": Y, "leader": Y, "other_staff": N, "worker_b": N, "dispatcher": N, "resident": N,
}
# May withdraw the published notice for community A.
WITHDRAW = {"staff": Y, "leader": Y, "other_staff": N, "worker_a": N, "resident": N, "mediator": N}
# fmt: on


@pytest.fixture
def notices(world):
    p = world.people
    return {
        "comm_a_residents": notice(
            p.staff, world.community_a, areas=[world.community_a], important=True
        ),
        "street_staff": notice(
            p.leader, world.street, areas=[world.street], for_residents=False, for_staff=True
        ),
        "grid_b_draft": notice(p.staff, world.community_a, areas=[world.grid_b], publish=False),
        "building_c": notice(p.other_staff, world.community_b, buildings=[world.building_c]),
    }


@pytest.mark.parametrize("persona", list(VIEW))
def test_view_table(persona, notices, client_for):
    client = client_for(persona)
    for column, expected in zip(NOTICES, VIEW[persona], strict=True):
        response = client.get(f"/notices/{notices[column].pk}/")
        if expected:
            assert response.status_code == 200, (persona, column)
            assert notices[column].title in response.content.decode()
        elif persona == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            assert response.status_code == 404, (persona, column)
    listed = set(client.get("/notices/").context["notices"]) if persona != "anonymous" else set()
    assert {notices[c] for c, ok in zip(NOTICES, VIEW[persona], strict=True) if ok} == listed


@pytest.mark.parametrize(("persona", "allowed"), PUBLISH_DRAFT.items())
def test_publish_draft_table(persona, allowed, notices, client_for):
    draft = notices["grid_b_draft"]
    client_for(persona).post(f"/notices/{draft.pk}/publish/")
    expected = NoticeStatus.PUBLISHED if allowed else NoticeStatus.DRAFT
    assert Notice.objects.get(pk=draft.pk).status == expected


@pytest.mark.parametrize(("persona", "allowed"), WITHDRAW.items())
def test_withdraw_table(persona, allowed, notices, client_for):
    target = notices["comm_a_residents"]
    client_for(persona).post(f"/notices/{target.pk}/withdraw/", {"reason": "内容有误"})
    expected = NoticeStatus.WITHDRAWN if allowed else NoticeStatus.PUBLISHED
    assert Notice.objects.get(pk=target.pk).status == expected


def test_only_authors_write(world, client_for):
    for persona, status in (("staff", 200), ("leader", 200), ("worker_a", 403), ("resident", 403)):
        assert client_for(persona).get("/notices/new/").status_code == status, persona
