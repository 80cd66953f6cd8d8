"""`check --deploy` names weak field-encryption keys and a missing task broker (item 12)."""

import pytest

from gridgov.core.checks import (
    field_encryption_key_strong,
    shared_rate_limit_cache,
    task_broker_configured,
)

STRONG = "q8Vd2-LmZ0xR7tKp_W3nYc9sHfJ4bAeG6uQyT1oN"


@pytest.mark.parametrize(
    "key",
    [
        "a",
        "short-but-varied-key-123",  # 24 characters
        "a" * 64,
        "abababababababababababababababababababab",
        "SAME-as-the-secret-key-which-is-long-enough-0123",
    ],
)
def test_a_weak_field_encryption_key_is_named(settings, key):
    settings.SECRET_KEY = "SAME-as-the-secret-key-which-is-long-enough-0123"
    settings.FIELD_ENCRYPTION_KEY = key
    assert [w.id for w in field_encryption_key_strong()] == ["gridgov.W010"]


def test_a_generated_field_encryption_key_passes(settings):
    settings.FIELD_ENCRYPTION_KEY = STRONG
    assert field_encryption_key_strong() == []


def test_production_without_a_broker_is_named(settings):
    settings.CELERY_BROKER_URL = ""
    warnings = task_broker_configured()
    assert [w.id for w in warnings] == ["gridgov.W011"]
    assert "inside web requests" in warnings[0].msg
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    assert task_broker_configured() == []


def test_rate_limits_in_process_memory_are_named(settings):
    settings.RATELIMIT_ENABLE = True
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert [w.id for w in shared_rate_limit_cache()] == ["gridgov.W014"]
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/1",
        }
    }
    assert shared_rate_limit_cache() == []
