"""Rate limits for pages anyone can reach (django-ratelimit, counted per client address in the
cache): the tracking page, anonymous reports, sign-up codes, login. Rates are settings
(RATE_LIMITS, "count/period"); RATELIMIT_ENABLE=False turns them off (the test suite does).

A refused request gets 429 with a plain Chinese (or English) explanation: a page for browsers,
JSON for the report form's script and other clients that ask for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited

from gridgov.core.client_address import ratelimit_key

View = Callable[..., HttpResponseBase]


def _rate(name: str, anonymous_only: bool) -> Callable[[str, HttpRequest], str | None]:
    def rate(group: str, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if anonymous_only and user is not None and user.is_authenticated:
            return None  # signed-in users are not limited here
        return settings.RATE_LIMITS[name]

    return rate


def over_limit(
    request: HttpRequest,
    name: str,
    *,
    methods: Iterable[str] = ("GET", "POST"),
    anonymous_only: bool = False,
    key: Callable[[str, HttpRequest], str] = ratelimit_key,
) -> bool:
    """Count this request against limit `name` and say whether it is over."""
    return is_ratelimited(
        request,
        group=f"gridgov.{name}",
        key=key,
        rate=_rate(name, anonymous_only),
        method=list(methods),
        increment=True,
    )


def too_many_requests(request: HttpRequest) -> HttpResponse:
    message = _(
        "Too many requests from your network address. Please wait a few minutes and try again."
    )
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"detail": message, "errors": {"__all__": [message]}}, status=429)
    response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = "60"
    return response


def rate_limited(
    name: str, *, methods: Iterable[str] = ("GET", "POST"), anonymous_only: bool = False
) -> Callable[[View], View]:
    """Decorate a view: over limit `name` it answers 429 instead of running."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if over_limit(request, name, methods=methods, anonymous_only=anonymous_only):
                return too_many_requests(request)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
