"""A monthly analysis in the browser at 1280 px and 390 px: the figures, the charts, the
meeting's conclusion and action item recorded through the page; nothing wider than the screen."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gridgov.reports.actions import add_action_item, generate_report
from gridgov.reports.choices import ReportKind
from gridgov.reports.models import ActionItem, MeetingNote
from gridgov.reports.periods import parse
from tests.e2e.conftest import screenshot, sign_in
from tests.reports.helpers import october

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_staff_open_a_monthly_analysis_and_record_the_meeting(browser, live_server, world, width):
    october(world)
    before = generate_report(world.community_a, parse(ReportKind.MONTHLY, "2026-09"))
    add_action_item(
        before,
        acting_user=world.people.staff,
        title="九月定下的路灯维修",
        owner=world.people.staff,
        deadline=timezone.localdate() + dt.timedelta(days=3),
    )
    report = generate_report(world.community_a, parse(ReportKind.MONTHLY, "2026-10"))
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        is_mobile=width < 600,
        has_touch=width < 600,
        locale="zh-CN",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, "staff", tap=width < 600)
    page.goto(f"{live_server.url}/reports/")
    screenshot(page, f"report-list-{width}")
    page.get_by_role("link", name="河西社区 · 每月研判").first.click()
    page.wait_for_url(f"{live_server.url}/reports/{report.pk}/")
    intake = page.get_by_test_id("count-intake")
    assert "受理诉求数" in intake.inner_text() and "6" in intake.inner_text()
    assert page.locator("svg.report-chart").count() == 2
    assert "甲1号楼" in page.get_by_test_id("table-recurring").inner_text()
    assert "九月定下的路灯维修" in page.get_by_test_id("carried-over").inner_text()
    page.fill("textarea[name=text]", "甲1号楼水管老化，列入维修计划")
    page.get_by_role("button", name="记录结论").click()
    page.wait_for_load_state()
    form = page.get_by_test_id("item-form")
    form.locator("input[name=title]").fill("联系物业更换立管")
    form.locator("select[name=owner]").select_option(str(world.people.worker_a.pk))
    form.locator("input[name=deadline]").fill(
        (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    )
    form.get_by_role("button", name="添加督办事项").click()
    page.wait_for_load_state()
    assert "联系物业更换立管" in page.get_by_test_id("action-items").inner_text()
    assert MeetingNote.objects.get(period="2026-10").text == "甲1号楼水管老化，列入维修计划"
    assert ActionItem.objects.get(period="2026-10").owner == world.people.worker_a
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(page, f"report-monthly-{width}")
    context.close()


def test_report_tables_scroll_rather_than_squeeze_columns_at_390(browser, live_server, world):
    # Walk of issue 12: the overdue-cases table squeezed title, grid and place to one
    # character a line at 390 px (the case number took the width).
    october(world)
    report = generate_report(world.community_a, parse(ReportKind.MONTHLY, "2026-10"))
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    widths = page.eval_on_selector_all(
        ".report-section .table-scroll td, .report-section .table-scroll th",
        "cells => cells.map(c => c.getBoundingClientRect().width)",
    )
    font = page.eval_on_selector("body", "b => parseFloat(getComputedStyle(b).fontSize)")
    assert widths, "the report has tables"
    assert min(widths) >= 4 * font  # room for four characters a line in every column
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "report-tables-390")
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_the_report_pdf_downloads_from_the_page_and_reads_back(browser, live_server, world, width):
    # The PDF is rendered once and then served stored: the second download is the same file,
    # and its text (pdftotext) is the report's, in Chinese, with the phone number masked.
    from tests.pdf_helpers import pdf_plain_text

    month = october(world)
    report = generate_report(world.community_a, parse(ReportKind.MONTHLY, "2026-10"))
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        is_mobile=width < 600,
        has_touch=width < 600,
        locale="zh-CN",
        accept_downloads=True,
    )
    page = context.new_page()
    page.set_default_timeout(30_000)
    sign_in(page, live_server, "leader", tap=width < 600)
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    bodies = []
    for _ in range(2):
        with page.expect_download() as caught:
            page.get_by_test_id("download-pdf").click()
        download = caught.value
        assert download.suggested_filename == "每月研判-河西社区-2026-10-v1.pdf"
        with open(download.path(), "rb") as handle:
            bodies.append(handle.read())
    assert bodies[0] == bodies[1]
    text = pdf_plain_text(bodies[0])
    for expected in (
        "河西社区·每月研判",
        "受理诉求数",
        "139****5678",
        month.c3.number,
        "仅供工作使用",
    ):
        assert expected in text, expected
    assert "13912345678" not in text and "leader" not in text
    screenshot(page, f"report-pdf-link-{width}")
    context.close()
