"""Logins, logouts and failed logins go to the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from gridgov.audit.log import record
from gridgov.audit.models import AuditResult
from gridgov.core.masking import mask_id_number, mask_phone


def _looks_like_id_number(name: str) -> bool:
    name = name.strip()
    last_ok = name[-1:].isdigit() or name[-1:] in ("x", "X")
    return len(name) in (15, 18) and name[:-1].isdigit() and last_ok


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    record("auth.login", actor=user, obj=user, object_repr=user.get_username())


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record("auth.logout", actor=user, obj=user, object_repr=user.get_username())


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    if _looks_like_id_number(username):  # an ID number typed as login name: masked
        username = mask_id_number(username.upper())
    elif username.lstrip("+").isdigit():  # a phone number used as login name: masked
        username = mask_phone(username)
    record(
        "auth.login_failed",
        actor=None,
        actor_name=username,
        role="",
        object_repr=username,
        result=AuditResult.FAILURE,
    )
