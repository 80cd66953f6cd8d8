"""The action forms generated from the specs, as people see them (phone and desktop)."""

import pytest

from gridgov.cases import actions
from gridgov.cases.choices import Status
from tests.cases_helpers import drive, make_case
from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _page(browser, live_server, username, width):
    context = browser.new_context(
        viewport={"width": width, "height": 900}, is_mobile=width < 600, has_touch=width < 600
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, username, tap=width < 600)
    return page


@pytest.mark.parametrize("width", [390, 1280])
def test_generated_forms_render_and_work(browser, live_server, world, width):
    case = drive(world, make_case(world), Status.RETURN_REQUESTED)
    page = _page(browser, live_server, "dispatcher", width)
    page.goto(f"{live_server.url}/cases/{case.number}/")
    box = page.locator("details.action-rule_return")
    assert box.locator("summary.primary").inner_text() == "审核退单"  # "Rule on the return"
    box.locator("summary").click()
    assert box.locator("select[name=decision] option").count() == 2
    assert box.locator("select[name=department]").input_value() == str(world.water.pk)
    screenshot(page, f"action-form-rule-return-{width}")
    box.locator("select[name=decision]").select_option("force")
    box.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == "已派单"
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    actions.claim_case(case, acting_user=world.people.handler)
