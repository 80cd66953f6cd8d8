"""The leader's dashboard, the big screen and the map of cases and hazards, at 1280 and 390 px."""

import datetime as dt

import pytest
from django.utils import timezone

from gridgov.cases.choices import SlaLevel, Status
from gridgov.cases.models import Case
from gridgov.demo.basemap import seed_basemap
from gridgov.hazards import actions as hazard_actions
from tests.cases_helpers import drive, make_case
from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def activity(world):
    p = world.people
    drive(world, make_case(world), Status.CLOSED)
    late = make_case(world, title="下水道堵塞三天", building=world.building_b)
    Case.objects.filter(pk=late.pk).update(sla_level=SlaLevel.OVERDUE, sla_rank=0)
    make_case(world, building=world.building_c, by=p.other_staff)
    hazard_actions.report_hazard(
        acting_user=p.staff,
        grid=world.grid_a,
        title="电动车楼道充电",
        risk_level="high",
        deadline=timezone.localdate() + dt.timedelta(days=5),
    )
    seed_basemap(world.community_a.code)
    return late


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_leader_reads_the_street_dashboard(world, live_server, activity, request, size):
    page = request.getfixturevalue(size)
    sign_in(page, live_server, "leader", tap=size == "phone")
    page.goto(f"{live_server.url}/dashboard/")
    page.wait_for_selector("body[data-charts-ready='1']")
    assert page.locator("[data-testid=kpi-intake]").inner_text() == "3"
    assert page.locator("[data-testid=kpi-closed]").inner_text() == "1"
    assert page.locator("[data-testid=kpi-overdue_now]").inner_text() == "1"
    assert page.locator("#trend-chart svg").count() == 1
    assert page.locator("#category-chart svg").count() == 1
    # A tap on a rate tile opens its numerator and denominator.
    tile = page.locator(".kpi-response_rate summary")
    tile.tap() if size == "phone" else tile.click()
    assert page.locator("[data-testid=fraction-response_rate]").inner_text() == "1 / 1"
    problems = page.locator("[data-testid=problem-cases]")
    assert "下水道堵塞三天" in problems.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    # Walk of issue 12: at 390 px the nav cut off its last item; it wraps now.
    last = page.locator("nav.tabs a").last.bounding_box()
    assert last is not None and last["x"] + last["width"] <= page.viewport_size["width"]
    # The month's days still to come are gaps in the chart's data, not zeros.
    data = page.evaluate("JSON.parse(document.getElementById('dashboard-data').textContent)")
    today = timezone.localdate()
    assert data["trend"]["created"][today.day :] == [None] * (
        len(data["trend"]["labels"]) - today.day
    )
    screenshot(page, f"dashboard-street-{page.viewport_size['width']}")
    problems.locator("a").first.click()
    page.wait_for_url(f"{live_server.url}/cases/{activity.number}/")


def test_the_big_screen_refreshes_itself(world, live_server, activity, desktop):
    sign_in(desktop, live_server, "leader", tap=False)
    desktop.goto(f"{live_server.url}/dashboard/{world.street.code}/screen/")
    desktop.wait_for_selector("#screen[data-charts-ready='1']")
    assert desktop.locator("[data-testid=kpi-intake]").inner_text() == "3"
    make_case(world, building=world.building_b)
    desktop.evaluate(
        "document.getElementById('screen').dispatchEvent(new Event('gridgov:refresh'))"
    )
    desktop.wait_for_selector("#screen[data-refreshed='1']")
    assert desktop.locator("[data-testid=kpi-intake]").inner_text() == "4"
    assert desktop.locator("#trend-chart svg").count() == 1
    screenshot(desktop, "bigscreen-street-1280")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_map_shows_cases_hazards_and_the_base_map(world, live_server, activity, request, size):
    page = request.getfixturevalue(size)
    sign_in(page, live_server, "staff", tap=size == "phone")
    page.goto(f"{live_server.url}/map/")
    page.wait_for_selector("#map[data-ready='1']")
    # Community A's staff: the closed and the late case (grid C's is community B's), one hazard.
    assert page.locator("#map").get_attribute("data-cases") == "2"
    assert page.locator("#map").get_attribute("data-hazards") == "1"
    assert page.locator(".base-road").count() == 8
    assert page.locator(".base-water").count() == 1
    assert page.locator(".case-pin.state-overdue").count() == 1
    assert page.locator(".case-pin.state-closed").count() == 1
    screenshot(page, f"map-cases-{page.viewport_size['width']}")
    page.select_option("[data-testid=map-status]", "open")
    page.wait_for_selector("#map[data-ready='1'][data-cases='1']")
    pin = page.locator(".case-pin.state-overdue")
    pin.tap() if size == "phone" else pin.click()
    link = page.locator(".leaflet-popup a", has_text="打开诉求")
    assert link.get_attribute("href") == f"/cases/{activity.number}/"
    # The GCJ-02 twin in map.js gives the reference values of gridgov/geo/gcj02.py.
    lon, lat = page.evaluate("window.GridGovCoords.wgs84ToGcj02(116.404, 39.915)")
    assert abs(lon - 116.41024449916938) < 1e-9 and abs(lat - 39.91640428150164) < 1e-9
