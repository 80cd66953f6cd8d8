from typing import Any

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def demo_mode_is_off(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    """DEMO=1 serves plain HTTP without staff two-factor sign-in: for `make demo` only."""
    if not settings.DEMO:
        return []
    return [
        Warning(
            "DEMO=1: plain HTTP and staff two-factor sign-in off (the local demo's settings).",
            hint="Remove DEMO from a production environment (see .env.example).",
            id="gridgov.demo.W001",
        )
    ]
