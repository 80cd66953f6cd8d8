"""扫码签到 in Chromium at 390 × 844: the decoding step on a QR code rendered by the server's
qrcode library, and a whole scan through the button with a camera stream made from that code
(a canvas's captureStream stands in for the phone's camera), which checks in by QR through the
round page's queue."""

from __future__ import annotations

import json

import pytest
import qrcode

from gridgov.patrols import actions
from gridgov.patrols.models import CheckIn
from tests.e2e.conftest import screenshot, sign_in
from tests.patrols.helpers import make_plan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Draws a QR module matrix on a canvas (8 px a module, white quiet zone) and, when asked,
# stands in for the camera with the canvas's stream.
FAKE_CAMERA = """
window.__qrCanvas = function (matrix) {
  var size = matrix.length * 8 + 64, canvas = document.createElement("canvas");
  canvas.width = size; canvas.height = size;
  var ctx = canvas.getContext("2d");
  ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, size, size); ctx.fillStyle = "#000";
  matrix.forEach(function (row, y) { row.forEach(function (dark, x) {
    if (dark) { ctx.fillRect(32 + x * 8, 32 + y * 8, 8, 8); } }); });
  return canvas;
};
if (window.__qrMatrix) {
  navigator.mediaDevices.getUserMedia = function () {
    var canvas = window.__qrCanvas(window.__qrMatrix);
    var ctx = canvas.getContext("2d");
    setInterval(function () { ctx.fillRect(0, 0, 1, 1); }, 100);  // keep frames coming
    return Promise.resolve(canvas.captureStream(10));
  };
}
"""


def _matrix(text: str) -> list[list[bool]]:
    code = qrcode.QRCode(border=0)
    code.add_data(text)
    code.make(fit=True)
    return [[bool(cell) for cell in row] for row in code.get_matrix()]


def _phone(browser, matrix=None):
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        locale="zh-CN",
        permissions=["geolocation"],
        geolocation={"latitude": 42.7645, "longitude": 129.4050, "accuracy": 5},
    )
    if matrix is not None:
        context.add_init_script(f"window.__qrMatrix = {json.dumps(matrix)};")
    context.add_init_script(FAKE_CAMERA)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_the_decoder_reads_a_checkpoint_code(world, live_server, browser):
    plan = make_plan(world)
    round_ = actions.start_round(plan=plan, acting_user=world.people.worker_a)
    token = plan.checkpoints.order_by("position")[0].qr_token
    context, page = _phone(browser)
    sign_in(page, live_server, "worker_a")
    page.goto(f"{live_server.url}/patrols/rounds/{round_.pk}/")
    page.wait_for_function("!!(window.GridGovQR && window.jsQR)")
    matrix = _matrix(f"GRIDGOV-CP:{token}")
    read = page.evaluate("m => window.GridGovQR.decodeWithJsQR(window.__qrCanvas(m))", matrix)
    assert read == f"GRIDGOV-CP:{token}"
    # The full decoding step (BarcodeDetector where Chromium has one, else jsQR) agrees.
    assert page.evaluate("m => window.GridGovQR.decode(window.__qrCanvas(m))", matrix) == read
    assert page.evaluate("t => window.GridGovQR.tokenFrom(t)", read) == token
    # A QR code that is not a checkpoint's is read but not taken as a token.
    other = page.evaluate(
        "m => window.GridGovQR.decodeWithJsQR(window.__qrCanvas(m))", _matrix("https://example.cn")
    )
    assert other == "https://example.cn"
    assert page.evaluate("t => window.GridGovQR.tokenFrom(t)", other) is None
    # A blank frame has no code.
    blank = [[False] * 21 for _ in range(21)]
    assert (
        page.evaluate("m => window.GridGovQR.decodeWithJsQR(window.__qrCanvas(m))", blank) is None
    )
    context.close()


def test_scanning_checks_in_by_qr(world, live_server, browser):
    plan = make_plan(world)
    round_ = actions.start_round(plan=plan, acting_user=world.people.worker_a)
    second = plan.checkpoints.order_by("position")[1]
    context, page = _phone(browser, _matrix(f"GRIDGOV-CP:{second.qr_token}"))
    sign_in(page, live_server, "worker_a")
    page.goto(f"{live_server.url}/patrols/rounds/{round_.pk}/")
    page.get_by_test_id("scan-qr").tap()
    row = page.get_by_test_id("checkpoint").nth(1)
    row.get_by_test_id("checked").filter(has_text="✓").wait_for()
    assert page.get_by_test_id("qr-scanner").is_hidden()  # the camera is closed again
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "patrol-qr-scanned-390")
    context.close()
    check = CheckIn.objects.get()
    assert (check.round_id, check.checkpoint_id, check.method) == (round_.pk, second.pk, "qr")


def test_no_camera_falls_back_to_typing(world, live_server, browser):
    plan = make_plan(world)
    round_ = actions.start_round(plan=plan, acting_user=world.people.worker_a)
    first = plan.checkpoints.order_by("position")[0]
    context, page = _phone(browser)
    context.add_init_script(
        "navigator.mediaDevices.getUserMedia = () => Promise.reject(new Error('denied'));"
    )
    page = context.new_page()
    sign_in(page, live_server, "worker_a")
    page.goto(f"{live_server.url}/patrols/rounds/{round_.pk}/")
    page.get_by_test_id("scan-qr").tap()
    page.get_by_text("无法使用摄像头，请在下方输入二维码内容。").wait_for()
    assert page.evaluate("document.activeElement.id") == "qr"
    page.fill("#qr", f"GRIDGOV-CP:{first.qr_token}")
    page.get_by_role("button", name="输入二维码签到").tap()
    page.get_by_test_id("checkpoint").nth(0).get_by_test_id("checked").filter(
        has_text="✓"
    ).wait_for()
    screenshot(page, "patrol-qr-typed-390")
    context.close()
    assert CheckIn.objects.get().method == "qr"
