"""The audit log page costs the same few queries for 3 entries or a full page of 50 (style.md §15).

The count was read once and typed in: session, user, the second-factor device, memberships, the
row count, the bell's unread count, the page of rows, and the idle-timeout stamp written back to
the session (savepoint, update, release) on this first page after signing in.
"""

from __future__ import annotations

import pytest

from gridgov.audit.log import record
from gridgov.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

QUERIES = 10
ROW = "<tr data-seq="


@pytest.mark.parametrize("entries", [3, 60])
def test_the_audit_log_page_costs_the_same_queries(
    world, client_for, django_assert_num_queries, entries
):
    for n in range(entries):
        record("test.thing", actor=world.people.staff, detail={"n": n}, object_repr=f"第{n}条")
    client = client_for("auditadmin")

    with django_assert_num_queries(QUERIES):
        response = client.get("/audit/")

    assert response.status_code == 200
    # Signing in wrote rows of its own: the page holds the newest 50 of all of them.
    assert response.content.decode().count(ROW) == min(AuditEntry.objects.count(), 50)


def test_a_filtered_audit_log_page_costs_the_same_queries(
    world, client_for, django_assert_num_queries
):
    for n in range(120):
        record("test.thing" if n % 2 else "test.other", actor=world.people.staff)
    client = client_for("auditadmin")

    with django_assert_num_queries(QUERIES):
        response = client.get("/audit/", {"action": "test.thing", "page": "2"})

    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(ROW) == 10  # 60 match: the second page holds 10
    assert page.count('title="test.thing"') == 10
