"""Deployment checks (`gridgov check --deploy`) for settings Django does not know about."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register

# A field-encryption key shorter than this, or with fewer distinct characters, is guessable.
MIN_KEY_LENGTH = 32
MIN_KEY_DISTINCT = 12


def weak_key_reason(key: str, secret_key: str) -> str | None:
    """Why a field-encryption key is weak, or None if it looks like a generated one."""
    if key == secret_key:
        return "it equals SECRET_KEY (one leak would expose both)"
    if len(key) < MIN_KEY_LENGTH:
        return f"it has {len(key)} characters (at least {MIN_KEY_LENGTH} are needed)"
    if len(set(key)) < MIN_KEY_DISTINCT:
        return f"it uses only {len(set(key))} distinct characters"
    return None


@register(Tags.security, deploy=True)
def field_encryption_key_strong(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    reason = weak_key_reason(settings.FIELD_ENCRYPTION_KEY, settings.SECRET_KEY)
    if reason is None:
        return []
    return [
        Warning(
            f"FIELD_ENCRYPTION_KEY is weak: {reason}.",
            hint='Generate one: python -c "import secrets; print(secrets.token_urlsafe(50))", '
            "then re-encrypt with `gridgov rotate-keys` (see the README).",
            id="gridgov.W010",
        )
    ]


@register(Tags.security, deploy=True)
def task_broker_configured(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    if settings.CELERY_BROKER_URL:
        return []
    return [
        Warning(
            "CELERY_BROKER_URL is not set: background tasks (media, notifications, imports) run "
            "inside web requests and nothing periodic runs (time-limit sweeps, audit checks).",
            hint="Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) and run the Celery "
            "worker and beat.",
            id="gridgov.W011",
        )
    ]


@register(Tags.security, deploy=True)
def shared_rate_limit_cache(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    backend = settings.CACHES["default"]["BACKEND"]
    if not settings.RATELIMIT_ENABLE or not backend.endswith("LocMemCache"):
        return []
    return [
        Warning(
            "Rate limits count in each web process's own memory (no CACHE_URL): with several "
            "processes a client gets the limit once per process.",
            hint="Set CACHE_URL to a shared Redis, e.g. redis://127.0.0.1:6379/1.",
            id="gridgov.W014",
        )
    ]
