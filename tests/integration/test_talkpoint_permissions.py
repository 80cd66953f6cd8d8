"""Permission matrix of the talk-point pages, with hand-written expectations (style.md §13).

The talk point is in grid A (community A). Every denial must change nothing.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gridgov.cases.models import Case
from gridgov.registry.models import Unit
from gridgov.talkpoints import actions
from gridgov.talkpoints.models import TalkPoint, TalkSession

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "outsider",
    "resident",
    "worker_a",
    "worker_b",
    "staff",
    "other_staff",
    "dispatcher",
    "handler",
    "mediator",
    "judicial",
    "leader",
    "sysadmin",
    "secadmin",
    "auditadmin",
]

# persona: (list, detail, record a session, raise an issue, open form for grid A, close)
# 200/302 = allowed, 403 = may see but not do, 404 = may not see, "login" = sent to sign in.
MATRIX = {
    "anonymous": ("login", "login", "login", "login", "login", "login"),
    "outsider": (403, 404, 404, 404, 403, 404),
    "resident": (403, 404, 404, 404, 403, 404),
    "worker_a": (200, 200, 302, 302, 403, 403),
    "worker_b": (200, 404, 404, 404, 403, 404),
    "staff": (200, 200, 302, 302, 200, 302),
    "other_staff": (200, 404, 404, 404, 404, 404),
    "dispatcher": (200, 200, 403, 403, 403, 403),
    "handler": (403, 404, 404, 404, 403, 404),
    "mediator": (403, 404, 404, 404, 403, 404),
    "judicial": (403, 404, 404, 404, 403, 404),
    "leader": (200, 200, 403, 403, 403, 403),
    "sysadmin": (403, 404, 404, 404, 403, 404),
    "secadmin": (403, 404, 404, 404, 403, 404),
    "auditadmin": (403, 404, 404, 404, 403, 404),
}


@pytest.fixture
def place(world):
    units = [Unit.objects.create(building=world.building_a, number=n) for n in (1, 2)]
    point = actions.open_talk_point(
        acting_user=world.people.staff,
        name="甲1号楼说事点",
        units=units,
        host=world.people.worker_a,
        schedule="每周六 9:00",
    )
    session = actions.record_session(
        point,
        acting_user=world.people.worker_a,
        held_on=timezone.localdate() - dt.timedelta(days=2),
        attendance=9,
        minutes="纪要",
    )
    return point, session, units


def _status(response) -> int | str:
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    return response.status_code


def _state():
    return (
        TalkSession.objects.count(),
        Case.objects.count(),
        TalkPoint.objects.filter(is_active=True).count(),
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_talk_point_permission_matrix(world, place, client_for, persona):
    point, session, units = place
    client = client_for(persona)
    want = MATRIX[persona]
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()

    assert _status(client.get("/talkpoints/")) == want[0]
    assert _status(client.get(f"/talkpoints/{point.pk}/")) == want[1]

    before = _state()
    answer = client.post(
        f"/talkpoints/{point.pk}/", {"held_on": yesterday, "attendance": "7", "minutes": "m"}
    )
    assert _status(answer) == want[2]
    assert TalkSession.objects.count() == before[0] + (1 if want[2] == 302 else 0)

    before = _state()
    answer = client.post(
        f"/talkpoints/sessions/{session.pk}/",
        {"title": "门禁损坏", "description": "门禁坏了", "unit": str(units[0].pk)},
    )
    assert _status(answer) == want[3]
    assert Case.objects.count() == before[1] + (1 if want[3] == 302 else 0)

    assert _status(client.get(f"/talkpoints/new/?grid={world.grid_a.code}")) == want[4]

    before = _state()
    answer = client.post(f"/talkpoints/{point.pk}/close/")
    assert _status(answer) == want[5]
    assert TalkPoint.objects.filter(is_active=True).count() == before[2] - (
        1 if want[5] == 302 else 0
    )
