import pytest

from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_grid_worker_logs_in_opens_the_map_and_taps_their_grid(world, live_server, phone):
    grid = world.grid_a
    phone.goto(f"{live_server.url}/")
    assert "/accounts/login/" in phone.url
    sign_in(phone, live_server, "worker_a")
    assert phone.locator("h1").inner_text().startswith("您好")

    phone.get_by_role("link", name="地图").first.tap()
    phone.wait_for_selector("#map[data-ready='1']")
    screenshot(phone, "grid-worker-map-390")
    # Only the worker's own grid is drawn; tap it and follow the popup to the grid page.
    assert phone.locator("path.grid-shape").count() == 1
    shape = phone.locator(f"path.grid-{grid.code}")
    box = shape.bounding_box()
    # Tap inside the grid, clear of the zoom buttons, the label and the building dots.
    shape.tap(position={"x": box["width"] - 25, "y": box["height"] - 25})
    popup = phone.locator(".leaflet-popup-content")
    popup.get_by_text(grid.name).wait_for()
    popup.get_by_role("link", name="打开网格页面").tap()

    phone.wait_for_url(f"{live_server.url}/grids/{grid.code}/")
    assert phone.locator("h1").inner_text() == grid.name
    assert phone.get_by_test_id("building-count").inner_text() == "1"
    assert world.people.worker_a.full_name in phone.get_by_test_id("workers").inner_text()
    assert phone.get_by_text(grid.code).is_visible()
    phone.wait_for_selector("#grid-map[data-ready='1']")
    assert phone.locator(f"#grid-map path.grid-{grid.code}").count() == 1
    # Nothing overflows the phone's width.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(phone, "grid-page-390")
