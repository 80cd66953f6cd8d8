"""Report pages, downloads and the command: scope (404 outside), XLSX numbers, audit."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from gridgov.audit.models import AuditEntry
from gridgov.reports.actions import generate_report, generate_scheduled
from gridgov.reports.choices import ReportKind
from gridgov.reports.models import Report
from gridgov.reports.periods import parse
from tests.reports.helpers import october

pytestmark = pytest.mark.django_db


@pytest.fixture
def reports(world):
    october(world)
    month = parse(ReportKind.MONTHLY, "2026-10")
    return {
        "community_a": generate_report(world.community_a, month),
        "grid_a": generate_report(world.grid_a, month),
        "grid_b": generate_report(world.grid_b, month),
        "community_b": generate_report(world.community_b, month),
        "street": generate_report(world.street, month),
    }


# Who reads which report: the staff of the area's subtree; nobody else (404).
SEES = {
    "staff": {"community_a", "grid_a", "grid_b"},
    "other_staff": {"community_b"},
    "worker_a": {"grid_a"},
    "worker_b": {"grid_b"},
    "dispatcher": {"community_a", "grid_a", "grid_b", "community_b", "street"},
    "leader": {"community_a", "grid_a", "grid_b", "community_b", "street"},
    "handler": set(),
    "mediator": set(),
    "resident": set(),
    "sysadmin": set(),
    "auditadmin": set(),
    "outsider": set(),
}


@pytest.mark.parametrize("persona", sorted(SEES))
def test_report_pages_are_scoped(client_for, reports, persona):
    client = client_for(persona)
    for name, report in reports.items():
        expected = 200 if name in SEES[persona] else 404
        for route in ("detail", "xlsx", "pdf"):
            if route == "pdf" and expected == 200:
                continue  # the PDF is rendered in test_pdf.py
            response = client.get(
                f"/reports/{report.pk}/{'' if route == 'detail' else route + '/'}"
            )
            assert response.status_code == expected, (persona, name, route)
    listed = client.get("/reports/")
    if SEES[persona]:
        shown = {r.pk for r in listed.context["page"]}
        assert shown == {reports[n].pk for n in SEES[persona]}
    else:
        assert listed.status_code in (200, 302, 404)
        if listed.status_code == 200:
            assert list(listed.context["page"]) == []


def test_report_list_is_not_there_for_a_resident(client_for, reports):
    # Residents see no analytics at all: the list 404s like the dashboard, not an empty page.
    assert client_for("resident").get("/reports/").status_code == 404


def test_anonymous_is_sent_to_sign_in(client_for, reports):
    response = client_for("anonymous").get(f"/reports/{reports['grid_a'].pk}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_report_page_shows_numerator_and_denominator(client_for, reports):
    response = client_for("staff").get(f"/reports/{reports['community_a'].pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="count-intake"' in page
    assert "甲1号楼" in page  # the recurring problem
    assert "13912345678" not in page and "王女士" not in page
    patrol_row = next(t for t in response.context["tables"] if t.key == "activity").rows[0]
    assert patrol_row[1:] == [0, 0, None]  # no plans in the hand-built month: 0 of 0


def test_xlsx_has_a_sheet_per_table_and_numbers_as_numbers(world, client_for, reports):
    response = client_for("staff").get(f"/reports/{reports['community_a'].pk}/xlsx/")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "数量"
    assert {"数量", "比率", "按类别", "按渠道", "按状态", "热点", "反复发生的问题"} <= set(
        book.sheetnames
    )
    counts = book["数量"]
    assert [c.value for c in counts[3]] == ["指标", "本期", "上期", "变化", "变化（%）"]
    intake = counts[4]  # the first figure: cases received, 6 against 2 (+4, +200%)
    assert [c.value for c in intake[1:]] == [6, 2, 4, 200]
    assert all(c.data_type == "n" for c in intake[1:])
    recurring = book["反复发生的问题"]
    assert recurring[4][0].value == "甲1号楼"
    assert recurring[4][2].value == 3 and recurring[4][2].data_type == "n"
    entry = AuditEntry.objects.get(action="report.downloaded")
    assert entry.detail == {"format": "xlsx", "area": "222405001001", "period": "2026-10"}
    assert entry.actor_id == world.people.staff.pk


def test_command_generates_one_report(world):
    october(world)
    out = io.StringIO()
    call_command("report", "monthly", "--area", "222405001001", "--period", "2026-10", stdout=out)
    report = Report.objects.get(area=world.community_a, kind=ReportKind.MONTHLY)
    assert (report.period, report.version, report.period_start.isoformat()) == (
        "2026-10",
        1,
        "2026-10-01",
    )
    assert "version 1" in out.getvalue()
    call_command(
        "report", "weekly", "--area", "222405001001001", "--period", "2026-W42", stdout=out
    )
    week = Report.objects.get(area=world.grid_a, kind=ReportKind.WEEKLY)
    assert (week.period_start.isoformat(), week.period_end.isoformat()) == (
        "2026-10-12",
        "2026-10-18",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["monthly", "--area", "nope", "--period", "2026-10"], "No area"),
        (["monthly", "--area", "222405001001", "--period", "2026-W42"], "Bad period"),
        (["weekly", "--area", "222405001001", "--period", "2026-W60"], "Bad period"),
        (["monthly", "--area", "222405", "--period", "2026-10"], None),
    ],
)
def test_command_refuses_bad_input(world, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", *args, stdout=io.StringIO())
    assert Report.objects.count() == 0


def test_beat_schedule_runs_monday_and_the_first_at_seven():
    weekly = settings.CELERY_BEAT_SCHEDULE["weekly-reports"]
    monthly = settings.CELERY_BEAT_SCHEDULE["monthly-reports"]
    assert weekly["task"] == "gridgov.reports.tasks.generate_weekly_reports"
    assert monthly["task"] == "gridgov.reports.tasks.generate_monthly_reports"
    assert (weekly["schedule"].hour, weekly["schedule"].minute) == ({7}, {0})
    assert weekly["schedule"].day_of_week == {1}
    assert monthly["schedule"].day_of_month == {1}
    assert (monthly["schedule"].hour, monthly["schedule"].minute) == ({7}, {0})


def test_scheduled_runs_cover_every_grid_and_community(world):
    import datetime as dt

    from gridgov.reports import tasks

    assert (
        generate_scheduled(ReportKind.WEEKLY, dt.date(2026, 11, 23)) == 5
    )  # 2 communities, 3 grids
    weekly = Report.objects.filter(kind=ReportKind.WEEKLY)
    assert set(weekly.values_list("period", flat=True)) == {"2026-W47"}
    assert set(weekly.values_list("area__code", flat=True)) == {
        "222405001001",
        "222405001002",
        "222405001001001",
        "222405001001002",
        "222405001002001",
    }
    # the task itself (eager, no broker) reports on last month for the street too
    made = tasks.generate_monthly_reports.delay().get()
    assert made == 6
    assert Report.objects.filter(kind=ReportKind.MONTHLY, area=world.street).count() == 1
