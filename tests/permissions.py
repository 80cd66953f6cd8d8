"""The permission-matrix helper (style.md §13), reused by every endpoint's tests.

`check_matrix(client_for, "get", url, {"worker_a": 200, "worker_b": 404, "anonymous": 302})`
requests the URL once per persona and asserts the status. Give `state` (a function returning a
comparable snapshot of the database) to also assert that every refused request changed nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.test import Client


def check_matrix(
    client_for: Callable[[str], Client],
    method: str,
    url: str,
    expected: Mapping[str, int],
    *,
    data: Any = None,
    content_type: str | None = None,
    state: Callable[[], Any] | None = None,
) -> None:
    failures = []
    for persona, status in expected.items():
        before = state() if state else None
        client = client_for(persona)
        kwargs: dict[str, Any] = {}
        if data is not None:
            kwargs["data"] = data
        if content_type:
            kwargs["content_type"] = content_type
        response = getattr(client, method)(url, **kwargs)
        if response.status_code != status:
            failures.append(f"{persona}: expected {status}, got {response.status_code}")
        elif state and status >= 300 and state() != before:
            failures.append(f"{persona}: refused with {status} but the database changed")
    assert not failures, f"{method.upper()} {url}\n" + "\n".join(failures)
