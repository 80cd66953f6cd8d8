"""The suite pins its own settings: a shell with the demo's or a developer's variables changes
nothing (README: `gridgov` commands run with `DEBUG=1` or `var/demo.env` loaded)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import tests.plugin_env, json, django; django.setup(); from django.conf import settings as s;"
    "print(json.dumps([s.DEBUG, s.STAFF_TWO_FACTOR, s.SECRET_KEY, s.LOGIN_LOCKOUT_FAILURES]))"
)


def test_this_run_has_the_production_like_settings():
    assert settings.DEBUG is False
    assert settings.STAFF_TWO_FACTOR is True
    assert settings.SECRET_KEY == "test-secret-key-for-the-suite-only"


def test_a_shell_with_debug_and_demo_variables_is_overridden():
    shell = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "gridgov.settings",
        "DEBUG": "1",
        "DEMO": "1",
        "STAFF_TWO_FACTOR": "0",
        "SECRET_KEY": "a-developer-key",
        "LOGIN_LOCKOUT_FAILURES": "99",
    }
    shown = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=shell, capture_output=True, text=True
    )
    assert shown.returncode == 0, shown.stderr
    assert json.loads(shown.stdout) == [False, True, "test-secret-key-for-the-suite-only", 5]
