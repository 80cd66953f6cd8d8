"""Login lockout: 5 failures in 30 minutes lock the account, and separately the address, for
30 minutes (settings LOGIN_LOCKOUT_*). Failures are rows, so every web process agrees."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from gridgov.core import crypto


class LoginFailure(models.Model):
    key = models.CharField(max_length=80)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["key", "at"], name="acc_loginfail_key_at")]

    def __str__(self) -> str:
        return f"{self.key[:12]} {self.at:%Y-%m-%d %H:%M}"


def _account_key(username: str) -> str:
    # A keyed hash: the login name may be a phone number, which is never stored in clear.
    return "u:" + crypto.blind_index(username.strip().lower())[:64]


def _ip_key(ip: str | None) -> str | None:
    return f"ip:{ip}" if ip else None


def _window_start() -> dt.datetime:
    return timezone.now() - dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def minutes_locked(username: str, ip: str | None) -> int:
    """Minutes until a locked account or address may try again; 0 when not locked."""
    start = _window_start()
    checks = [(_account_key(username), settings.LOGIN_LOCKOUT_FAILURES)]
    if (ip_key := _ip_key(ip)) is not None:
        checks.append((ip_key, settings.LOGIN_LOCKOUT_IP_FAILURES))
    longest = 0
    for key, limit in checks:
        times = list(
            LoginFailure.objects.filter(key=key, at__gte=start)
            .order_by("-at")
            .values_list("at", flat=True)[:limit]
        )
        if len(times) >= limit:
            until = times[-1] + dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)
            remaining = int((until - timezone.now()).total_seconds() // 60) + 1
            longest = max(longest, remaining)
    return longest


def note_failure(username: str, ip: str | None) -> None:
    rows = [LoginFailure(key=_account_key(username))]
    if (ip_key := _ip_key(ip)) is not None:
        rows.append(LoginFailure(key=ip_key))
    LoginFailure.objects.bulk_create(rows)
    # Old rows are of no use to anyone.
    LoginFailure.objects.filter(at__lt=timezone.now() - dt.timedelta(days=1)).delete()


def clear_account(username: str) -> None:
    LoginFailure.objects.filter(key=_account_key(username)).delete()
