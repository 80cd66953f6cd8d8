"""Loaded by pytest before Django (addopts `-p tests.plugin_env`): the test environment.

Tests run with production settings (DEBUG off), so the keys must be given; DATABASE_URL is left
to the caller (SQLite by default, PostgreSQL in the second CI run).
"""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-for-the-suite-only")
os.environ.setdefault("FIELD_ENCRYPTION_KEY", "test-field-key-for-the-suite-only")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("HTTPS", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("SMS_BACKEND", "gridgov.accounts.sms.MemorySender")
