"""Deployment checks for accounts: a text-message sender that delivers nothing, superusers."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def sms_sender_delivers(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    from gridgov.accounts.sms import NON_DELIVERING

    if settings.SMS_BACKEND not in NON_DELIVERING:
        return []
    return [
        Warning(
            f"SMS_BACKEND is {settings.SMS_BACKEND}: no text message is delivered (sign-up "
            "codes and 'please rate' messages go nowhere).",
            hint="Set SMS_BACKEND=gridgov.accounts.sms.AliyunSender and the SMS_ALIYUN_* "
            "variables (see .env.example).",
            id="gridgov.W012",
        )
    ]


# Needs the database: runs with `check --deploy --database default` (and `migrate`), the way
# the calendar check does; a plain `check --deploy` touches no database.
@register(Tags.security, Tags.database, deploy=True)
def no_superuser(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    from django.db import DatabaseError

    from gridgov.accounts.models import User

    if not kwargs.get("databases"):
        return []
    try:
        names = list(User.objects.filter(is_superuser=True).values_list("username", flat=True))
    except DatabaseError:
        return []  # not migrated yet
    if not names:
        return []
    return [
        Warning(
            f"Superuser accounts exist ({', '.join(names[:5])}): the flag is for bootstrapping.",
            hint="Give administrators a duty with `gridgov grant-admin-duty USERNAME "
            "system|security|audit` (which clears the flag), or deactivate the account.",
            id="gridgov.W013",
        )
    ]
