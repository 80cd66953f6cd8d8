"""The client address behind proxies (issue #8 item 8): X-Forwarded-For is written by the client,
so only the entries added by our own proxies count (TRUSTED_PROXY_COUNT)."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from gridgov.audit.models import AuditEntry
from gridgov.core.client_address import client_address
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SPOOFED = "6.6.6.6, 203.0.113.7"  # the client wrote 6.6.6.6; our proxy appended 203.0.113.7


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, SPOOFED, "10.0.0.1"),  # no proxy: the header is the client's word, ignored
        (0, "", "10.0.0.1"),
        (1, SPOOFED, "203.0.113.7"),  # one proxy: the entry it appended, not the leftmost
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "not-an-address, 203.0.113.7", "203.0.113.7"),
        (1, "", "10.0.0.1"),  # reached without the proxy: the connection's address
        (2, "6.6.6.6, 198.51.100.2, 10.0.0.5", "198.51.100.2"),
        (2, "198.51.100.2", "10.0.0.1"),  # shorter than the chain: not trusted
    ],
)
def test_client_address_counts_only_trusted_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR="10.0.0.1")
    assert client_address(request) == expected


def test_the_audit_log_records_the_real_address_not_the_spoofed_one(world, client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.post(
        reverse("accounts:login"),
        {"username": "worker_a", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR=SPOOFED,
    )
    assert AuditEntry.objects.get(action="auth.login").ip == "203.0.113.7"


def test_a_spoofed_header_does_not_escape_the_address_lockout(world, client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_LOCKOUT_IP_FAILURES = 5
    url = reverse("accounts:login")
    for n in range(5):
        client.post(
            url,
            {"username": f"nobody{n}", "password": "x"},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 203.0.113.7",
        )
    response = client.post(
        url,
        {"username": "worker_b", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="6.6.6.99, 203.0.113.7",
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200
