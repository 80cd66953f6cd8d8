import pytest
from playwright.sync_api import expect

from gridgov.registry.models import Person
from tests.e2e.conftest import screenshot
from tests.e2e.test_case_loop import log_in
from tests.registry_helpers import make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_grid_worker_updates_a_phone_number_in_the_field(world, live_server, browser):
    person = make_person(world.building_a, name="王小明", phone="13912345678")
    page = log_in(browser, live_server, "worker_a")
    page.get_by_role("link", name="居民").first.tap()
    page.wait_for_url("**/registry/")
    expect(page.get_by_test_id("people")).to_contain_text("王**")
    page.get_by_text("王**").tap()
    page.wait_for_url(f"**/registry/people/{person.pk}/")
    expect(page.get_by_test_id("phone")).to_have_text("139****5678")
    page.get_by_role("link", name="更新档案").tap()
    page.fill("input[name=phone]", "13700002222")
    screenshot(page, "registry-edit-390")
    page.get_by_role("button", name="保存").tap()
    page.wait_for_url(f"**/registry/people/{person.pk}/")
    expect(page.get_by_test_id("phone")).to_have_text("137****2222")
    expect(page.get_by_test_id("history")).to_contain_text("139****5678")
    expect(page.get_by_test_id("history")).to_contain_text("137****2222")
    assert "13700002222" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "registry-person-390")
    person.refresh_from_db()
    assert person.phone == "13700002222"
    # "Show in full" with a reason swaps the panel in place; a reload masks it again.
    page.fill("input[name=reason]", "电话回访核实")
    page.get_by_role("button", name="查看完整信息").tap()
    expect(page.get_by_test_id("phone")).to_have_text("13700002222")
    page.reload()
    expect(page.get_by_test_id("phone")).to_have_text("137****2222")

    auditor = log_in(browser, live_server, "auditadmin")
    auditor.goto(f"{live_server.url}/audit/?action=registry.person.update")
    rows = auditor.get_by_test_id("audit-rows")
    expect(rows).to_contain_text("worker_a")
    expect(rows).to_contain_text("137****2222")
    assert "13700002222" not in auditor.content()
    screenshot(auditor, "audit-log-390")
    assert Person.objects.count() == 1
