"""The hazard register on a phone and a desktop: report with a photo first, then rectify."""

from __future__ import annotations

import pytest

from gridgov.hazards.models import Hazard, HazardPhoto
from tests.e2e.conftest import screenshot, sign_in
from tests.media_helpers import photo_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_grid_worker_reports_a_hazard_with_a_photo_and_starts_rectification(
    browser, live_server, world, tmp_path, width
):
    context = browser.new_context(
        viewport={"width": width, "height": 900},
        is_mobile=width < 600,
        has_touch=width < 600,
        locale="zh-CN",
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, "worker_a", tap=width < 600)
    page.goto(f"{live_server.url}/hazards/")
    page.get_by_test_id("report-hazard").click()
    photo = tmp_path / "hazard.jpg"
    photo.write_bytes(photo_as("jpeg", size=(64, 48)).read())
    page.set_input_files("input[name=photos]", str(photo))
    page.fill("input[name=title]", "楼道内电动车充电")
    page.select_option("select[name=risk_level]", "high")
    screenshot(page, f"hazard-new-{width}")
    page.get_by_role("button", name="录入台账").click()
    page.wait_for_load_state()
    screenshot(page, f"hazard-after-new-{width}")
    assert page.get_by_test_id("status").inner_text() == "已发现"
    hazard = Hazard.objects.get()
    assert HazardPhoto.objects.filter(hazard=hazard).count() == 1
    assert page.locator(".hazard-photos img").count() == 1
    box = page.locator("details.action-start_rectification")
    box.locator("summary").click()
    box.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert page.get_by_test_id("status").inner_text() == "整改中"
    screenshot(page, f"hazard-detail-{width}")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.goto(f"{live_server.url}/hazards/")
    screenshot(page, f"hazard-list-{width}")
    context.close()
