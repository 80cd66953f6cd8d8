"""The permission matrix of grid work (issue 10), one hand-written table: every persona ×
(tracks, hazards, talk points, notices) × (in scope: grid A / community A, out of scope: grid C /
community B) × (view, change), through the pages and the REST API.

Codes, written by hand from the rules (docs/architecture.md, "Visibility"), not from the code:
- "C": sees it and may change it;
- "V": sees it, a change is refused (403; the notice page refuses with a message and a redirect);
- "S": sees it, and the change is not theirs to reach at all (404: another worker's round);
- "-": may not see it: 404 for view and change, pages and API alike (never 403).

What "change" means per subject: tracks — post track points to the round (the phone's endpoint;
the API has no track write); hazards — start its rectification (page and API); talk points —
record a session (page and API); notices — withdraw it (page), mark it read (API: every reader
may, so V and C both answer 200).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from gridgov.accounts.choices import Role
from gridgov.audit.models import AuditEntry
from gridgov.hazards import actions as hazard_actions
from gridgov.hazards.models import Hazard
from gridgov.notices.models import Notice
from gridgov.patrols import actions as patrol_actions
from gridgov.patrols.models import PatrolPlan, TrackBatch
from gridgov.registry.models import Unit
from gridgov.talkpoints import actions as talk_actions
from gridgov.talkpoints.models import TalkSession
from tests.factories import MembershipFactory, UserFactory
from tests.notices_helpers import notice
from tests.patrols.helpers import make_plan

pytestmark = pytest.mark.django_db

# fmt: off
#                  track      hazard     talk point  notice
#                  in  out    in  out    in  out     in  out
MATRIX = {
    "outsider":    ("-", "-", "-", "-", "-", "-", "-", "-"),
    "resident":    ("-", "-", "-", "-", "-", "-", "V", "-"),
    "worker_a":    ("C", "-", "C", "-", "C", "-", "V", "-"),
    "worker_b":    ("-", "-", "-", "-", "-", "-", "V", "-"),
    "staff":       ("-", "-", "C", "-", "C", "-", "C", "-"),
    "other_staff": ("-", "-", "-", "C", "-", "C", "-", "C"),
    "dispatcher":  ("-", "-", "V", "V", "V", "V", "-", "-"),
    "handler":     ("-", "-", "-", "-", "-", "-", "-", "-"),
    "mediator":    ("-", "-", "-", "-", "-", "-", "-", "-"),
    "judicial":    ("-", "-", "-", "-", "-", "-", "-", "-"),
    "leader":      ("S", "S", "V", "V", "V", "V", "C", "C"),
    "sysadmin":    ("-", "-", "-", "-", "-", "-", "-", "-"),
    "secadmin":    ("-", "-", "-", "-", "-", "-", "-", "-"),
    "auditadmin":  ("S", "S", "-", "-", "-", "-", "-", "-"),
}
# fmt: on
SUBJECTS = ("track", "hazard", "talk_point", "notice")


@pytest.fixture
def things(world) -> dict[str, Any]:
    """One of each subject in grid A / community A and one in grid C / community B."""
    p = world.people
    worker_c = UserFactory(username="worker_c")
    MembershipFactory(user=worker_c, role=Role.GRID_WORKER, area=world.grid_c)
    rounds = []
    for worker, grid in ((p.worker_a, world.grid_a), (worker_c, world.grid_c)):
        round_ = patrol_actions.start_round(
            plan=make_plan(world, worker=worker, grid=grid), acting_user=worker
        )
        patrol_actions.record_points(
            round_, acting_user=worker, points=[[42.765, 129.405, 1_780_000_000, 5]],
            idempotency_key="first",
        )  # fmt: skip
        rounds.append(round_)
    deadline = timezone.localdate() + dt.timedelta(days=5)
    hazards = [
        hazard_actions.report_hazard(
            acting_user=staff, grid=grid, title="楼道堆物", risk_level="low", deadline=deadline
        )
        for staff, grid in ((p.staff, world.grid_a), (p.other_staff, world.grid_c))
    ]
    points = []
    for staff, building, host in (
        (p.staff, world.building_a, p.worker_a),
        (p.other_staff, world.building_c, worker_c),
    ):
        unit = Unit.objects.create(building=building, number=1)
        points.append(
            talk_actions.open_talk_point(
                acting_user=staff, name="说事点", units=[unit], host=host, schedule="每周六"
            )
        )
    notices = [
        notice(p.staff, world.community_a, areas=[world.community_a], important=True),
        notice(p.other_staff, world.community_b, buildings=[world.building_c]),
    ]
    return {"track": rounds, "hazard": hazards, "talk_point": points, "notice": notices}


def _page_view(subject: str, pk: int) -> str:
    return {
        "track": f"/patrols/rounds/{pk}/track/",
        "hazard": f"/hazards/{pk}/",
        "talk_point": f"/talkpoints/{pk}/",
        "notice": f"/notices/{pk}/",
    }[subject]


def _api_view(subject: str, pk: int) -> str:
    return {
        "track": f"/api/v1/patrol-rounds/{pk}/track/",
        "hazard": f"/api/v1/hazards/{pk}/",
        "talk_point": f"/api/v1/talk-points/{pk}/",
        "notice": f"/api/v1/notices/{pk}/",
    }[subject]


def _changed(subject: str, obj: Any) -> Any:
    """A snapshot of what a change would alter."""
    if subject == "track":
        return TrackBatch.objects.filter(round=obj).count()
    if subject == "hazard":
        return Hazard.objects.get(pk=obj.pk).status
    if subject == "talk_point":
        return TalkSession.objects.filter(talk_point=obj).count()
    return Notice.objects.get(pk=obj.pk).status


def _page_change(client: Any, subject: str, obj: Any, n: int) -> Any:
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    if subject == "track":
        body = {"key": f"page{n}", "points": [[42.7651, 129.4051, 1_780_000_030, 5]]}
        return client.post(
            f"/patrols/rounds/{obj.pk}/points/", body, content_type="application/json"
        )
    if subject == "hazard":
        return client.post(f"/hazards/{obj.pk}/start_rectification/", {"note": ""})
    if subject == "talk_point":
        return client.post(
            f"/talkpoints/{obj.pk}/", {"held_on": yesterday, "attendance": "5", "minutes": "纪要"}
        )
    return client.post(f"/notices/{obj.pk}/withdraw/", {"reason": "有误"})


def _api_change(client: Any, subject: str, obj: Any) -> Any:
    yesterday = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    if subject == "hazard":
        return client.post(f"/api/v1/hazards/{obj.pk}/start_rectification/", {"note": ""})
    if subject == "talk_point":
        return client.post(
            f"/api/v1/talk-points/{obj.pk}/sessions/",
            {"held_on": yesterday, "attendance": 5, "minutes": "纪要"},
        )
    return client.post(f"/api/v1/notices/{obj.pk}/read/")


# What each code answers: (page view, page change, API view, API change) per subject.
PAGE_CHANGE_OK = {"track": 200, "hazard": 302, "talk_point": 302, "notice": 302}
API_CHANGE_OK = {"hazard": 200, "talk_point": 201, "notice": 200}


@pytest.mark.parametrize("persona", sorted(MATRIX))
def test_grid_work_matrix(world, things, client_for, persona):
    client = client_for(persona)
    failures = []
    for column, code in enumerate(MATRIX[persona]):
        subject, scope_index = SUBJECTS[column // 2], column % 2
        obj = things[subject][scope_index]
        where = f"{subject} {'in' if scope_index == 0 else 'out'}"
        sees = code != "-"

        audited = AuditEntry.objects.filter(action="patrol_round.track_viewed").count()
        for url in (_page_view(subject, obj.pk), _api_view(subject, obj.pk)):
            status = client.get(url).status_code
            if status != (200 if sees else 404):
                failures.append(f"{where}: GET {url} gave {status}")
        if subject == "track":
            now = AuditEntry.objects.filter(action="patrol_round.track_viewed").count()
            # The track page is a frame (its points come from track.json); the API read is one.
            if now - audited != (1 if sees else 0):
                failures.append(f"{where}: {now - audited} track reads audited")

        before = _changed(subject, obj)
        page = _page_change(client, subject, obj, column)
        if code == "C":
            expected_page = PAGE_CHANGE_OK[subject]
        elif code == "V":
            expected_page = 302 if subject == "notice" else 403
        else:
            expected_page = 404
        if page.status_code != expected_page:
            failures.append(f"{where}: page change gave {page.status_code}")
        if code != "C" and _changed(subject, obj) != before:
            failures.append(f"{where}: a refused page change changed something")
        if code == "C" and _changed(subject, obj) == before:
            failures.append(f"{where}: the page change changed nothing")

        if subject == "track":
            continue  # the API has no track write
        if subject == "hazard" and code == "C":
            obj.refresh_from_db()  # rectifying now: the API's move is the next one
            answer = client.post(f"/api/v1/hazards/{obj.pk}/mark_rectified/", {"note": "已清理"})
            expected_api = 200
        else:
            answer = _api_change(client, subject, obj)
            if subject == "notice" and code in "CV" and code != "-":
                expected_api = 200
            elif code == "C":
                expected_api = API_CHANGE_OK[subject]
            elif code == "V":
                expected_api = 403
            else:
                expected_api = 404
        if answer.status_code != expected_api:
            failures.append(f"{where}: API change gave {answer.status_code}")
    assert not failures, f"{persona}:\n" + "\n".join(failures)


def test_anonymous_reaches_nothing(world, things, client_for):
    client = client_for("anonymous")
    for subject in SUBJECTS:
        for obj in things[subject]:
            page = client.get(_page_view(subject, obj.pk))
            assert page.status_code == 302 and "/accounts/login/" in page["Location"]
            assert client.get(_api_view(subject, obj.pk)).status_code in (401, 403)
    assert not AuditEntry.objects.filter(action="patrol_round.track_viewed").exists()
    assert PatrolPlan.objects.count() == 2
