"""Dashboards at scale: the area-wide charts read the smallest rollup that holds them (the
community table above a grid, one row per community and category a day) and give the same
figures as the grid table."""

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gridgov.analytics.dashboards import top_categories, trend
from gridgov.analytics.models import CaseRollup
from gridgov.analytics.periods import Period
from gridgov.cases.choices import Status
from tests.cases_helpers import drive, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def month(world):
    drive(world, make_case(world), Status.CLOSED)
    drive(world, make_case(world), Status.VOIDED)
    make_case(world)
    today = timezone.localdate()
    return Period.month(today.year, today.month)


def _tables(queries) -> set[str]:
    return {
        table
        for q in queries
        for table in ("analytics_caserollup", "analytics_communityrollup")
        if table in q["sql"]
    }


def test_street_and_community_charts_read_the_community_rollup(world, month):
    for area in (world.street, world.community_a):
        with CaptureQueriesContext(connection) as queries:
            trend(area, month)
            top_categories(area, month)
        assert _tables(queries.captured_queries) == {"analytics_communityrollup"}
    with CaptureQueriesContext(connection) as queries:
        trend(world.grid_a, month)
        top_categories(world.grid_a, month)
    assert _tables(queries.captured_queries) == {"analytics_caserollup"}


def test_the_community_rollup_gives_the_grid_tables_figures(world, month):
    rows = CaseRollup.objects.filter(
        area_path__startswith=world.street.path, day__gte=month.start, day__lt=month.end
    )
    created = rows.aggregate(n=Sum("created"))["n"]
    closed = rows.aggregate(n=Sum("closed"))["n"]
    # Three cases made this month in community A; the closed one and the voided one were closed
    # (a discard counts as discarded, not closed): 3 received, 1 closed.
    assert (created, closed) == (3, 1)
    chart = trend(world.street, month)
    assert sum(v or 0 for v in chart["created"]) == 3
    assert sum(v or 0 for v in chart["closed"]) == 1
    categories = top_categories(world.street, month)
    assert sum(c["count"] for c in categories) == 3
