"""Staff sessions: idle timeout and the two-factor step (domain.md §8)."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from gridgov.audit.log import record

_KEY = "gridgov_last_seen"


class StaffIdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and (user.is_staff_member or user.is_superuser):
            now = int(time.time())
            last = request.session.get(_KEY)
            if last is not None and now - int(last) > settings.STAFF_IDLE_MINUTES * 60:
                record("auth.idle_timeout", actor=user, obj=user, object_repr=user.get_username())
                logout(request)
                messages.info(
                    request,
                    _(
                        "You were signed out after %(n)d minutes without "
                        "activity. Please sign in again."
                    )
                    % {"n": settings.STAFF_IDLE_MINUTES},
                )
                if request.path.startswith("/api/"):
                    return HttpResponse(
                        _("Your session has expired. Please sign in again."),
                        status=401,
                        content_type="text/plain; charset=utf-8",
                    )
                return redirect_to_login(request.get_full_path())
            # Written at most once a minute, so a busy page does not rewrite the session.
            if last is None or now - int(last) >= 60:
                request.session[_KEY] = now
        return self.get_response(request)


class StaffTwoFactorMiddleware:
    """Staff signed in with a password reach nothing but the second step until they pass it."""

    ALLOWED = ("/accounts/two-factor/", "/accounts/logout/", "/i18n/", "/static/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from gridgov.accounts.two_factor import is_enrolled, requires_two_factor

        user = request.user
        if (
            requires_two_factor(user)
            and not user.is_verified()  # type: ignore[union-attr]
            and not request.path.startswith(self.ALLOWED)
        ):
            if request.path.startswith("/api/"):
                return HttpResponse(
                    _("Finish the two-factor sign-in first."),
                    status=403,
                    content_type="text/plain; charset=utf-8",
                )
            step = "" if is_enrolled(user) else "setup/"
            return redirect(
                f"/accounts/two-factor/{step}?{urlencode({'next': request.get_full_path()})}"
            )
        return self.get_response(request)
