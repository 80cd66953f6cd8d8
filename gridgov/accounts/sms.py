"""Text messages through a pluggable sender (SMS_BACKEND).

A sender has `send(phone, message, *, template, params)`: `message` is the full text (for
gateways that take free text and for the log), `template` and `params` name the approved
template and its variables (for gateways that only send approved templates, as Chinese SMS
services do). Senders:

- `AliyunSender`: Aliyun SMS (Dysms) `SendSms` over its RPC HTTP API, signed with HMAC-SHA1.
- `LogSender`: sends nothing and writes to the log; outside DEBUG (and the local demo) the
  number and digits are masked. With DEBUG off it must be chosen explicitly, and
  `check --deploy` warns about it.
- `MemorySender`: keeps messages in `outbox` (tests).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

from gridgov.core.masking import mask_phone

log = logging.getLogger("gridgov.sms")

# Senders that deliver nothing: fine for development, a warning in production.
NON_DELIVERING = ("gridgov.accounts.sms.LogSender", "gridgov.accounts.sms.MemorySender")


class SmsError(Exception):
    """The gateway refused or could not be reached (the message names no phone number)."""


class SmsSender(Protocol):
    def send(
        self, phone: str, message: str, *, template: str = "", params: dict[str, str] | None = None
    ) -> None: ...


class LogSender:
    """Development sender: the message goes to the log, not to a phone."""

    def send(
        self, phone: str, message: str, *, template: str = "", params: dict[str, str] | None = None
    ) -> None:
        # The local demo (DEMO=1, never in production) shows the code so that sign-up can be tried.
        if settings.DEBUG or getattr(settings, "DEMO", False):
            log.warning("[DEVELOPMENT SMS, NOT SENT] to %s: %s", phone, message)
        else:  # never a full number or a code in a production log
            log.warning(
                "[SMS NOT SENT: SMS_BACKEND is LogSender] to %s: %s",
                mask_phone(phone),
                re.sub(r"\d", "*", message),
            )


@dataclass
class SentSms:
    phone: str
    message: str
    template: str
    params: dict[str, str] = field(default_factory=dict)


outbox: list[SentSms] = []


class MemorySender:
    """Test sender: messages are appended to `outbox`."""

    def send(
        self, phone: str, message: str, *, template: str = "", params: dict[str, str] | None = None
    ) -> None:
        outbox.append(SentSms(phone, message, template, dict(params or {})))


def aliyun_percent_encode(value: str) -> str:
    """Aliyun's encoding: UTF-8, RFC 3986 (space → %20, * → %2A, ~ kept)."""
    return urllib.parse.quote(value, safe="~")


def aliyun_signature(secret: str, params: dict[str, str], method: str = "POST") -> str:
    """Signature version 1.0 of Aliyun's RPC APIs: Base64(HMAC-SHA1(secret + "&",
    METHOD & encode("/") & encode(sorted, encoded query)))."""
    canonical = "&".join(
        f"{aliyun_percent_encode(k)}={aliyun_percent_encode(v)}" for k, v in sorted(params.items())
    )
    string_to_sign = f"{method}&{aliyun_percent_encode('/')}&{aliyun_percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), string_to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSender:
    """Aliyun SMS (Dysms, API version 2017-05-25) `SendSms`, a signed POST to SMS_ALIYUN_ENDPOINT.

    Each message uses an approved template: SMS_ALIYUN_TEMPLATES maps the product's template
    names (signup_code, account_exists, case_resolved) to Aliyun template codes.
    """

    def send(
        self, phone: str, message: str, *, template: str = "", params: dict[str, str] | None = None
    ) -> None:
        template_code = settings.SMS_ALIYUN_TEMPLATES.get(template)
        if not template_code:
            raise SmsError(f"No Aliyun template is configured for {template!r}.")
        query = {
            "AccessKeyId": settings.SMS_ALIYUN_ACCESS_KEY_ID,
            "Action": "SendSms",
            "Format": "JSON",
            "PhoneNumbers": phone,
            "RegionId": settings.SMS_ALIYUN_REGION,
            "SignName": settings.SMS_ALIYUN_SIGN_NAME,
            "SignatureMethod": "HMAC-SHA1",
            "SignatureNonce": uuid.uuid4().hex,
            "SignatureVersion": "1.0",
            "TemplateCode": template_code,
            "Timestamp": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Version": "2017-05-25",
        }
        if params:
            query["TemplateParam"] = json.dumps(params, ensure_ascii=False, separators=(",", ":"))
        query["Signature"] = aliyun_signature(settings.SMS_ALIYUN_ACCESS_KEY_SECRET, query)
        # POST, so the number is not in any URL a proxy might log.
        request = urllib.request.Request(  # noqa: S310  (the endpoint is a setting, https)
            settings.SMS_ALIYUN_ENDPOINT,
            data=urllib.parse.urlencode(query, quote_via=urllib.parse.quote).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=settings.SMS_TIMEOUT_SECONDS) as reply:  # noqa: S310
                body = json.loads(reply.read().decode("utf-8"))
        except urllib.error.HTTPError as error:
            try:
                body = json.loads(error.read().decode("utf-8"))
            except ValueError:
                raise SmsError(f"Aliyun SMS answered HTTP {error.code}.") from None
        except (OSError, ValueError) as error:
            raise SmsError(f"Aliyun SMS could not be reached: {type(error).__name__}.") from None
        if body.get("Code") != "OK":
            raise SmsError(
                f"Aliyun SMS refused the message: {body.get('Code')} "
                f"({re.sub(r'[0-9]{7,}', '***', str(body.get('Message', '')))})."
            )


def sender() -> SmsSender:
    sender_class = import_string(settings.SMS_BACKEND)
    return sender_class()


def send_sms(
    phone: str, message: str, *, template: str = "", params: dict[str, str] | None = None
) -> None:
    sender().send(phone, message, template=template, params=params)
