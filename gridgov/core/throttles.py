"""DRF throttles for the API: per client address for anonymous callers, per user otherwise.

Unlike DRF's own classes they read the rates (API_THROTTLE_RATES) and the on/off switch
(RATELIMIT_ENABLE) at request time, and identify the client with the one client-address helper.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from gridgov.core.client_address import client_address


class _SettingsRates:
    scope: str | None

    def get_rate(self) -> str | None:
        return settings.API_THROTTLE_RATES.get(self.scope or "")

    def get_ident(self, request: Request) -> str:
        return client_address(request._request) or "unknown"

    def allow_request(self, request: Request, view: Any) -> bool:
        if not settings.RATELIMIT_ENABLE:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)  # type: ignore[attr-defined]
        return super().allow_request(request, view)  # type: ignore[misc]


class AnonThrottle(_SettingsRates, AnonRateThrottle):
    pass


class UserThrottle(_SettingsRates, UserRateThrottle):
    pass
