import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from gridgov.core import crypto
from gridgov.core.env import env_bool, env_int, env_list
from gridgov.core.masking import mask_name, mask_phone


def test_env_bool_refuses_an_unknown_word(monkeypatch):
    monkeypatch.setenv("GG_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="GG_FLAG"):
        env_bool("GG_FLAG")


def test_env_helpers_parse_values(monkeypatch):
    monkeypatch.setenv("GG_FLAG", "Yes")
    monkeypatch.setenv("GG_NUM", "42")
    monkeypatch.setenv("GG_LIST", "a, b,,c")
    assert env_bool("GG_FLAG") is True
    assert env_int("GG_NUM", 1) == 42
    assert env_list("GG_LIST") == ["a", "b", "c"]
    monkeypatch.setenv("GG_NUM", "4x")
    with pytest.raises(ImproperlyConfigured, match="GG_NUM must be an integer"):
        env_int("GG_NUM", 1)


def test_settings_refuse_to_start_without_secret_key_unless_debug():
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    code = "import gridgov.settings"
    failed = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert failed.returncode != 0
    assert "SECRET_KEY is required" in failed.stderr
    ok = subprocess.run(
        [sys.executable, "-c", code], env={**env, "DEBUG": "1"}, capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr


def test_encryption_round_trip_hides_the_plaintext():
    token = crypto.encrypt("13912345678")
    assert "13912345678" not in token
    assert crypto.decrypt(token) == "13912345678"
    assert crypto.encrypt("") == "" and crypto.decrypt("") == ""


def test_blind_index_is_keyed_and_stable():
    assert crypto.blind_index("13912345678") == crypto.blind_index(" 13912345678 ")
    assert crypto.blind_index("13912345678") != crypto.blind_index("13912345679")
    assert len(crypto.blind_index("13912345678")) == 64
    assert crypto.blind_index("") == ""


def test_masks():
    assert mask_phone("13912345678") == "139****5678"
    assert mask_name("张三丰") == "张**"
    assert mask_name("") == ""
