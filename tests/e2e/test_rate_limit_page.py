"""The 429 page as a resident sees it, on a phone and on a desktop (item 11)."""

import pytest

from tests.e2e.conftest import screenshot

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_too_many_lookups_show_a_chinese_page_with_a_way_home(
    world, live_server, browser, rate_limits, width
):
    rate_limits.RATE_LIMITS = {**rate_limits.RATE_LIMITS, "track": "1/m"}
    context = browser.new_context(viewport={"width": width, "height": 844}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/cases/track/")  # the one lookup allowed: the form
        page.fill("#code", "NOPE2")
        with page.expect_navigation() as navigation:
            page.get_by_role("button", name="查询", exact=True).click()
        response = navigation.value
        assert response is not None and response.status == 429
        assert page.get_by_role("heading", name="请求过于频繁").is_visible()
        assert "请等几分钟后再试" in page.inner_text("main")
        home = page.get_by_test_id("home-link")
        box = home.bounding_box()
        assert box is not None and box["height"] >= 40  # a tap target, not a text link
        screenshot(page, f"rate-limit-429-{width}")
    finally:
        context.close()
