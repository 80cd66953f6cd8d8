"""Query counts of the case page, the case API detail and the inbox do not grow with the
history or the number of notifications (issue #9). Bounds are written by hand."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from gridgov.cases import actions
from gridgov.inbox.services import notify
from tests.cases_helpers import make_case

pytestmark = pytest.mark.django_db


def _count(get):
    get()  # warm: sessions, content types
    with CaptureQueriesContext(connection) as queries:
        response = get()
    assert response.status_code == 200
    return len(queries)


def _add_notes(world, case, n):
    for i in range(n):
        actions.add_progress_note(case, acting_user=world.people.staff, note=f"第{i}次电话")


def test_case_page_queries_do_not_grow_with_the_history(world, client_for):
    client = client_for("staff")
    case = make_case(world)
    few = _count(lambda: client.get(f"/cases/{case.number}/"))
    _add_notes(world, case, 12)
    many = _count(lambda: client.get(f"/cases/{case.number}/"))
    assert many == few
    assert few <= 13  # 12 on 1 Dec 2026


def test_case_api_detail_queries_do_not_grow_with_the_history(world):
    api = APIClient()
    api.force_authenticate(world.people.staff)
    case = make_case(world)
    few = _count(lambda: api.get(f"/api/v1/cases/{case.pk}/"))
    _add_notes(world, case, 12)
    many = _count(lambda: api.get(f"/api/v1/cases/{case.pk}/"))
    assert many == few
    assert few <= 4  # 3 on 1 Dec 2026 (the user is already loaded)


def test_inbox_queries_do_not_grow_with_the_notifications(world, client_for):
    client = client_for("staff")
    notify([world.people.staff.pk], message="一条", url="/cases/")
    few = _count(lambda: client.get("/inbox/"))
    for i in range(20):
        notify([world.people.staff.pk], message=f"第{i}条", url="/cases/")
    many = _count(lambda: client.get("/inbox/"))
    assert many == few
    assert few <= 8  # 7 on 1 Dec 2026
