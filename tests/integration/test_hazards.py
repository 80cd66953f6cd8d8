"""The hazard register: lifecycle, permission matrix (hand-written), overdue sweep, escalation,
the grid page's overdue inspections, bad input, query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gridgov.audit.models import AuditEntry
from gridgov.cases.models import Case
from gridgov.hazards import actions
from gridgov.hazards.models import Hazard, HazardEvent, HazardSite, Inspection
from gridgov.inbox.models import Notification
from gridgov.lifecycle import IllegalMove, NotAllowed

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous", "outsider", "resident", "worker_a", "worker_b", "staff", "other_staff",
    "dispatcher", "handler", "mediator", "judicial", "leader", "sysadmin", "secadmin",
    "auditadmin",
]  # fmt: skip


def _hazard(world, grid=None, **extra) -> Hazard:
    grid = grid or world.grid_a
    data = {
        "title": "电动车楼道充电",
        "risk_level": "high",
        "deadline": timezone.localdate() + dt.timedelta(days=3),
    }
    data.update(extra)
    return actions.report_hazard(acting_user=world.people.staff, grid=grid, **data)


def _site(world, grid=None, **extra) -> HazardSite:
    fields = {
        "name": "甲1号楼充电棚",
        "kind": "ebike_charging",
        "grid": grid or world.grid_a,
        "responsible_party": "物业公司",
        "inspection_interval_days": 7,
    }
    fields.update(extra)
    return HazardSite.objects.create(**fields)


def test_the_normal_life_found_rectifying_rectified_verified(world):
    p = world.people
    hazard = actions.report_hazard(
        acting_user=p.worker_a,
        grid=world.grid_a,
        title="楼道堆物",
        risk_level="medium",
        deadline=timezone.localdate() + dt.timedelta(days=5),
    )
    actions.start_rectification(hazard, acting_user=p.worker_a, note="已通知业主")
    actions.mark_rectified(hazard, acting_user=p.worker_a, note="已清理")
    with pytest.raises(NotAllowed):  # verification is the community staff's
        actions.verify(hazard, acting_user=p.worker_a)
    actions.verify(hazard, acting_user=p.staff)
    hazard.refresh_from_db()
    assert hazard.status == "verified"
    assert hazard.verified_at is not None
    assert list(hazard.events.values_list("kind", "from_status", "to_status")) == [
        ("reported", "", "found"),
        ("rectification_started", "found", "rectifying"),
        ("rectified", "rectifying", "rectified"),
        ("verified", "rectified", "verified"),
    ]
    assert list(
        AuditEntry.objects.filter(action__startswith="hazard.")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == ["hazard.reported", "hazard.rectification_started", "hazard.rectified", "hazard.verified"]


def test_a_rework_sends_it_back_and_needs_a_reason(world):
    p = world.people
    hazard = _hazard(world)
    actions.start_rectification(hazard, acting_user=p.worker_a)
    actions.mark_rectified(hazard, acting_user=p.worker_a)
    with pytest.raises(IllegalMove):
        actions.rework(hazard, acting_user=p.staff, reason="  ")
    actions.rework(hazard, acting_user=p.staff, reason="充电线仍在")
    hazard.refresh_from_db()
    assert hazard.status == "rectifying"
    assert hazard.rectified_at is None


def test_a_wrong_state_is_refused_with_the_hazard_wording(world):
    hazard = _hazard(world)
    with pytest.raises(IllegalMove) as refused:
        actions.verify(hazard, acting_user=world.people.staff)
    assert "隐患" in str(refused.value) or "hazard" in str(refused.value)
    assert Hazard.objects.get().status == "found"


# Who sees a hazard of grid A (hand-written: the keepers of grid A and community A, the street).
SEES = {
    "anonymous": False, "outsider": False, "resident": False, "worker_a": True,
    "worker_b": False, "staff": True, "other_staff": False, "dispatcher": True,
    "handler": False, "mediator": False, "judicial": False, "leader": True,
    "sysadmin": False, "secadmin": False, "auditadmin": False,
}  # fmt: skip
# Who may start its rectification (POST): grid A's worker and community A's staff.
STARTS = {name: name in ("worker_a", "staff") for name in PERSONAS}


@pytest.mark.parametrize("name", PERSONAS)
def test_permission_matrix_view(world, client_for, name):
    hazard = _hazard(world)
    client = client_for(name)
    response = client.get(f"/hazards/{hazard.pk}/")
    if name == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == (200 if SEES[name] else 404)
    listing = client.get("/hazards/")
    assert ("电动车楼道充电" in listing.content.decode()) is SEES[name]


@pytest.mark.parametrize("name", PERSONAS)
def test_permission_matrix_start_rectification(world, client_for, name):
    hazard = _hazard(world)
    response = client_for(name).post(f"/hazards/{hazard.pk}/start_rectification/", {"note": ""})
    hazard.refresh_from_db()
    if STARTS[name]:
        assert response.status_code == 302
        assert hazard.status == "rectifying"
    else:
        expected = {"anonymous": 302}.get(name, 403 if SEES[name] else 404)
        assert response.status_code == expected
        assert hazard.status == "found"
        assert hazard.events.count() == 1


@pytest.mark.parametrize(
    ("name", "status"),
    [("worker_a", 302), ("staff", 302), ("worker_b", 400), ("other_staff", 400),
     ("leader", 404), ("dispatcher", 404), ("resident", 404)],
)  # fmt: skip
def test_permission_matrix_report(world, client_for, name, status):
    """Reporting in grid A: worker B and the other community's staff get the form, but grid A
    is not among their choices (a clear form error); the others have no form."""
    response = client_for(name).post(
        "/hazards/new/",
        {
            "title": "私拉电线",
            "risk_level": "low",
            "grid": world.grid_a.pk,
            "deadline": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == status
    assert Hazard.objects.count() == (1 if status == 302 else 0)


def test_a_deadline_in_the_past_is_refused_and_nothing_is_made(world, client_for):
    response = client_for("worker_a").post(
        "/hazards/new/",
        {"title": "私拉电线", "risk_level": "low", "grid": world.grid_a.pk,
         "deadline": "2020-01-01"},
    )  # fmt: skip
    assert response.status_code == 409
    assert "整改期限不能早于今天" in response.content.decode()
    assert Hazard.objects.count() == 0


def test_overdue_hazards_notify_the_community_once_a_day(world, django_capture_on_commit_callbacks):
    p = world.people
    hazard = _hazard(world, risk_level="low")
    late = _hazard(world, risk_level="low", title="消防通道堵塞")
    Hazard.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - dt.timedelta(days=2))
    verified_late = _hazard(world, risk_level="low", title="已销号")
    Hazard.objects.filter(pk=verified_late.pk).update(
        status="verified", deadline=timezone.localdate() - dt.timedelta(days=9)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.sweep_overdue() == 1
        assert actions.sweep_overdue() == 0  # the same day: told once
    notice = Notification.objects.get(user=p.staff)
    assert notice.message == f"隐患 YH{late.pk:05d} 已超过整改期限 2 天。"
    assert notice.url == f"/hazards/{late.pk}/"
    assert not Notification.objects.filter(user=p.other_staff).exists()
    event = HazardEvent.objects.get(kind="overdue")
    assert (event.hazard_id, event.actor_id, event.data) == (late.pk, None, {"days": 2})
    assert Hazard.objects.get(pk=hazard.pk).overdue_notified_on is None


def test_escalation_makes_one_case_and_links_it(world):
    hazard = _hazard(world)
    actions.escalate(hazard, acting_user=world.people.worker_a, note="需城管执法")
    hazard.refresh_from_db()
    case = Case.objects.get()
    assert hazard.case == case
    assert hazard.status == "found"
    assert case.title == "隐患：电动车楼道充电"
    assert case.community == world.community_a
    assert case.urgency == "urgent"
    with pytest.raises(IllegalMove):
        actions.escalate(hazard, acting_user=world.people.staff)
    assert Case.objects.count() == 1


def test_grid_page_shows_overdue_inspections(world, client_for):
    p = world.people
    due = _site(world, name="河堤一段", kind="river_dam")
    fresh = _site(world, name="小餐馆", kind="small_venue")
    actions.record_inspection(fresh, acting_user=p.worker_a, result="ok")
    _site(world, grid=world.grid_b, name="乙区配电房")
    _hazard(world)
    late = _hazard(world, title="河堤塌陷")
    Hazard.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    _hazard(world, grid=world.grid_b)
    page = client_for("worker_a").get(f"/grids/{world.grid_a.code}/").content.decode()
    assert "未销号隐患 2 处，其中超期 1 处" in page
    box = page.split('data-testid="overdue-inspections"')[1].split("</ul>")[0]
    assert "河堤一段" in box
    assert "小餐馆" not in box
    assert "乙区配电房" not in box
    fresh.refresh_from_db()
    assert fresh.next_inspection_at == fresh.last_inspected_at + dt.timedelta(days=7)
    assert due.next_inspection_at is None


def test_inspection_by_someone_outside_the_grid_is_refused(world, client_for):
    site = _site(world)
    response = client_for("worker_b").post(f"/hazards/sites/{site.pk}/inspect/", {"result": "ok"})
    assert response.status_code == 404
    response = client_for("leader").post(f"/hazards/sites/{site.pk}/inspect/", {"result": "ok"})
    assert response.status_code == 403
    assert Inspection.objects.count() == 0


def test_hazard_list_queries_do_not_grow(world, client_for, django_assert_num_queries):
    client = client_for("staff")
    for i in range(3):
        _hazard(world, title=f"隐患{i}")
    client.get("/hazards/")
    with django_assert_num_queries(8) as first:
        client.get("/hazards/")
    for i in range(5):
        _hazard(world, title=f"更多{i}")
    with django_assert_num_queries(len(first.captured_queries)):
        client.get("/hazards/")


def test_demo_register_has_30_hazards_in_every_state_and_is_idempotent(world):
    from gridgov.demo.hazards import seed_hazards

    assert seed_hazards("222405001001") == 30
    assert seed_hazards("222405001001") == 0
    counts = {
        status: Hazard.objects.filter(status=status).count()
        for status in ("found", "rectifying", "rectified", "verified")
    }
    assert counts == {"found": 8, "rectifying": 8, "rectified": 6, "verified": 8}
    assert Hazard.objects.overdue().count() == 5
    assert Hazard.objects.exclude(case=None).count() == 2
    assert HazardEvent.objects.filter(kind="overdue").count() == 5
    # Grid A: its first site never inspected, its second inspected long ago; grid B: its first
    # inspected long ago, its second just now.
    assert HazardSite.objects.overdue().count() == 3


def test_a_report_with_two_photos_keeps_both_and_shows_them_only_in_scope(world, client_for):
    from tests.media_helpers import photo_as

    response = client_for("worker_a").post(
        "/hazards/new/",
        {
            "title": "楼道内电动车充电",
            "risk_level": "medium",
            "grid": world.grid_a.pk,
            "deadline": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
            "photos": [photo_as("jpeg", name="a.jpg"), photo_as("png", name="b.png")],
        },
    )
    assert response.status_code == 302
    hazard = Hazard.objects.get()
    photos = list(hazard.photos.values_list("content_type", "stage"))
    assert photos == [("image/jpeg", "found"), ("image/png", "found")]
    first = hazard.photos.first()
    assert first is not None
    assert client_for("staff").get(f"/hazards/photos/{first.pk}/").status_code == 200
    assert client_for("worker_b").get(f"/hazards/photos/{first.pk}/").status_code == 404
    assert client_for("other_staff").get(f"/hazards/photos/{first.pk}/").status_code == 404


def test_a_file_that_is_not_a_photo_is_refused_and_nothing_is_made(world, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for("worker_a").post(
        "/hazards/new/",
        {
            "title": "楼道堆物",
            "risk_level": "low",
            "grid": world.grid_a.pk,
            "deadline": (timezone.localdate() + dt.timedelta(days=2)).isoformat(),
            "photos": [SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")],
        },
    )
    assert response.status_code == 400
    assert Hazard.objects.count() == 0


def test_rectified_photos_go_with_the_move_through_the_page(world, client_for):
    from tests.media_helpers import photo_as

    hazard = _hazard(world)
    actions.start_rectification(hazard, acting_user=world.people.worker_a)
    response = client_for("worker_a").post(
        f"/hazards/{hazard.pk}/mark_rectified/",
        {"note": "已拆除私拉电线", "photos": [photo_as("jpeg", name="after.jpg")]},
    )
    assert response.status_code == 302
    hazard.refresh_from_db()
    assert hazard.status == "rectified"
    assert list(hazard.photos.values_list("stage", flat=True)) == ["rectified"]
    event = hazard.events.get(kind="rectified")
    assert event.note == "已拆除私拉电线"
    assert event.data == {"photos": [hazard.photos.get().pk]}


def test_the_system_move_has_no_page_route(world, client_for):
    hazard = _hazard(world)
    Hazard.objects.filter(pk=hazard.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    response = client_for("staff").post(f"/hazards/{hazard.pk}/flag_overdue/")
    assert response.status_code == 404
    assert hazard.events.count() == 1


@pytest.mark.parametrize("name", [n for n in PERSONAS if n != "anonymous"])
def test_the_change_queryset_and_the_move_relation_agree(world, name):
    """The twins of the scope rule: `visible_to(user, "change")` and `hazard_relations`."""
    from gridgov.accounts import scope

    user = getattr(world.people, name)
    for grid in (world.grid_a, world.grid_b, world.grid_c):
        hazard = Hazard.objects.create(
            title="t", grid=grid, area_path=grid.path, risk_level="low",
            deadline=timezone.localdate(),
        )  # fmt: skip
        in_queryset = Hazard.objects.visible_to(user, "change").filter(pk=hazard.pk).exists()
        assert in_queryset is bool(scope.hazard_relations(user, hazard.area_path)), grid.name


def test_the_sweep_command_reports_what_it_flagged(world):
    import io

    from django.core.management import call_command

    hazard = _hazard(world)
    Hazard.objects.filter(pk=hazard.pk).update(deadline=timezone.localdate() - dt.timedelta(days=1))
    out = io.StringIO()
    call_command("sweep_hazards", stdout=out)
    assert out.getvalue() == "1 overdue hazards flagged.\n"


@pytest.mark.parametrize(
    ("name", "status", "made"),
    [("staff", 302, 1), ("worker_a", 404, 0), ("other_staff", 400, 0), ("leader", 404, 0),
     ("outsider", 404, 0)],
)  # fmt: skip
def test_permission_matrix_add_site(world, client_for, name, status, made):
    """Community staff add sites in their community's grids (grid A is not the other
    community's choice: a form error); grid workers and the street do not add sites."""
    response = client_for(name).post(
        "/hazards/sites/new/",
        {"name": "河西路充电桩", "kind": "ebike_charging", "grid": world.grid_a.pk,
         "responsible_party": "物业公司", "inspection_interval_days": 14},
    )  # fmt: skip
    assert response.status_code == status
    assert HazardSite.objects.count() == made
    if made:
        site = HazardSite.objects.get()
        assert (site.area_path, site.next_inspection_at) == (world.grid_a.path, None)
        assert AuditEntry.objects.filter(action="hazard.site_created").count() == 1
