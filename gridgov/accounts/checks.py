"""Deployment checks for accounts: a text-message sender that delivers nothing."""

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
