"""No N+1 on the report pages: the query count does not grow with reports or action items."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gridgov.reports.actions import add_action_item, generate_report, record_conclusion
from gridgov.reports.choices import ReportKind
from gridgov.reports.periods import parse

pytestmark = pytest.mark.django_db


def queries(client, url):
    client.get(url)  # the first request of a session writes its own rows
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def _items(world, report, n):
    for i in range(n):
        add_action_item(
            report,
            acting_user=world.people.staff,
            title=f"事项{i}",
            owner=world.people.worker_a if i % 2 else world.people.staff,
            deadline=timezone.localdate() + dt.timedelta(days=5 + i),
        )
        record_conclusion(report, acting_user=world.people.staff, text=f"结论{i}")


def test_the_analysis_page_does_not_grow_with_its_action_items(world, client_for):
    client = client_for("staff")
    sep = generate_report(world.community_a, parse(ReportKind.MONTHLY, "2026-09"))
    _items(world, sep, 1)
    oct_ = generate_report(world.community_a, parse(ReportKind.MONTHLY, "2026-10"))
    _items(world, oct_, 1)
    one = queries(client, f"/reports/{oct_.pk}/")
    _items(world, sep, 9)
    _items(world, oct_, 9)
    oct_ = generate_report(world.community_a, parse(ReportKind.MONTHLY, "2026-10"))
    assert len(oct_.content["carried_over"]) == 10
    assert queries(client, f"/reports/{oct_.pk}/") == one


def test_the_list_does_not_grow_with_reports(world, client_for, django_assert_max_num_queries):
    client = client_for("dispatcher")
    generate_report(world.community_a, parse(ReportKind.MONTHLY, "2026-10"))
    one = queries(client, "/reports/")
    for area in (world.street, world.community_b, world.grid_a, world.grid_b, world.grid_c):
        generate_report(area, parse(ReportKind.MONTHLY, "2026-10"))
        generate_report(area, parse(ReportKind.WEEKLY, "2026-W44"))
    assert queries(client, "/reports/") == one
    with django_assert_max_num_queries(12):
        client.get("/reports/")
