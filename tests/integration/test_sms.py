"""Text messages (item 9): a real Aliyun sender tested against a local fake of its API, no
silent log-only sender in production, and no number or code in a production log."""

import base64
import hashlib
import hmac
import json
import logging
import os
import subprocess
import sys
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from gridgov.accounts import sms

# Aliyun's documented worked example (SMS API "signature method" page): these parameters,
# AccessKeySecret "testSecret", signed for GET, give this signature.
DOCUMENTED_PARAMS = {
    "AccessKeyId": "testId",
    "Action": "SendSms",
    "Format": "XML",
    "OutId": "123",
    "PhoneNumbers": "15300000001",
    "RegionId": "cn-hangzhou",
    "SignName": "阿里云短信测试专用",
    "SignatureMethod": "HMAC-SHA1",
    "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466",
    "SignatureVersion": "1.0",
    "TemplateCode": "SMS_71390007",
    "TemplateParam": '{"customer":"test"}',
    "Timestamp": "2017-07-12T02:42:19Z",
    "Version": "2017-05-25",
}
DOCUMENTED_SIGNATURE = "zJDF+Lrzhj/ThnlvIToysFRq6t4="


def test_the_signature_matches_aliyuns_documented_example():
    assert sms.aliyun_signature("testSecret", DOCUMENTED_PARAMS, "GET") == DOCUMENTED_SIGNATURE


def _reference_signature(secret: str, params: dict[str, str], method: str) -> str:
    """Written from the documentation's steps, independently of the product's code."""

    def encode(text: str) -> str:
        quoted = urllib.parse.quote_plus(text, encoding="utf-8")
        return quoted.replace("+", "%20").replace("*", "%2A").replace("%7E", "~")

    pairs = sorted((encode(k), encode(v)) for k, v in params.items())
    query = "&".join(f"{k}={v}" for k, v in pairs)
    to_sign = method + "&" + encode("/") + "&" + encode(query)
    mac = hmac.new((secret + "&").encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha1)
    return base64.b64encode(mac.digest()).decode("ascii")


def test_the_reference_signature_matches_the_documented_example_too():
    assert _reference_signature("testSecret", DOCUMENTED_PARAMS, "GET") == DOCUMENTED_SIGNATURE


class FakeAliyun(BaseHTTPRequestHandler):
    """Dysms on 127.0.0.1: checks the signature like the real service and answers like it."""

    secret = "fake-secret"
    received: list[dict[str, str]] = []

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        params = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode("utf-8")))
        signature = params.pop("Signature", "")
        if signature != _reference_signature(self.secret, params, "POST"):
            body, status = {"Code": "SignatureDoesNotMatch", "Message": "Specified signature"}, 400
        else:
            FakeAliyun.received.append(params)
            body, status = {"Code": "OK", "Message": "OK", "BizId": "9006197469364984"}, 200
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_aliyun(settings):
    server = HTTPServer(("127.0.0.1", 0), FakeAliyun)
    FakeAliyun.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.SMS_BACKEND = "gridgov.accounts.sms.AliyunSender"
    settings.SMS_ALIYUN_ENDPOINT = f"http://127.0.0.1:{server.server_port}/"
    settings.SMS_ALIYUN_ACCESS_KEY_ID = "fake-id"
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = FakeAliyun.secret
    settings.SMS_ALIYUN_SIGN_NAME = "网格治理"
    settings.SMS_ALIYUN_TEMPLATES = {"signup_code": "SMS_100001"}
    yield FakeAliyun
    server.shutdown()
    server.server_close()


def test_aliyun_sender_sends_a_signed_template_message(fake_aliyun):
    sms.send_sms("13912345678", "验证码 123456", template="signup_code", params={"code": "123456"})
    (params,) = fake_aliyun.received
    assert params["PhoneNumbers"] == "13912345678"
    assert params["TemplateCode"] == "SMS_100001"
    assert params["SignName"] == "网格治理"
    assert json.loads(params["TemplateParam"]) == {"code": "123456"}
    assert (params["Action"], params["Version"], params["AccessKeyId"]) == (
        "SendSms",
        "2017-05-25",
        "fake-id",
    )


def test_a_refusal_by_aliyun_is_an_error_naming_no_number(fake_aliyun, settings):
    settings.SMS_ALIYUN_ACCESS_KEY_SECRET = "not-the-secret"
    with pytest.raises(sms.SmsError, match="SignatureDoesNotMatch") as error:
        sms.send_sms("13912345678", "x", template="signup_code", params={"code": "1"})
    assert "13912345678" not in str(error.value)
    assert fake_aliyun.received == []


def test_a_message_without_a_template_is_refused(fake_aliyun):
    with pytest.raises(sms.SmsError, match="template"):
        sms.send_sms("13912345678", "x", template="case_resolved")


def test_an_unreachable_gateway_is_an_error(settings):
    settings.SMS_BACKEND = "gridgov.accounts.sms.AliyunSender"
    settings.SMS_ALIYUN_ENDPOINT = "http://127.0.0.1:9/"  # discard port: nothing listens
    settings.SMS_ALIYUN_TEMPLATES = {"signup_code": "SMS_1"}
    with pytest.raises(sms.SmsError, match="could not be reached"):
        sms.send_sms("13912345678", "x", template="signup_code", params={"code": "1"})


def test_the_log_sender_masks_number_and_code_outside_debug(settings, caplog):
    settings.DEBUG = False
    settings.SMS_BACKEND = "gridgov.accounts.sms.LogSender"
    with caplog.at_level(logging.WARNING, logger="gridgov.sms"):
        sms.send_sms("13912345678", "您的注册验证码为 482913", template="signup_code")
    assert "13912345678" not in caplog.text and "482913" not in caplog.text
    assert "139****5678" in caplog.text and "NOT SENT" in caplog.text


def test_the_log_sender_shows_the_code_in_the_local_demo(settings, caplog):
    settings.DEBUG = False
    settings.DEMO = True
    with caplog.at_level(logging.WARNING, logger="gridgov.sms"):
        sms.LogSender().send("13912345678", "您的注册验证码为 482913")
    assert "482913" in caplog.text


def _run_check(extra_env, *args):
    env = {k: v for k, v in os.environ.items() if k != "SMS_BACKEND"}
    env.update({"DEBUG": "0", **extra_env})
    return subprocess.run(
        [sys.executable, "-m", "gridgov", "check", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_an_sms_backend():
    result = _run_check({})
    assert result.returncode != 0
    assert "SMS_BACKEND is required" in result.stderr


def test_check_deploy_warns_about_the_log_sender():
    result = _run_check({"SMS_BACKEND": "gridgov.accounts.sms.LogSender"}, "--deploy")
    assert "gridgov.W012" in result.stdout + result.stderr
