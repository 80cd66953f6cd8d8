"""The client's address: the one helper used by the audit log, login lockout and rate limits.

Without a proxy (TRUSTED_PROXY_COUNT = 0, the default) it is REMOTE_ADDR: X-Forwarded-For is
written by the client and ignored. Behind N reverse proxies that each append the address they
received from to X-Forwarded-For, the client is the N-th entry from the right; whatever the
client wrote to the left of it is ignored (python-ipware, non-strict, so a forged prefix cannot
push the real address out). A header shorter than the proxy chain falls back to REMOTE_ADDR.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from python_ipware import IpWare


def client_address(request: HttpRequest) -> str | None:
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    # python-ipware counts the proxies listed in the header: the last proxy is REMOTE_ADDR.
    ipware = IpWare(precedence=("HTTP_X_FORWARDED_FOR",), proxy_count=proxies - 1)
    address, _trusted = ipware.get_client_ip(request.META, strict=False)
    return str(address) if address is not None else remote


def ratelimit_key(group: str, request: HttpRequest) -> str:
    """django-ratelimit key function: the same client address as the audit log."""
    return client_address(request) or "unknown"
