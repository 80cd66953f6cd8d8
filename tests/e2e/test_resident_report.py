import pytest
from playwright.sync_api import expect

from gridgov.cases import actions
from gridgov.cases.choices import Channel, Status
from gridgov.cases.models import Case, MediaState
from tests.conftest import PASSWORD
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, screenshot, sign_in
from tests.media_helpers import jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def phone_context(browser, **extra):
    return browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        **extra,
    )


def test_resident_reports_with_location_and_a_gps_photo_and_rates_the_result(
    world, live_server, browser, tmp_path, settings, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    photo = tmp_path / "leak.jpg"
    photo.write_bytes(jpeg_with_gps(42.765, 129.405).read())
    context = phone_context(
        browser,
        geolocation={"latitude": 42.7655, "longitude": 129.4055},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "resident")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form[method=post] button.primary").tap()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="我要反映问题").tap()
    page.wait_for_url("**/cases/report/")  # waits for the load event: the form's script is live
    page.fill("textarea[name=description]", "楼道水管漏水，地面积水")
    page.fill("#category-search", "漏水")
    page.locator("input[name=photos]").set_input_files(str(photo))
    page.get_by_role("button", name="使用我的位置").tap()
    page.get_by_text("已获取位置").wait_for()
    expect(page.locator("#photo-previews img")).to_have_count(1)
    screenshot(page, "resident-report-390")
    page.get_by_role("button", name="提交").tap()
    page.wait_for_url("**/cases/222405001001-*/")
    number = page.url.rstrip("/").rsplit("/", 1)[1]

    case = Case.objects.get(number=number)
    assert (case.channel, case.grid, case.category.code) == (
        Channel.RESIDENT_APP,
        world.grid_a,
        "0301",
    )
    assert case.lat == pytest.approx(42.7655, abs=1e-4)  # the phone's location wins over EXIF
    assert case.attachments.get().state == MediaState.READY
    assert number in [
        c.number
        for c in Case.objects.visible_to(world.people.staff).filter(status=Status.SUBMITTED)
    ]

    # The community and the department work the case (their own pages are tested elsewhere).
    p = world.people
    case = actions.accept_case(case, acting_user=p.staff)
    case = actions.escalate_case(case, acting_user=p.staff)
    case = actions.dispatch_case(case, acting_user=p.dispatcher, department=world.water)
    case = actions.claim_case(case, acting_user=p.handler)
    case = actions.resolve_case(case, acting_user=p.handler, result="已修好漏水的水管")
    with django_capture_on_commit_callbacks(execute=True):
        actions.verify_case(case, acting_user=p.worker_a, passed=True)

    page.goto(f"{live_server.url}/")
    assert page.get_by_test_id("my-reports").get_by_text("待评价").is_visible()
    page.goto(f"{live_server.url}/cases/{number}/")
    assert page.get_by_text("已修好漏水的水管").first.is_visible()
    page.locator("details.action-rate summary").tap()
    page.locator("details.action-rate input[name=solved][value=true]").check()
    page.locator("details.action-rate select[name=satisfaction]").select_option("5")
    with page.expect_navigation():
        page.locator("details.action-rate button[type=submit]").tap()
    assert page.get_by_test_id("status").inner_text() == "已办结"
    screenshot(page, "resident-rated-390")
    assert Case.objects.get(number=number).satisfaction == 5
    context.close()


def test_anonymous_voice_report_is_played_on_the_case_page(
    world, live_server, tmp_path, settings, playwright
):
    settings.MEDIA_ROOT = tmp_path
    args = [
        *CHROMIUM_ARGS,
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
        "--autoplay-policy=no-user-gesture-required",
    ]
    # A browser of its own, with Chromium's fake microphone.
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
    try:
        context = phone_context(
            browser,
            geolocation={"latitude": 42.765, "longitude": 129.415},
            permissions=["geolocation", "microphone"],
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{live_server.url}/cases/report/")
        talk = page.get_by_role("button", name="按住说话")
        box = talk.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.get_by_text("正在录音").wait_for()
        page.wait_for_timeout(2000)
        page.mouse.up()
        page.get_by_text("语音已录好").wait_for()
        page.get_by_role("button", name="使用我的位置").tap()
        page.get_by_text("已获取位置").wait_for()
        page.fill("input[name=contact_phone]", "13900002222")
        page.get_by_role("button", name="提交").tap()
        page.wait_for_url("**/cases/report/done/")
        code = page.get_by_test_id("tracking-code").inner_text()

        case = Case.objects.get(tracking_code=code)
        voice = case.attachments.get(kind="voice")
        assert case.grid == world.grid_b and 1.0 < voice.duration < 4.0

        staff = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        sign_in(staff, live_server, "staff", tap=False)
        staff.goto(f"{live_server.url}/cases/{case.number}/")
        audio = staff.locator("[data-testid=voice] audio")
        audio.wait_for()
        duration = staff.evaluate(
            """() => new Promise((resolve) => {
                 const a = document.querySelector('[data-testid=voice] audio');
                 if (a.readyState >= 1) { resolve(a.duration); return; }
                 a.addEventListener('loadedmetadata', () => resolve(a.duration));
                 a.addEventListener('error', () => resolve(-1));
                 a.load();
               })"""
        )
        assert duration > 1.0
        screenshot(staff, "voice-case-1280")
    finally:
        browser.close()


def test_a_report_sent_while_offline_is_kept_and_sent_once_when_back_online(
    world, live_server, browser, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    context = phone_context(
        browser, geolocation={"latitude": 42.765, "longitude": 129.405}, permissions=["geolocation"]
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/cases/report/")
    page.fill("textarea[name=description]", "路灯不亮，晚上很黑")
    page.get_by_role("button", name="使用我的位置").tap()
    page.get_by_text("已获取位置").wait_for()
    page.fill("input[name=contact_phone]", "13900003333")
    context.set_offline(True)
    page.get_by_role("button", name="提交").tap()
    page.get_by_text("网络中断").wait_for()
    assert Case.objects.count() == 0
    assert page.input_value("textarea[name=description]") == "路灯不亮，晚上很黑"
    key = page.input_value("input[name=idempotency_key]")
    context.set_offline(False)
    page.get_by_role("button", name="提交").tap()
    page.wait_for_url("**/cases/report/done/")
    page.goto(f"{live_server.url}/cases/report/")
    assert page.input_value("textarea[name=description]") == ""  # the draft was cleared
    assert Case.objects.count() == 1
    assert key and Case.objects.get().idempotency_key  # stored bound to this browser's session
    context.close()
