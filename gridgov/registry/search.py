"""Registry searches by ID number or phone stay out of URLs (access logs keep URLs).

The people list's filter form is POSTed; its data is kept in the session under a random token
and the browser is redirected to `?search=<token>`, so pages, pagination and the export link
carry only the token. A GET that puts an ID number or phone in `q` is not searched.
"""

from __future__ import annotations

import secrets

from django.http import HttpRequest, QueryDict

from gridgov.registry.filters import is_sensitive_query

SESSION_KEY = "registry_searches"
KEPT = 20  # searches remembered per session
FIELDS = ("q", "grid", "status", "registration", "group")


def remember(request: HttpRequest, data: QueryDict) -> str:
    """Keep the posted filter in the session; return its token."""
    token = secrets.token_urlsafe(12)
    searches = dict(request.session.get(SESSION_KEY, {}))
    searches[token] = {name: data.get(name, "") for name in FIELDS}
    request.session[SESSION_KEY] = dict(list(searches.items())[-KEPT:])
    return token


def filter_data(request: HttpRequest) -> tuple[QueryDict | None, bool]:
    """The filter data of a list or export request, and whether a sensitive `q` was refused."""
    query = request.GET.copy()
    query.pop("page", None)
    token = query.pop("search", [""])[-1]
    stored = request.session.get(SESSION_KEY, {}).get(token) if token else None
    if stored:
        for name, value in stored.items():
            query[name] = value
    refused = False
    if not stored and is_sensitive_query(query.get("q", "")):
        query["q"] = ""
        refused = True
    return (query if query else None), refused
