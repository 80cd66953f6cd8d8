"""Grid names are data: the map's labels and popups show them as text and run nothing."""

import pytest

from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = '<img src=x onerror="window.__pwned=1">'


def test_a_grid_named_like_markup_shows_literally_and_runs_nothing(world, live_server, phone):
    world.grid_a.name = HOSTILE
    world.grid_a.save(update_fields=["name"])
    sign_in(phone, live_server, "worker_a")
    phone.goto(f"{live_server.url}/map/")
    phone.wait_for_selector("#map[data-ready='1']")
    label = phone.locator(".leaflet-tooltip.grid-label")
    assert label.inner_text() == HOSTILE
    assert phone.locator("#map img[src='x']").count() == 0
    assert phone.evaluate("window.__pwned") is None
    screenshot(phone, "map-hostile-grid-name-390")
