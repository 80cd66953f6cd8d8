"""Community staff draw up a plan on a phone (390 × 844) and add a checkpoint by tapping the
grid's map; the page also lays out at 1280 × 800. The checkpoint lands where the map was tapped
(inside 第一网格), and the change is audited."""

from __future__ import annotations

import pytest

from gridgov.audit.models import AuditEntry
from gridgov.patrols.models import Checkpoint, PatrolPlan
from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_plan_and_a_checkpoint_tapped_on_the_map(world, live_server, phone):
    page = phone
    sign_in(page, live_server, "staff")
    page.goto(f"{live_server.url}/patrols/plans/")
    grid_a = page.locator(f"[data-testid=plan-grid][data-grid='{world.grid_a.code}']")
    grid_a.get_by_test_id("new-plan").tap()
    assert page.locator("#id_rounds_per_day").input_value() == "2"
    page.select_option("#id_worker", str(world.people.worker_a.pk))
    page.fill("#id_starts_on", "2026-12-01")
    screenshot(page, "patrol-plan-new-390")
    page.get_by_role("button", name="保存").tap()
    page.wait_for_url(f"{live_server.url}/patrols/plans/*/")
    plan = PatrolPlan.objects.get()

    page.select_option("#id_kind", "other")
    page.fill("#id_name", "东门岗")
    map_box = page.get_by_test_id("plan-map").bounding_box()
    assert map_box is not None
    # Tap the middle of the map: the grid fills the map, so its middle is inside the grid.
    page.mouse.click(map_box["x"] + map_box["width"] / 2, map_box["y"] + map_box["height"] / 2)
    assert page.locator("#id_lat").input_value() != ""
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "patrol-plan-390")
    page.get_by_role("button", name="添加巡查点").tap()
    page.get_by_test_id("checkpoint-row").first.wait_for()
    checkpoint = Checkpoint.objects.get(plan=plan)
    # 第一网格 spans lat 42.76–42.77, lon 129.40–129.41.
    assert 42.76 < checkpoint.lat < 42.77 and 129.40 < checkpoint.lon < 129.41
    assert checkpoint.name == "东门岗"
    assert AuditEntry.objects.filter(action="patrol_plan.checkpoint_added").count() == 1
    page.set_viewport_size({"width": 1280, "height": 800})
    page.reload()
    # The grid's outline and the checkpoint's circle are drawn on the map.
    page.locator("#plan-map path.leaflet-interactive").nth(1).wait_for()
    screenshot(page, "patrol-plan-1280")
