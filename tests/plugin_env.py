"""Loaded by pytest before Django (addopts `-p tests.plugin_env`): the test environment.

Tests run with production settings (DEBUG off), whatever the shell holds: the README has people
run `gridgov` commands with `DEBUG=1` or the demo's `var/demo.env` loaded, and a suite that read
those would test another product (two-factor off, HTTP cookies...). So every variable settings.py
reads is dropped and the suite's own values are set. DATABASE_URL alone is left to the caller
(SQLite by default, PostgreSQL in the second CI run).
"""

import os
import re
from pathlib import Path

KEPT = {"DATABASE_URL"}
PINNED = {
    "DEBUG": "0",
    "DEMO": "0",
    "SECRET_KEY": "test-secret-key-for-the-suite-only",
    "FIELD_ENCRYPTION_KEY": "test-field-key-for-the-suite-only",
    "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
    "SECURE_COOKIES": "0",
    "HTTPS": "0",
    "STATIC_MANIFEST": "0",
    "SMS_BACKEND": "gridgov.accounts.sms.MemorySender",
}
ROOT = Path(__file__).resolve().parents[1]


def variables_read_by_settings() -> set[str]:
    """Names passed to the env helpers (`env_bool("DEBUG", ...)`) or os.environ in settings.py,
    and every variable `.env.example` documents."""
    source = (ROOT / "gridgov" / "settings.py").read_text(encoding="utf-8")
    pattern = r'(?:env_\w+\(|os\.environ(?:\.get)?[\(\[])\s*"([A-Z][A-Z0-9_]*)"'
    documented = (ROOT / ".env.example").read_text(encoding="utf-8")
    return set(re.findall(pattern, source)) | set(
        re.findall(r"^([A-Z][A-Z0-9_]*)=", documented, re.M)
    )


for name in variables_read_by_settings() - KEPT:
    os.environ.pop(name, None)
os.environ.update(PINNED)
