"""A grid worker registers a finding for their community on a phone and follows it (ADR 0011);
the system administrator sees an area's code and parent read-only at desktop width."""

import pytest

from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_grid_worker_registers_a_community_finding_and_opens_it(world, live_server, phone):
    from gridgov.cases.models import Case

    sign_in(phone, live_server, "worker_a")
    phone.goto(f"{live_server.url}/cases/new/")
    phone.fill("input[name=title]", "井盖缺失")
    phone.fill("textarea[name=description]", "社区活动中心门前井盖缺失，位置在两个网格之间。")
    phone.select_option("select[name=channel]", "grid_worker")
    phone.select_option("select[name=community]", label="河西社区")
    screenshot(phone, "scope-worker-new-case-390")
    phone.locator("form[method=post] button.primary").tap()

    phone.wait_for_url(lambda url: "/cases/" in url and not url.endswith("/new/"))
    case = Case.objects.get()
    assert phone.url == f"{live_server.url}/cases/{case.number}/"
    assert "井盖缺失" in phone.locator("main").inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "scope-worker-case-390")


def test_an_areas_code_and_parent_are_shown_read_only(world, live_server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    sign_in(page, live_server, "sysadmin", tap=False)
    page.goto(f"{live_server.url}/admin/geo/area/{world.community_a.pk}/change/")
    assert page.locator("input[name=code]").count() == 0
    assert page.locator("input[name=name]").count() == 1
    shown = page.locator("#content").inner_text()
    assert "222405001001" in shown and "不能再修改层级、编码和上级区域" in shown
    screenshot(page, "scope-admin-area-1280")
    context.close()
