"""Error pages users see: Chinese first (English when chosen), each with a way home.

Django's own 404/403/500 views already render `404.html`, `403.html` and `500.html`; only the
CSRF failure needs a view, because Django's renders `403_csrf.html` without the request (no
language switcher, no signed-in header). 500 stays Django's: it renders without the request or
the database, which may be what failed.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
