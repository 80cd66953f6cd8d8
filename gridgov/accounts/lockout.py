"""Login lockout: 5 failures in 30 minutes lock the account, and separately the address, for
30 minutes (settings LOGIN_LOCKOUT_*). Failures are rows, so every web process agrees.

Failures count per account, whatever name was typed: a username and a phone number that lead to
the same account share one counter. A name that matches no account gets its own counter (keyed
hash), so probing unknown names is limited the same way. The rows are `models.LoginFailure`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from gridgov.accounts.models import LoginFailure
from gridgov.core import crypto


@dataclass(frozen=True)
class Lock:
    """A lock in force: what is locked ("account" or "address") and for how many more minutes."""

    scope: str
    minutes: int


def _account_key(username: str) -> str:
    from gridgov.accounts.backends import find_account

    user = find_account(username)
    if user is not None:
        return f"a:{user.pk}"
    # A keyed hash: the login name may be a phone number, which is never stored in clear.
    return "u:" + crypto.blind_index(username.strip().lower())[:64]


def _ip_key(ip: str | None) -> str | None:
    return f"ip:{ip}" if ip else None


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def _remaining(key: str, limit: int) -> int:
    times = list(
        LoginFailure.objects.filter(key=key, at__gte=_window_start())
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    if len(times) < limit:
        return 0
    until = times[-1] + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
    return int((until - timezone.now()).total_seconds() // 60) + 1


def current_lock(username: str, ip: str | None) -> Lock | None:
    """The lock that stops this login, the address's first (it is the wider one); None if free."""
    if (ip_key := _ip_key(ip)) is not None and (
        minutes := _remaining(ip_key, settings.LOGIN_LOCKOUT_IP_FAILURES)
    ):
        return Lock("address", minutes)
    if minutes := _remaining(_account_key(username), settings.LOGIN_LOCKOUT_FAILURES):
        return Lock("account", minutes)
    return None


def note_failure(username: str, ip: str | None) -> None:
    rows = [LoginFailure(key=_account_key(username))]
    if (ip_key := _ip_key(ip)) is not None:
        rows.append(LoginFailure(key=ip_key))
    LoginFailure.objects.bulk_create(rows)
    # Old rows are of no use to anyone.
    LoginFailure.objects.filter(at__lt=timezone.now() - dt.timedelta(days=1)).delete()


def clear_account(username: str) -> None:
    LoginFailure.objects.filter(key=_account_key(username)).delete()
