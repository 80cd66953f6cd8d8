"""`make demo` runs the product as deployed, with DEMO=1 the only exception (var/demo.env)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s;"
    "print(json.dumps([s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE,"
    " s.STAFF_TWO_FACTOR, s.ALLOWED_HOSTS, s.STATIC_MANIFEST]))"
)


def settings_with(**env: str) -> list:
    # The suite's keys, without the variables it pins that the demo decides (plugin_env).
    pinned = {"HTTPS", "SECURE_COOKIES", "STATIC_MANIFEST", "ALLOWED_HOSTS", "DEMO"}
    shell = {k: v for k, v in os.environ.items() if k not in pinned}
    shell.update({"DEBUG": "0", **env})
    shown = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=shell, capture_output=True, text=True
    )
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout)


def test_the_demo_is_production_but_plain_http_on_localhost_without_two_factor():
    assert settings_with(DEMO="1") == [
        False,
        False,
        False,
        False,
        ["127.0.0.1", "localhost"],
        True,
    ]


def test_without_demo_production_keeps_https_and_two_factor():
    assert settings_with(DEMO="0") == [False, True, True, True, [], True]


def test_the_demo_can_turn_two_factor_back_on():
    assert settings_with(DEMO="1", STAFF_TWO_FACTOR="1")[3] is True


def test_check_deploy_warns_when_demo_is_on(settings):
    from gridgov.demo.checks import demo_mode_is_off

    settings.DEMO = True
    assert [w.id for w in demo_mode_is_off()] == ["gridgov.demo.W001"]
    settings.DEMO = False
    assert demo_mode_is_off() == []
