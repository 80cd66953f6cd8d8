"""POST /api/v1/cases/: the creator always gets their case back; a resident's case is theirs.

Issue #8 item 2: a resident, or a grid worker naming only the community, got a 500 after the case
was committed (the response re-read the case through `visible_to`), and each retry made another.
"""

import pytest
from rest_framework.test import APIClient

from gridgov.cases.models import Case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

INSIDE_GRID_A = {"lat": 42.765, "lon": 129.405}


@pytest.fixture
def api(world):
    def make(name):
        client = APIClient()
        client.force_authenticate(getattr(world.people, name))
        return client

    return make


@pytest.fixture
def resident(world):
    user = world.people.resident
    user.full_name = "赵敏"
    user.phone = "13912345678"
    user.save()
    return user


def report(**extra):
    return {"title": "路灯不亮", "description": "3号楼门口路灯坏了。", **extra}


def test_a_resident_gets_their_case_back_as_their_own_report(world, api, resident):
    response = api("resident").post("/api/v1/cases/", report(**INSIDE_GRID_A), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["channel"], body["grid"]) == (
        "submitted",
        "resident_app",
        "222405001001001",
    )
    assert body["reporter"] == "赵** 139****5678"
    case = Case.objects.get()
    assert case.pk == body["id"]
    assert case.reporter_user == resident
    assert case.created_by == resident
    assert (case.reporter_name, case.reporter_phone) == ("赵敏", "13912345678")
    # And it is theirs to follow afterwards.
    assert api("resident").get(f"/api/v1/cases/{case.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [("channel", "hotline"), ("reporter_name", "别人"), ("reporter_phone", "13700001111")],
)
def test_a_resident_cannot_set_channel_or_reporter(world, api, resident, field, value):
    response = api("resident").post(
        "/api/v1/cases/", report(**INSIDE_GRID_A, **{field: value}), format="json"
    )

    assert response.status_code == 400
    assert list(response.json()) == [field]
    assert response.json()[field][0].startswith("居民不能填写此项")
    assert not Case.objects.exists()


def test_a_grid_worker_naming_only_the_community_gets_the_case_back(world, api):
    response = api("worker_a").post(
        "/api/v1/cases/",
        report(channel="grid_worker", community="222405001001"),
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["grid"], body["community"], body["owner"]) == (None, "222405001001", "HX-SQ")
    assert [e["kind"] for e in body["events"]] == ["created"]
    assert Case.objects.get().number == body["number"]


def test_staff_may_still_set_channel_and_reporter(world, api):
    response = api("staff").post(
        "/api/v1/cases/",
        report(
            channel="hotline", reporter_name="李先生", reporter_phone="13700001111", **INSIDE_GRID_A
        ),
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["channel"] == "hotline"
    assert response.json()["reporter"] == "李** 137****1111"
    assert Case.objects.get().reporter_user is None


def test_a_retry_with_the_same_idempotency_key_answers_with_the_first_case(world, api, resident):
    client = api("resident")
    first = client.post(
        "/api/v1/cases/", report(**INSIDE_GRID_A), format="json", HTTP_IDEMPOTENCY_KEY="k-123"
    )
    again = client.post(
        "/api/v1/cases/", report(**INSIDE_GRID_A), format="json", HTTP_IDEMPOTENCY_KEY="k-123"
    )

    assert (first.status_code, again.status_code) == (201, 201)
    assert first.json()["id"] == again.json()["id"]
    assert Case.objects.count() == 1


def test_another_users_idempotency_key_makes_nothing_and_leaks_nothing(world, api, resident):
    api("resident").post(
        "/api/v1/cases/", report(**INSIDE_GRID_A), format="json", HTTP_IDEMPOTENCY_KEY="k-123"
    )

    other = api("worker_a").post(
        "/api/v1/cases/",
        report(channel="grid_worker", **INSIDE_GRID_A),
        format="json",
        HTTP_IDEMPOTENCY_KEY="k-123",
    )

    assert other.status_code == 400
    assert set(other.json()) == {"detail"}
    assert Case.objects.count() == 1


def test_a_too_long_idempotency_key_is_refused(world, api, resident):
    response = api("resident").post(
        "/api/v1/cases/", report(**INSIDE_GRID_A), format="json", HTTP_IDEMPOTENCY_KEY="k" * 65
    )

    assert response.status_code == 400
    assert list(response.json()) == ["idempotency_key"]
    assert not Case.objects.exists()
