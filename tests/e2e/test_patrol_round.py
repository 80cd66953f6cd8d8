"""A round on a phone (390 × 844) with emulated geolocation walking a route: start, pass two
checkpoints, go offline (the page reopens from the service worker), report a finding with a
photo, come back online, finish. The server then holds exactly one round, its track, two
check-ins and one case."""

from io import BytesIO

import pytest
from PIL import Image

from gridgov.cases.models import Case
from gridgov.patrols.models import CheckIn, Round, TrackBatch
from tests.e2e.conftest import screenshot, sign_in
from tests.patrols.helpers import CHECKPOINTS, make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _walk_to(context, page, lat: float, lon: float) -> None:
    context.set_geolocation({"latitude": lat, "longitude": lon, "accuracy": 5})
    page.wait_for_selector(f"[data-testid=gps-status][data-fix='{lat:.5f},{lon:.5f}']")


def test_a_round_with_a_dead_spot(world, live_server, browser, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    plan = make_plan(world)
    photo = tmp_path / "finding.jpg"
    buffer = BytesIO()
    Image.new("RGB", (80, 60), (150, 90, 30)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())

    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        permissions=["geolocation"],
        geolocation={"latitude": 42.7645, "longitude": 129.4050, "accuracy": 5},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, "worker_a")
    page.goto(f"{live_server.url}/patrols/")
    page.get_by_test_id("start-round").tap()
    page.wait_for_url(f"{live_server.url}/patrols/rounds/*/")
    checkpoints = page.get_by_test_id("checkpoint")

    for index in (0, 1):  # walk to each of the first two checkpoints and check in there
        _name, lat, lon = CHECKPOINTS[index]
        _walk_to(context, page, lat + 0.00003, lon)
        checkpoints.nth(index).get_by_role("button", name="在此签到").tap()
        checkpoints.nth(index).get_by_test_id("checked").filter(has_text="✓").wait_for()
    screenshot(page, "patrol-round-390")

    # The service worker keeps the round page: it opens again with no network.
    assert page.evaluate("navigator.serviceWorker.ready.then(() => true)") is True
    page.reload()
    assert page.evaluate("navigator.serviceWorker.controller !== null") is True
    context.set_offline(True)
    page.reload()
    assert page.get_by_test_id("checkpoint").count() == 3
    _walk_to(context, page, 42.7655, 129.4056)
    page.locator("[data-testid=finding-photo]").set_input_files(str(photo))
    page.fill("#finding-description", "楼道堆放杂物，堵塞消防通道")
    page.get_by_test_id("report-finding").tap()
    page.wait_for_selector("[data-testid=queue-status][data-pending]:not([data-pending='0'])")
    assert Case.objects.count() == 0  # still on the phone
    screenshot(page, "patrol-round-offline-390")

    context.set_offline(False)
    page.fill("#note", "巡查完成，发现一处隐患")
    page.get_by_test_id("finish-round").tap()
    page.get_by_test_id("round-status").filter(has_text="已完成").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "patrol-round-finished-390")
    page.goto(f"{live_server.url}/patrols/compliance/")
    assert page.get_by_test_id("day").count() >= 28
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "patrol-compliance-390")
    page.goto(f"{live_server.url}/")
    page.get_by_test_id("patrol-today").wait_for()
    screenshot(page, "patrol-home-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/patrols/compliance/")
    screenshot(page, "patrol-compliance-1280")
    context.close()

    round_ = Round.objects.get()
    assert round_.status == "finished" and round_.note == "巡查完成，发现一处隐患"
    assert TrackBatch.objects.filter(round=round_).exists() and round_.point_count >= 3
    assert CheckIn.objects.filter(round=round_).count() == 2
    case = Case.objects.get()
    assert case.channel == "patrol" and round_.findings.get().case_id == case.pk
    assert case.attachments.count() == 1
    assert plan.rounds.count() == 1
