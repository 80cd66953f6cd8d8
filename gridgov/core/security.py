"""Security middleware: request size bound and the Content-Security-Policy header."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


class RequestSizeLimitMiddleware:
    """Refuse a request body larger than REQUEST_MAX_BYTES before anything reads it (a 2 GB
    upload gets an immediate 413, never a full read to disk)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            message = _("The upload is too large (%(size)d MB); the limit is %(limit)d MB.") % {
                "size": length // (1024 * 1024),
                "limit": settings.REQUEST_MAX_BYTES // (1024 * 1024),
            }
            response = HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
            response["Connection"] = "close"
            return response
        return self.get_response(request)


def _policy() -> str:
    images = ["'self'", "data:", "blob:"]
    tile = urlsplit(settings.MAP_TILE_URL.replace("{s}", "a")) if settings.MAP_TILE_URL else None
    if tile and tile.scheme and tile.netloc:
        host = tile.netloc.replace("a.", "*.", 1) if "{s}" in settings.MAP_TILE_URL else tile.netloc
        images.append(f"{tile.scheme}://{host}")
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            # The admin and Leaflet set element styles; styles cannot run code.
            "style-src 'self' 'unsafe-inline'",
            f"img-src {' '.join(images)}",
            "media-src 'self' blob:",
            "connect-src 'self'",
            "font-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = _policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(self), microphone=(self), geolocation=(self)"
        )
        return response
