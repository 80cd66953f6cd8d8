"""The overdue count can read the partial index `case_open_handle_due` on SQLite too, which uses
a partial index only when the query words its condition literally: with the open statuses as
bound parameters, SQLite finds no way to use it and counts over the case table (ADR 0019)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from gridgov.analytics.metrics import Filters, overdue_open
from gridgov.analytics.periods import Period
from gridgov.cases.choices import OPEN_STATUSES
from gridgov.cases.models import Case

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's partial-index rule"),
]


def _forced(sql: str, params: tuple = ()) -> None:
    """Run `sql` made to read the partial index; SQLite refuses if the index cannot serve it."""
    forced = sql.replace('FROM "cases_case"', 'FROM "cases_case" INDEXED BY case_open_handle_due')
    assert forced != sql
    with connection.cursor() as cursor:
        cursor.execute(forced, params)


def test_the_overdue_count_can_read_the_partial_index(world):
    filters = Filters.make(world.street, Period.month(2026, 3), None, None, None)
    with CaptureQueriesContext(connection) as captured:
        assert overdue_open(filters) == 0
    (query,) = [q["sql"] for q in captured.captured_queries if "handle_due_at" in q["sql"]]
    _forced(query)


def test_the_same_condition_as_parameters_could_not(world):
    # The reference: the plain ORM condition, as the count was written before.
    queryset = Case.objects.filter(
        status__in=list(OPEN_STATUSES), handle_due_at__gte=dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    ).values("id")
    sql, params = queryset.query.sql_with_params()
    with pytest.raises(OperationalError, match="no query solution"):
        _forced(sql, params)
