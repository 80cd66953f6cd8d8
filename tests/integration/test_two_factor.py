"""Two-factor sign-in for staff: enrolment, codes, recovery codes, reset, and who is asked."""

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from gridgov.audit.models import AuditEntry
from tests.conftest import PASSWORD, current_code

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def password_only(username: str) -> Client:
    client = Client()
    assert client.post(LOGIN, {"username": username, "password": PASSWORD}).status_code == 302
    return client


def test_first_sign_in_enrols_an_authenticator_and_shows_recovery_codes(world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wrong code below would otherwise make us wait
    client = password_only("staff")
    assert client.get("/registry/")["Location"] == "/accounts/two-factor/setup/?next=%2Fregistry%2F"
    page = client.get("/accounts/two-factor/setup/?next=/registry/")
    assert "<svg" in page.content.decode() and page["Cache-Control"].startswith("max-age=0")
    device = TOTPDevice.objects.get(user=world.people.staff, confirmed=False)
    assert client.post("/accounts/two-factor/setup/", {"code": "000000"}).status_code == 400
    code = f"{totp(device.bin_key):06d}"
    done = client.post("/accounts/two-factor/setup/", {"code": code, "next": "/registry/"})
    codes = re.findall(r"<li>([a-z0-9]{8})</li>", done.content.decode())
    assert done.status_code == 200 and len(codes) == 10
    assert client.get("/registry/").status_code == 200
    assert AuditEntry.objects.filter(action="auth.two_factor_enrolled").exists()

    # A recovery code works once, on a new sign-in.
    again = password_only("staff")
    assert again.post("/accounts/two-factor/", {"code": codes[0]}).status_code == 302
    assert again.get("/registry/").status_code == 200
    third = password_only("staff")
    assert third.post("/accounts/two-factor/", {"code": codes[0]}).status_code == 400
    assert third.get("/registry/").status_code == 302


def test_wrong_codes_are_refused_and_audited(world):
    current_code(world.people.worker_a)  # enrolled
    client = password_only("worker_a")
    response = client.post("/accounts/two-factor/", {"code": "123456"})
    assert response.status_code == 400
    # Right after a wrong code, even the right one waits (django-otp's doubling delay).
    throttled = client.post("/accounts/two-factor/", {"code": current_code(world.people.worker_a)})
    assert throttled.status_code == 400 and "等待" in throttled.content.decode()
    assert client.get("/").status_code == 302
    assert AuditEntry.objects.filter(action="auth.two_factor", result="failure").exists()


def test_the_api_refuses_a_half_signed_in_session(world):
    client = password_only("leader")
    response = client.get("/api/v1/cases/")
    assert response.status_code == 403


def test_residents_are_not_asked(world):
    client = password_only("resident")
    assert client.get("/").status_code == 200


def test_security_administrator_resets_a_users_two_factor(world, client_for):
    current_code(world.people.worker_a)
    admin = client_for("secadmin")
    response = admin.post(
        "/admin/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [world.people.worker_a.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=world.people.worker_a).exists()
    assert AuditEntry.objects.filter(action="auth.two_factor_reset").exists()
    # The audit administrator may not.
    current_code(world.people.worker_a)
    client_for("auditadmin").post(
        "/admin/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [world.people.worker_a.pk]},
    )
    assert TOTPDevice.objects.filter(user=world.people.worker_a).exists()
