"""The phone's endpoints and the pages, as a browser calls them."""

import datetime as dt
import json
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from gridgov.cases.models import Case
from gridgov.patrols.models import CheckIn, Round, TrackBatch
from tests.patrols.helpers import make_plan

pytestmark = pytest.mark.django_db


def _jpeg() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile("p.jpg", buffer.getvalue(), "image/jpeg")


@pytest.fixture
def walking(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plan = make_plan(world)
    client = client_for("worker_a")
    page = client.get("/patrols/")
    assert page.status_code == 200 and "开始巡查" in page.content.decode()
    response = client.post(f"/patrols/plans/{plan.pk}/start/", {"idempotency_key": "s1"})
    round_ = Round.objects.get()
    assert response.status_code == 302 and response.url == f"/patrols/rounds/{round_.pk}/"
    return client, round_, plan


def test_a_round_through_the_endpoints_resent_twice(walking):
    client, round_, plan = walking
    base = f"/patrols/rounds/{round_.pk}"
    first, second, third = plan.checkpoints.all()
    batch = {"key": "p1", "points": [[42.765, 129.405, 1_780_000_000, 5]]}
    for _ in range(2):  # the offline queue resends after a lost answer
        reply = client.post(f"{base}/points/", json.dumps(batch), content_type="application/json")
        assert reply.status_code == 200
        reply = client.post(
            f"{base}/check-in/",
            {
                "method": "gps",
                "checkpoint": first.pk,
                "lat": "42.76502",
                "lon": "129.405",
                "key": "c1",
            },
        )
        assert reply.json() == {
            "ok": True,
            "checkpoint": first.pk,
            "method": "gps",
            "label": "范围内定位签到",
        }
        reply = client.post(f"{base}/check-in/", {"qr": second.qr_token, "key": "c2"})
        assert reply.status_code == 200
        reply = client.post(
            f"{base}/finding/",
            {
                "description": "消防通道被占",
                "lat": "42.765",
                "lon": "129.405",
                "key": "f1",
                "photo": _jpeg(),
            },
        )
        assert reply.status_code == 200 and reply.json()["case"].startswith("222405001001-")
    far = client.post(
        f"{base}/check-in/",
        {"method": "gps", "checkpoint": third.pk, "lat": "42.7650", "lon": "129.405", "key": "c3"},
    )
    # 100.1 m north and 0.0012° × 111.2 km × cos 42.765° ≈ 98.0 m east: √(100.1² + 98.0²) ≈ 140
    assert far.status_code == 409 and "140 米" in far.json()["error"]
    page = client.get(f"{base}/")
    assert page.status_code == 200 and "消防通道被占" in page.content.decode()
    done = client.post(f"{base}/finish/", {"note": "完成"}, HTTP_ACCEPT="application/json")
    assert done.json()["ok"] is True
    assert (
        Round.objects.get().status,
        TrackBatch.objects.count(),
        CheckIn.objects.count(),
        Case.objects.filter(channel="patrol").count(),
    ) == ("finished", 1, 2, 1)
    late = client.post(f"{base}/check-in/", {"qr": third.qr_token, "key": "c4"})
    assert late.status_code == 409 and "不能签到" in late.json()["error"]


def test_bad_input_changes_nothing(walking):
    client, round_, _plan = walking
    base = f"/patrols/rounds/{round_.pk}"
    assert (
        client.post(f"{base}/points/", "nonsense", content_type="application/json").status_code
        == 400
    )
    assert (
        client.post(
            f"{base}/points/",
            json.dumps({"key": "x", "points": [[999, 0, 1]]}),
            content_type="application/json",
        ).status_code
        == 409
    )
    assert client.post(f"{base}/check-in/", {"qr": "nope", "key": "z"}).status_code == 409
    assert client.post(f"{base}/finding/", {"description": "", "key": "y"}).status_code == 409
    assert (TrackBatch.objects.count(), CheckIn.objects.count(), Case.objects.count()) == (0, 0, 0)


def test_another_worker_reaches_nothing(walking, client_for):
    _client, round_, plan = walking
    other = client_for("worker_b")
    base = f"/patrols/rounds/{round_.pk}"
    assert other.get(f"{base}/").status_code == 404
    assert (
        other.post(f"{base}/check-in/", {"qr": plan.checkpoints.first().qr_token}).status_code
        == 404
    )
    assert other.post(f"/patrols/plans/{plan.pk}/start/").status_code == 404
    # Community staff see the round and compliance, not the track.
    staff = client_for("staff")
    assert staff.get(f"{base}/").status_code == 200
    assert staff.get(f"{base}/track/").status_code == 404


def test_compliance_calendar_page_and_its_queries(world, client_for):
    for grid, worker in (
        (world.grid_a, world.people.worker_a),
        (world.grid_b, world.people.worker_b),
    ):
        make_plan(world, grid=grid, worker=worker)
    client = client_for("staff")
    client.get("/patrols/compliance/?month=2026-10")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/patrols/compliance/?month=2026-10&area={world.community_a.code}")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="day"') == 31 and "河西社区" in html
    assert len(queries) <= 14
    assert (
        client_for("other_staff")
        .get(f"/patrols/compliance/?area={world.community_a.code}")
        .status_code
        == 404
    )


def test_qr_sheet_prints_one_code_per_checkpoint(world, client_for):
    plan = make_plan(world)
    page = client_for("worker_a").get(f"/patrols/plans/{plan.pk}/qr/")
    assert page.content.decode().count('data-testid="qr-card"') == 3
    assert "<svg" in page.content.decode()


def test_the_service_worker_is_served_for_the_patrol_scope(client_for):
    response = client_for("anonymous").get("/patrols/sw.js")
    assert response.status_code == 200 and response["Service-Worker-Allowed"] == "/patrols/"
    assert b"caches.open" in response.content


def test_today_counts(world, client_for):
    make_plan(world, starts_on=dt.date(2020, 1, 1))
    page = client_for("worker_a").get("/patrols/")
    assert 'data-testid="planned"' in page.content.decode()


def test_the_grid_workers_home_shows_the_day(world, client_for):
    from gridgov.cases.actions.intake import create_case

    make_plan(world, starts_on=dt.date(2020, 1, 1))
    create_case(
        acting_user=world.people.staff,
        channel="hotline",
        title="路灯不亮",
        description="路灯不亮",
        building=world.building_a,
    )
    page = client_for("worker_a").get("/").content.decode()
    assert 'data-testid="patrol-today"' in page and 'data-testid="home-start-round"' in page
    assert "甲1号楼1单元" in page and "路灯不亮" in page  # the next checkpoint, the grid's case
    assert 'data-testid="patrol-today"' not in client_for("staff").get("/").content.decode()
