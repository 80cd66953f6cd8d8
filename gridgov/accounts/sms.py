"""Text messages through a pluggable sender (SMS_BACKEND).

The default sender writes the message to the log, clearly marked for development; a city plugs
in its SMS gateway by naming a class with the same `send(phone, message)` method.
"""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("gridgov.sms")


class SmsSender(Protocol):
    def send(self, phone: str, message: str) -> None: ...


class LogSender:
    """Development sender: the message goes to the log, not to a phone."""

    def send(self, phone: str, message: str) -> None:
        log.warning("[DEVELOPMENT SMS, NOT SENT] to %s: %s", phone, message)


def sender() -> SmsSender:
    sender_class = import_string(settings.SMS_BACKEND)
    return sender_class()


def send_sms(phone: str, message: str) -> None:
    sender().send(phone, message)
