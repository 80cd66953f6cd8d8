"""Outbox handlers of the mediation app (settings.OUTBOX_HANDLERS)."""

from __future__ import annotations

from typing import Any


def register_referral(payload: dict[str, Any]) -> int | None:
    """`cases.referred_to_mediation`: register the referred case here (idempotent)."""
    from gridgov.mediation.actions import register_referral as register

    mediation = register(int(payload["case_id"]))
    return mediation.pk if mediation is not None else None
