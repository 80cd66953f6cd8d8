"""Error pages users see: Chinese first (English when chosen), each with a way home.

Django's own 404/403/500 views already render `404.html`, `403.html` and `500.html`; only the
CSRF failure needs a view, because Django's renders `403_csrf.html` without the request (no
language switcher, no signed-in header). 500 stays Django's: it renders without the request or
the database, which may be what failed.
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """An unknown API address answers in JSON like the API's own 404s; pages get the page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return defaults.page_not_found(request, exception)
