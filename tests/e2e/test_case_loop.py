from io import BytesIO

import pytest
from PIL import Image

from gridgov.cases.choices import Status
from gridgov.cases.models import Case
from tests.e2e.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(browser, live_server, username):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, username)
    return page


def press(page, action, fill=None, files=None, check=None):
    """Open an action's form by its button, fill it, and confirm."""
    box = page.locator(f"details.action-{action}")
    box.locator("summary").tap()
    for name, value in (fill or {}).items():
        field = box.locator(f"[name={name}]")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(label=value) if not value.isdigit() else field.select_option(value)
        else:
            field.fill(value)
    for name, path in (files or {}).items():
        box.locator(f"input[name={name}]").set_input_files(path)
    for selector in check or []:
        box.locator(selector).check()
    with page.expect_navigation():
        box.locator("button[type=submit]").tap()
    errors = page.locator(".message.error")
    assert errors.count() == 0, errors.all_inner_texts()


def test_a_hotline_case_goes_round_the_whole_loop_on_phones(
    world, live_server, browser, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    photo = tmp_path / "result.jpg"
    buffer = BytesIO()
    Image.new("RGB", (320, 240), (90, 140, 200)).save(buffer, "JPEG")
    photo.write_bytes(buffer.getvalue())

    staff = log_in(browser, live_server, "staff")
    staff.goto(f"{live_server.url}/cases/new/")
    staff.fill("input[name=title]", "3单元水管破裂")
    staff.fill("textarea[name=description]", "3单元2楼水管破裂，水流进楼道。")
    staff.select_option("select[name=category]", label="0301 突发漏水/水管破裂")
    staff.select_option("select[name=building]", label="甲1号楼")
    staff.fill("input[name=reporter_name]", "王女士")
    staff.fill("input[name=reporter_phone]", "13912345678")
    screenshot(staff, "loop-1-hotline-form-390")
    staff.locator("form.stacked-form button[type=submit]").tap()
    staff.wait_for_url("**/cases/222405001001-*/")
    number = staff.url.rstrip("/").rsplit("/", 1)[1]
    assert staff.get_by_test_id("status").inner_text() == "待受理"
    press(staff, "accept")
    press(staff, "escalate", fill={"note": "需要水务部门处理"})
    assert staff.get_by_test_id("status").inner_text() == "已上报街道"

    dispatcher = log_in(browser, live_server, "dispatcher")
    dispatcher.goto(f"{live_server.url}/cases/?queue=escalated")
    dispatcher.get_by_text("3单元水管破裂").tap()
    press(dispatcher, "dispatch", fill={"department": "龙井市水务局"})
    assert dispatcher.get_by_test_id("owner").inner_text() == "龙井市水务局"

    handler = log_in(browser, live_server, "handler")
    handler.goto(f"{live_server.url}/cases/?queue=to_claim")
    screenshot(handler, "loop-2-department-queue-390")
    handler.get_by_text("3单元水管破裂").tap()
    press(handler, "claim")
    press(
        handler,
        "resolve",
        fill={"result": "已更换破裂水管，恢复供水"},
        files={"photos": str(photo)},
    )
    assert handler.get_by_test_id("status").inner_text() == "已办结待核查"

    worker = log_in(browser, live_server, "worker_a")
    worker.goto(f"{live_server.url}/cases/{number}/")
    assert worker.locator(".photo.result_photo img").count() == 1
    press(worker, "verify", check=["input[name=passed][value=true]"])
    assert worker.get_by_test_id("status").inner_text() == "待评价"

    staff.goto(f"{live_server.url}/cases/{number}/")
    press(
        staff,
        "rate",
        fill={"satisfaction": "5", "comment": "电话回访：满意"},
        check=["input[name=solved][value=true]"],
    )
    assert staff.get_by_test_id("status").inner_text() == "已办结"
    screenshot(staff, "loop-3-closed-case-390")
    assert staff.evaluate("document.documentElement.scrollWidth") <= 390

    case = Case.objects.get(number=number)
    assert case.status == Status.CLOSED and case.satisfaction == 5
    assert list(case.events.values_list("kind", flat=True)) == [
        "created",
        "accepted",
        "escalated",
        "dispatched",
        "claimed",
        "resolved",
        "verified",
        "rated",
    ]
    for page in (staff, dispatcher, handler, worker):
        page.context.close()
