"""Issue 10 on a phone (390 × 844): start a round, check in at a hazard-site checkpoint and
record its inspection, report a hazard finding offline (the page reopens from the service
worker), come back online. The server then holds exactly one round and one hazard linked to
it. Screenshots of the home and the round page at 390 and 1280."""

from io import BytesIO

import pytest
from PIL import Image

from gridgov.hazards.models import Hazard, HazardSite, Inspection
from gridgov.patrols.checkpoints import add_checkpoint
from gridgov.patrols.choices import CheckpointKind
from gridgov.patrols.models import HazardFinding, PatrolPlan, Round, RoundInspection
from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SITE = (42.7661, 129.4071)  # inside 第一网格 (lon 129.40–129.41, lat 42.76–42.77)


def test_a_hazard_found_offline_on_a_round(world, live_server, browser, tmp_path, settings):
    import datetime as dt

    settings.MEDIA_ROOT = tmp_path
    site = HazardSite.objects.create(
        name="3号楼电动车充电点",
        kind="ebike_charging",
        grid=world.grid_a,
        responsible_party="物业公司",
        lat=SITE[0],
        lon=SITE[1],
    )
    plan = PatrolPlan.objects.create(
        worker=world.people.worker_a, grid=world.grid_a, starts_on=dt.date(2026, 1, 1)
    )
    add_checkpoint(plan, kind=CheckpointKind.HAZARD_SITE, hazard_site=site, radius_m=30)
    photo = tmp_path / "hazard.jpg"
    buffer = BytesIO()
    Image.new("RGB", (80, 60), (200, 60, 30)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())

    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        permissions=["geolocation"],
        geolocation={"latitude": SITE[0] + 0.00002, "longitude": SITE[1], "accuracy": 5},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, "worker_a")
    page.get_by_test_id("home-start-round").tap()
    page.wait_for_url(f"{live_server.url}/patrols/rounds/*/")
    page.wait_for_selector("[data-testid=gps-status][data-fix]")
    checkpoint = page.get_by_test_id("checkpoint").first
    checkpoint.get_by_role("button", name="在此签到").tap()
    checkpoint.get_by_test_id("checked").filter(has_text="✓").wait_for()
    # The check-in offers the site's inspection.
    checkpoint.get_by_test_id("inspect").tap()
    checkpoint.get_by_test_id("inspected").wait_for()

    # Offline: the page reopens from the service worker; the hazard waits on the phone.
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)") is True
    page.reload()
    assert page.evaluate("navigator.serviceWorker.controller !== null") is True
    context.set_offline(True)
    page.reload()
    page.locator("[data-testid=finding-photo]").set_input_files(str(photo))
    page.get_by_test_id("finding-kind-hazard").check()
    page.get_by_test_id("finding-risk").select_option("high")
    page.get_by_test_id("finding-site").select_option(str(site.pk))
    page.fill("#finding-description", "充电点插座烧焦，有起火风险")
    screenshot(page, "patrol-hazard-form-390")
    page.get_by_test_id("report-finding").tap()
    page.wait_for_selector("[data-testid=queue-status][data-pending]:not([data-pending='0'])")
    assert Hazard.objects.count() == 0  # still on the phone
    screenshot(page, "patrol-hazard-offline-390")

    context.set_offline(False)
    page.wait_for_selector("[data-testid=queue-status][data-pending='0']", timeout=30_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.reload()
    page.get_by_test_id("round-hazards").wait_for()
    screenshot(page, "patrol-hazard-round-390")
    page.goto(f"{live_server.url}/")
    page.get_by_test_id("patrol-today").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "patrol-hazard-home-390")
    page.set_viewport_size({"width": 1280, "height": 800})
    screenshot(page, "patrol-hazard-home-1280")
    page.goto(f"{live_server.url}/patrols/rounds/{Round.objects.get().pk}/")
    screenshot(page, "patrol-hazard-round-1280")
    context.close()

    round_ = Round.objects.get()
    hazard = Hazard.objects.get()
    assert hazard.status == "found" and hazard.site_id == site.pk and hazard.risk_level == "high"
    assert hazard.photos.count() == 1
    assert HazardFinding.objects.get().round_id == round_.pk
    assert HazardFinding.objects.get().hazard_id == hazard.pk
    assert Inspection.objects.get().site_id == site.pk
    assert RoundInspection.objects.get().round_id == round_.pk
