"""Login lockout protects the account, not the typed name (issue #8 item 7)."""

import pytest
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

PHONE = "13912345678"


@pytest.fixture
def worker_with_phone(world):
    user = world.people.worker_a
    user.phone = PHONE
    user.save()
    return user


def _login(client, username, password, ip):
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_an_account_locked_by_username_stays_locked_by_phone(worker_with_phone, client):
    for n in range(5):
        _login(client, "worker_a", "wrong", f"10.0.0.{n}")
    response = _login(client, PHONE, PASSWORD, "10.9.9.9")
    assert "_auth_user_id" not in client.session
    assert "账号已锁定" in response.content.decode()


def test_failures_by_phone_and_by_username_add_up(worker_with_phone, client):
    for n in range(3):
        _login(client, PHONE, "wrong", f"10.0.1.{n}")
    for n in range(2):
        _login(client, "worker_a", "wrong", f"10.0.2.{n}")
    response = _login(client, "worker_a", PASSWORD, "10.9.9.9")
    assert "_auth_user_id" not in client.session
    assert "账号已锁定" in response.content.decode()


def test_four_failures_do_not_lock(worker_with_phone, client):
    for n in range(4):
        _login(client, PHONE if n % 2 else "worker_a", "wrong", f"10.0.3.{n}")
    assert _login(client, PHONE, PASSWORD, "10.9.9.9").status_code == 302


def test_unknown_names_are_counted_each_on_their_own(world, client):
    for n in range(5):
        _login(client, "ghost", "x", f"10.0.4.{n}")
    response = _login(client, "ghost", "x", "10.9.9.9")
    assert "账号已锁定" in response.content.decode()
    # Someone else's account is not affected by the probing of an unknown name.
    assert _login(client, "worker_b", PASSWORD, "10.9.9.9").status_code == 302


def test_the_address_lock_says_the_address_is_locked(world, client, settings):
    settings.LOGIN_LOCKOUT_IP_FAILURES = 5
    for name in ("a1", "a2", "a3", "a4", "a5"):
        _login(client, name, "x", "10.7.7.7")
    body = _login(client, "worker_b", PASSWORD, "10.7.7.7").content.decode()
    assert "该地址已锁定" in body
    assert "账号已锁定" not in body


def test_an_id_number_typed_as_login_name_is_masked_in_the_audit_log(world, client):
    from gridgov.audit.models import AuditEntry

    _login(client, "11010519491231002X", "x", "10.0.5.1")
    entry = AuditEntry.objects.get(action="auth.login_failed")
    assert "11010519491231002X" not in (entry.actor_name + entry.object_repr)
    assert entry.object_repr == "1****************X"


def test_one_persons_typos_do_not_lock_out_their_office(world, client):
    """By default an address locks only after 50 failures: five typos (or a probe) for one
    account behind an office NAT leave a colleague at the same address free to sign in."""
    for _ in range(5):
        _login(client, "worker_a", "wrong", "10.8.8.8")
    assert "账号已锁定" in _login(client, "worker_a", PASSWORD, "10.8.8.8").content.decode()
    assert _login(client, "worker_b", PASSWORD, "10.8.8.8").status_code == 302
