"""An anonymous reporter places the problem on the map or picks a building (reviewer's walk,
item 1), then follows the report from the "done" page by a POST, no code in a URL (item 2)."""

import pytest
from playwright.sync_api import expect

from gridgov.cases.models import Case
from tests.e2e.conftest import screenshot
from tests.factories import UnitFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_an_anonymous_reporter_sees_the_grids_and_the_buildings_of_their_community(
    world, browser, live_server, tmp_path, settings, width
):
    settings.MEDIA_ROOT = tmp_path
    unit = UnitFactory(building=world.building_b, number=2)
    context = browser.new_context(
        viewport={"width": width, "height": 844}, has_touch=True, locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    try:
        page.goto(f"{live_server.url}/cases/report/")
        # The map stays, with the three grid outlines drawn.
        expect(page.locator("#report-map-box")).to_be_visible()
        expect(page.locator("#report-map path.leaflet-interactive")).to_have_count(3)
        # Choosing a community fills the building list with its buildings only.
        page.select_option("select[name=community]", str(world.community_a.pk))
        building = page.locator("select[name=building]")
        expect(building.locator("option")).to_have_count(3)  # "choose" + 甲1号楼 + 乙1号楼
        assert "丙1号楼" not in building.inner_text()
        building.select_option(str(world.building_b.pk))
        # The building's units follow it, as they do for a signed-in resident.
        expect(page.locator("#unit-field")).to_be_visible()
        page.select_option("select[name=unit]", label="2单元")
        page.locator("#report-map").click(position={"x": 60, "y": 60})
        expect(page.locator("#location-status")).to_have_text("已在地图上标记位置")
        page.fill("textarea[name=description]", "楼道灯坏了")
        page.fill("input[name=contact_phone]", "13900004444")
        screenshot(page, f"report-anonymous-places-{width}")
        page.get_by_role("button", name="提交").click()
        page.wait_for_url("**/cases/report/done/")
        case = Case.objects.get()
        assert case.building == world.building_b and case.lat is not None
        assert case.unit == unit
        screenshot(page, f"report-done-post-{width}")
        page.get_by_test_id("follow-report").click()
        page.wait_for_url("**/cases/track/")
        assert "?code=" not in page.url
        expect(page.get_by_test_id("status")).to_have_text("待受理")
        screenshot(page, f"track-post-{width}")
    finally:
        context.close()
