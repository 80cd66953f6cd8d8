"""Browser tests of the resident report form (issue #8, items 1, 3, 19, 20, 25): a server fault is
not a dropped network, Back then Send makes no second case, the photo limit is named and every
photo removable, the description counts, and the keyboard alone records or attaches a voice."""

import pytest
from playwright.sync_api import expect

from gridgov.cases.models import Case
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, screenshot
from tests.media_helpers import jpeg_with_gps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HERE = {"latitude": 42.765, "longitude": 129.405}


@pytest.fixture
def phone_page(world, browser, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        geolocation=HERE,
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/cases/report/")
    yield page
    context.close()


def fill_report(page, text="路灯不亮，晚上很黑"):
    page.fill("textarea[name=description]", text)
    page.get_by_role("button", name="使用我的位置").tap()
    page.get_by_text("已获取位置").wait_for()
    page.fill("input[name=contact_phone]", "13900003333")


def send(page):
    page.get_by_role("button", name="提交").tap()


def test_a_server_error_is_not_told_as_a_dropped_network(phone_page):
    page = phone_page
    fill_report(page)
    page.route(
        "**/cases/report/",
        lambda route: (
            route.fulfill(status=500, body="<h1>Server Error</h1>")
            if route.request.method == "POST"
            else route.continue_()
        ),
    )
    send(page)
    alert = page.locator("#report-errors")
    expect(alert).to_contain_text("服务器出错")
    expect(alert).to_contain_text("12345")
    expect(alert).not_to_contain_text("网络中断")
    screenshot(page, "report-server-error-390")
    page.unroute("**/cases/report/")
    page.route(
        "**/cases/report/",
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    send(page)
    expect(alert).to_contain_text("网络中断")
    expect(alert).not_to_contain_text("服务器出错")
    page.unroute("**/cases/report/")
    assert page.input_value("textarea[name=description]") == "路灯不亮，晚上很黑"
    assert Case.objects.count() == 0
    send(page)
    page.wait_for_url("**/cases/report/done/")
    assert Case.objects.count() == 1


def test_back_after_sending_then_send_again_makes_no_second_case(phone_page):
    page = phone_page
    fill_report(page)
    send(page)
    page.wait_for_url("**/cases/report/done/")
    code = page.get_by_test_id("tracking-code").inner_text()
    page.go_back()
    page.wait_for_url("**/cases/report/")
    expect(page.get_by_text("这条反映已经提交过了")).to_be_visible()
    assert page.input_value("input[name=lat]") != ""  # the location came back with it
    screenshot(page, "report-back-after-send-390")
    send(page)
    page.wait_for_url("**/cases/report/done/")
    assert page.get_by_test_id("tracking-code").inner_text() == code
    case = Case.objects.get()
    assert case.grid is not None and case.lat == pytest.approx(42.765, abs=1e-4)
    # A new visit starts a new report.
    page.goto(page.url.replace("/done/", "/"))
    expect(page.get_by_text("这条反映已经提交过了")).to_be_hidden()
    assert page.input_value("textarea[name=description]") == ""


def test_a_double_tap_on_send_makes_one_case(phone_page):
    page = phone_page
    fill_report(page)
    page.locator("#report-submit").dblclick()
    page.wait_for_url("**/cases/report/done/")
    assert Case.objects.count() == 1


def test_an_answer_lost_on_the_network_then_a_retry_makes_one_case(phone_page):
    page = phone_page
    fill_report(page)

    def lose_the_answer(route):
        if route.request.method != "POST":
            route.continue_()
            return
        route.fetch()  # the server saves the report...
        route.abort()  # ...but the phone never hears back

    page.route("**/cases/report/", lose_the_answer)
    send(page)
    expect(page.locator("#report-errors")).to_contain_text("网络中断")
    assert Case.objects.count() == 1
    page.unroute("**/cases/report/")
    send(page)
    page.wait_for_url("**/cases/report/done/")
    assert page.get_by_test_id("tracking-code").inner_text() == Case.objects.get().tracking_code


def test_ten_photos_keep_nine_say_nine_and_each_can_be_removed(phone_page, tmp_path):
    page = phone_page
    files = []
    for i in range(10):
        path = tmp_path / f"p{i}.jpg"
        path.write_bytes(jpeg_with_gps(42.765, 129.405, size=(40 + i, 30)).read())
        files.append(str(path))
    page.locator("input[name=photos]").set_input_files(files)
    thumbs = page.locator("#photo-previews img")
    expect(thumbs).to_have_count(9)
    expect(page.locator("#media-status")).to_have_text(
        "最多可上传 9 张照片，您多选的 1 张没有加入。"
    )
    expect(page.locator("#photo-count")).to_have_text("已选 9 / 9 张照片")
    screenshot(page, "report-nine-photos-390")
    removes = page.locator("#photo-previews .remove-photo")
    for left in range(8, 1, -1):
        removes.first.tap()
        expect(thumbs).to_have_count(left)
    assert page.evaluate("document.querySelector('input[name=photos]').files.length") == 2
    fill_report(page)
    send(page)
    page.wait_for_url("**/cases/report/done/")
    assert Case.objects.get().attachments.count() == 2


def test_the_description_counts_and_a_long_paste_is_not_cut(phone_page):
    page = phone_page
    counter = page.locator("#description-count")
    fill_report(page, "井" * 2010)
    assert len(page.input_value("textarea[name=description]")) == 2010  # nothing cut
    expect(counter).to_have_text("超出 10 字：最多 2000 字，请删减。")
    send(page)
    expect(page.locator("#report-errors")).to_contain_text("超出 10 字")
    assert Case.objects.count() == 0
    page.fill("textarea[name=description]", "井盖破损")
    expect(counter).to_have_text("已输入 4 / 2000 字")


def test_the_keyboard_alone_records_a_voice_message_and_sends(
    world, live_server, playwright, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    args = [*CHROMIUM_ARGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
    try:
        context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            geolocation=HERE,
            permissions=["geolocation", "microphone"],
        )
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.goto(f"{live_server.url}/cases/report/")
        tab_to(page, page.locator("textarea[name=description]"))
        page.keyboard.type("楼下有狗一直叫")
        talk = page.get_by_role("button", name="按住说话")
        tab_to(page, talk)
        page.keyboard.press("Space")
        page.get_by_text("正在录音…再按一次按钮结束").wait_for()
        expect(talk).to_have_attribute("aria-pressed", "true")
        page.wait_for_timeout(1500)  # the recording itself, not a timing assertion
        page.keyboard.press("Enter")
        page.get_by_text("语音已录好").wait_for()
        tab_to(page, page.get_by_role("button", name="使用我的位置"))
        page.keyboard.press("Enter")
        page.get_by_text("已获取位置").wait_for()
        tab_to(page, page.locator("input[name=contact_phone]"))
        page.keyboard.type("13900004444")
        screenshot(page, "report-keyboard-1280")
        page.keyboard.press("Enter")
        page.wait_for_url("**/cases/report/done/")
        voice = Case.objects.get().attachments.get()
        assert voice.kind == "voice" and voice.duration > 0.5
    finally:
        browser.close()


def test_the_keyboard_attaches_a_recording_file(phone_page, tmp_path):
    from tests.media_helpers import wav

    page = phone_page
    recording = tmp_path / "语音.wav"
    recording.write_bytes(wav(1.0).read())
    fallback = page.get_by_label("或选择录音文件")
    expect(fallback).to_be_visible()
    tab_to(page, fallback)
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(recording))
    fill_report(page, "噪音扰民")
    send(page)
    page.wait_for_url("**/cases/report/done/")
    assert Case.objects.get().attachments.get().kind == "voice"


def tab_to(page, target, limit=60):
    """Press Tab until the target has the focus (as a keyboard user would)."""
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError("the control cannot be reached with Tab")


def test_a_refused_field_is_named_and_marked_under_itself(phone_page):
    """The server's 400 named no field ("该字段是必填项。" at the top of the form only)."""
    page = phone_page
    page.fill("textarea[name=description]", "楼道堆满杂物")
    page.get_by_role("button", name="使用我的位置").tap()
    page.get_by_text("已获取位置").wait_for()
    send(page)
    alert = page.locator("#report-errors")
    expect(alert).to_contain_text("您的手机号（用于回访）：")
    phone = page.locator("input[name=contact_phone]")
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(page.locator("input[name=contact_phone] + p.field-error")).to_have_count(1)
    screenshot(page, "report-field-error-390")
    assert Case.objects.count() == 0


def test_a_tap_on_the_map_draws_a_mark_not_a_broken_pin(phone_page):
    """Leaflet's image pin guessed its path from the stylesheet's (hashed) name and showed a
    broken image reading "Marker"."""
    page = phone_page
    the_map = page.locator("#report-map")
    the_map.scroll_into_view_if_needed()
    expect(the_map).to_be_visible()
    the_map.tap(position={"x": 150, "y": 80})
    page.get_by_text("已在地图上标记位置").wait_for()
    expect(page.locator("#report-map img.leaflet-marker-icon")).to_have_count(0)
    expect(page.locator("#report-map path.leaflet-interactive").last).to_be_visible()
    assert page.input_value("input[name=lat]") != ""
