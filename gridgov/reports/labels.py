"""The words of a report: the snapshot keeps keys and codes, these translate them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gridgov.cases.choices import Channel, Status
from gridgov.hazards.choices import HazardStatus, RiskLevel
from gridgov.reports.choices import ActionItemStatus

COUNTS = {
    "intake": _("Cases received"),
    "closed": _("Cases closed"),
    "overdue": _("Overdue cases"),
    "reworked": _("Reworked cases"),
    "problem": _("Problem cases"),
    "hazards_found": _("Hazards found"),
    "hazards_verified": _("Hazards rectified and verified"),
    "talk_sessions": _("Talk point sessions"),
    "talk_issues": _("Issues raised at talk points"),
    "patrol_rounds": _("Patrol rounds done"),
}


# The mediation rates by key (same msgids as gridgov.mediation.metrics.LABELS, which this layer
# may not import): a stored report keeps the label in the language it was generated in.
MEDIATION = {
    "success": _("Mediation success rate (调解成功率)"),
    "on_time": _("Mediations concluded on time (按期调结率)"),
    "performance": _("Agreements performed (协议履行率)"),
    "follow_up": _("Agreements followed up (回访率)"),
    "confirmation": _("Agreements judicially confirmed (司法确认率)"),
}


def mediation_label(key: str, stored: str) -> str:
    known = MEDIATION.get(key)
    return str(known) if known is not None else stored


def count_label(key: str) -> str:
    return str(COUNTS.get(key, key))


def _choice(choices: type, code: str) -> str:
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def channel_label(code: str) -> str:
    return _choice(Channel, code)


def status_label(code: str) -> str:
    return _choice(Status, code)


def hazard_status_label(code: str) -> str:
    return _choice(HazardStatus, code)


def risk_label(code: str) -> str:
    return _choice(RiskLevel, code)


def item_status_label(code: str) -> str:
    return _choice(ActionItemStatus, code)
