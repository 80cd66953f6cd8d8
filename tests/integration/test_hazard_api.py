"""The hazard API: scoped lists with filters and flat query counts, report, the lifecycle
moves as generated routes (each with an event and an audit row), sites, bad input."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gridgov.audit.models import AuditEntry
from gridgov.hazards import actions
from gridgov.hazards.models import Hazard, HazardEvent, HazardSite

pytestmark = pytest.mark.django_db


def _hazard(world, grid=None, reporter=None, **extra) -> Hazard:
    data = {
        "title": "电动车楼道充电",
        "risk_level": "high",
        "deadline": timezone.localdate() + dt.timedelta(days=3),
    }
    data.update(extra)
    return actions.report_hazard(
        acting_user=reporter or world.people.staff, grid=grid or world.grid_a, **data
    )


def _ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_the_list_is_scoped_filtered_and_flat_in_queries(
    world, client_for, django_assert_max_num_queries
):
    mine = [_hazard(world, risk_level=level) for level in ("low", "high", "major")]
    other = _hazard(world, grid=world.grid_c, reporter=world.people.other_staff)
    client = client_for("worker_a")
    with django_assert_max_num_queries(10) as few:
        assert _ids(client.get("/api/v1/hazards/")) == {h.pk for h in mine}
    for n in range(6):
        _hazard(world, title=f"隐患{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/v1/hazards/").json()["results"]) == 9
    assert _ids(client.get("/api/v1/hazards/?risk_level=major")) == {mine[2].pk}
    assert _ids(client.get(f"/api/v1/hazards/?grid={world.grid_c.code}")) == set()
    assert other.pk in _ids(client_for("leader").get(f"/api/v1/hazards/?grid={world.grid_c.code}"))
    assert client.get(f"/api/v1/hazards/{other.pk}/").status_code == 404


def test_overdue_filter(world, client_for):
    late = _hazard(world)
    Hazard.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    on_time = _hazard(world)
    client = client_for("staff")
    assert _ids(client.get("/api/v1/hazards/?overdue=true")) == {late.pk}
    assert _ids(client.get("/api/v1/hazards/?overdue=false")) == {on_time.pk}


def test_report_through_the_api(world, client_for):
    deadline = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    body = {
        "grid": world.grid_a.code,
        "title": "私拉电线",
        "risk_level": "low",
        "deadline": deadline,
    }
    answer = client_for("worker_a").post("/api/v1/hazards/", body)
    assert answer.status_code == 201, answer.content
    made = Hazard.objects.get()
    assert answer.json()["number"] == made.number
    assert answer.json()["status"] == "found"
    assert made.grid == world.grid_a and made.reported_by == world.people.worker_a
    assert AuditEntry.objects.filter(action="hazard.reported", object_id=str(made.pk)).count() == 1
    # "start_rectification" and "escalate" are the reporter's next moves.
    assert set(answer.json()["actions"]) == {"start_rectification", "escalate"}


@pytest.mark.parametrize(
    ("persona", "grid", "field", "status"),
    [
        ("worker_a", "grid_c", "grid", 400),  # a grid they cannot see: a field error
        ("worker_b", "grid_a", None, 403),  # a grid they see? no: grid A is not worker_b's
        ("dispatcher", "grid_a", None, 403),  # sees grid A but keeps no register
    ],
)
def test_report_outside_the_register_is_refused_and_makes_nothing(
    world, client_for, persona, grid, field, status
):
    body = {
        "grid": getattr(world, grid).code,
        "title": "私拉电线",
        "risk_level": "low",
        "deadline": (timezone.localdate() + dt.timedelta(days=7)).isoformat(),
    }
    answer = client_for(persona).post("/api/v1/hazards/", body)
    if persona == "worker_b":
        # Worker B cannot see grid A at all, so it is an unknown grid (400), not a 403.
        status, field = 400, "grid"
    assert answer.status_code == status
    if field:
        assert field in answer.json()
    assert not Hazard.objects.exists()


def test_bad_input_is_a_localized_field_error(world, client_for):
    body = {"grid": world.grid_a.code, "title": "", "risk_level": "extreme", "deadline": "x"}
    answer = client_for("worker_a").post("/api/v1/hazards/", body)
    assert answer.status_code == 400
    assert set(answer.json()) == {"title", "risk_level", "deadline"}
    assert "不能为空" in answer.json()["title"][0]  # zh-Hans by default
    past = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    answer = client_for("worker_a").post(
        "/api/v1/hazards/",
        {"grid": world.grid_a.code, "title": "t", "risk_level": "low", "deadline": past},
    )
    assert answer.status_code == 400
    assert answer.json()["detail"] == "整改期限不能早于今天。"
    assert not Hazard.objects.exists()


def test_the_life_through_the_generated_routes(world, client_for):
    hazard = _hazard(world)
    worker, staff = client_for("worker_a"), client_for("staff")
    assert worker.post(f"/api/v1/hazards/{hazard.pk}/start_rectification/").json()["status"] == (
        "rectifying"
    )
    answer = staff.post(f"/api/v1/hazards/{hazard.pk}/mark_rectified/", {"note": "已清理"})
    assert answer.status_code == 200 and answer.json()["status"] == "rectified"
    # Verifying is the community staff's: the grid worker is refused (403), nothing changed.
    assert worker.post(f"/api/v1/hazards/{hazard.pk}/verify/").status_code == 403
    # rework needs a reason: 400, nothing changed.
    assert staff.post(f"/api/v1/hazards/{hazard.pk}/rework/", {}).status_code == 400
    assert Hazard.objects.get().status == "rectified"
    answer = staff.post(f"/api/v1/hazards/{hazard.pk}/verify/")
    assert answer.status_code == 200 and answer.json()["status"] == "verified"
    # A move from the wrong state: 409 with the hazard's own wording.
    again = staff.post(f"/api/v1/hazards/{hazard.pk}/verify/")
    assert again.status_code == 409
    assert again.json()["detail"].startswith("该隐患当前为“已验收销号”")
    kinds = list(HazardEvent.objects.filter(hazard=hazard).values_list("to_status", flat=True))
    assert kinds == ["found", "rectifying", "rectified", "verified"]
    audited = set(
        AuditEntry.objects.filter(
            object_id=str(hazard.pk), action__startswith="hazard."
        ).values_list("action", flat=True)
    )
    assert audited == {
        "hazard.reported", "hazard.rectification_started", "hazard.rectified", "hazard.verified"
    }  # fmt: skip


def test_the_system_move_has_no_route(world, client_for):
    hazard = _hazard(world)
    assert client_for("staff").post(f"/api/v1/hazards/{hazard.pk}/flag_overdue/").status_code == (
        404
    )


def test_sites_are_scoped(world, client_for, django_assert_max_num_queries):
    fields = {"kind": "ebike_charging", "responsible_party": "物业", "inspection_interval_days": 7}
    near = HazardSite.objects.create(name="甲充电棚", grid=world.grid_a, **fields)
    far = HazardSite.objects.create(name="丙充电棚", grid=world.grid_c, **fields)
    client = client_for("worker_a")
    with django_assert_max_num_queries(10) as few:
        rows = client.get("/api/v1/hazard-sites/").json()["results"]
    for n in range(5):
        HazardSite.objects.create(name=f"点{n}", grid=world.grid_a, **fields)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/v1/hazard-sites/").json()["results"]) == 6
    assert [(r["id"], r["overdue"]) for r in rows] == [(near.pk, True)]  # never inspected
    assert client.get(f"/api/v1/hazard-sites/{far.pk}/").status_code == 404
    assert client.get(f"/api/v1/hazard-sites/{near.pk}/").json()["grid"] == world.grid_a.code
