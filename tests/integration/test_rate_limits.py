"""Rate limits on what anyone can reach (item 11): each endpoint answers 429 in Chinese once
its per-address limit is used up, and counts addresses separately."""

import pytest
from django.test import Client

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOO_MANY = "请求过于频繁"


def _limit(rate_limits, name, rate):
    rate_limits.RATE_LIMITS = {**rate_limits.RATE_LIMITS, name: rate}


def test_tracking_lookups_are_limited(world, rate_limits):
    _limit(rate_limits, "track", "3/m")
    client = Client()
    for n in range(3):
        assert client.post("/cases/track/", {"code": f"NOPE{n}"}).status_code == 404
    refused = client.post("/cases/track/", {"code": "NOPE9"})
    assert refused.status_code == 429
    assert TOO_MANY in refused.content.decode()
    other = client.post("/cases/track/", {"code": "NOPE9"}, REMOTE_ADDR="10.5.5.5")
    assert other.status_code == 404


def test_anonymous_reports_are_limited_and_signed_in_residents_are_not(
    world, rate_limits, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    _limit(rate_limits, "report", "2/h")
    anonymous = Client()
    data = {
        "description": "路灯不亮",
        "lat": "42.765",
        "lon": "129.415",
        "contact_phone": "13900001111",
    }
    for n in range(2):
        response = anonymous.post("/cases/report/", {**data, "idempotency_key": f"a{n}"})
        assert response.status_code == 302
    refused = anonymous.post("/cases/report/", {**data, "idempotency_key": "a9"})
    assert refused.status_code == 429 and TOO_MANY in refused.content.decode()
    as_json = anonymous.post(
        "/cases/report/", {**data, "idempotency_key": "a10"}, HTTP_ACCEPT="application/json"
    )
    assert as_json.status_code == 429 and TOO_MANY in as_json.json()["detail"]
    assert anonymous.get("/cases/report/").status_code == 200  # reading the form is not limited
    resident = client_for("resident")
    for n in range(3):
        response = resident.post("/cases/report/", {**data, "idempotency_key": f"r{n}"})
        assert response.status_code == 302


def test_login_attempts_are_limited(world, rate_limits):
    _limit(rate_limits, "login", "3/m")
    client = Client()
    for n in range(3):
        client.post("/accounts/login/", {"username": f"x{n}", "password": "x"})
    refused = client.post("/accounts/login/", {"username": "worker_a", "password": PASSWORD})
    assert refused.status_code == 429 and TOO_MANY in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get("/accounts/login/").status_code == 200


def test_sign_up_codes_are_limited(world, rate_limits):
    _limit(rate_limits, "signup_code", "1/h")
    client = Client()
    form = {"community": world.community_a.pk, "step": "send_code"}
    assert client.post("/accounts/signup/", {**form, "phone": "13900000011"}).status_code == 200
    refused = client.post("/accounts/signup/", {**form, "phone": "13900000012"})
    assert refused.status_code == 429 and TOO_MANY in refused.content.decode()


def test_the_api_is_throttled_per_user(world, rate_limits, client_for):
    rate_limits.API_THROTTLE_RATES = {"anon": "100/m", "user": "3/m"}
    client = client_for("staff")
    for _ in range(3):
        assert client.get("/api/v1/categories/").status_code == 200
    refused = client.get("/api/v1/categories/")
    assert refused.status_code == 429
    assert "限流" in refused.json()["detail"]
    assert client_for("worker_a").get("/api/v1/categories/").status_code == 200


def test_the_api_is_throttled_per_address_for_anonymous_callers(world, rate_limits):
    rate_limits.API_THROTTLE_RATES = {"anon": "2/m", "user": "100/m"}
    client = Client()
    for _ in range(2):
        assert client.get("/api/v1/schema/").status_code == 200
    refused = client.get("/api/v1/schema/")
    assert refused.status_code == 429
    assert "限流" in refused.content.decode()


def test_limits_are_off_unless_enabled(world):
    client = Client()
    for n in range(40):
        client.post("/cases/track/", {"code": f"NOPE{n}"})
    assert client.post("/cases/track/", {"code": "NOPE"}).status_code == 404
