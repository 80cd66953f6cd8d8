"""How the audit log reads to an audit office: action, role and detail names in words.

An adapter helper (used by the audit pages and export only), so it may import the domain apps.

Rows keep their codes (`registry.person.unmask`, `community_staff`, JSON details) so the hash
chain and searches stay stable; pages and exports show them through these tables. Every action
string recorded anywhere has a label here (tests/integration/test_audit_log_page.py checks the
source); an unknown one is shown as its code rather than hidden.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ACTIONS: dict[str, Promise] = {
    "auth.login": _("Signed in"),
    "auth.logout": _("Signed out"),
    "auth.login_failed": _("Sign-in failed"),
    "auth.login_locked": _("Sign-in refused while locked"),
    "auth.idle_timeout": _("Signed out after inactivity"),
    "auth.password_changed": _("Password changed"),
    "auth.two_factor": _("Two-factor code given"),
    "auth.two_factor_enrolled": _("Authenticator enrolled"),
    "auth.two_factor_reset": _("Two-factor sign-in reset"),
    "audit.export": _("Audit log exported"),
    "audit.purge": _("Expired audit entries removed"),
    "admin.create": _("Added in the administration"),
    "admin.update": _("Changed in the administration"),
    "admin.delete": _("Deleted in the administration"),
    "registry.person.create": _("Resident registered"),
    "registry.person.update": _("Resident record changed"),
    "registry.person.unmask": _("Full ID number and phone shown"),
    "registry.person.anonymise": _("Resident record anonymised"),
    "registry.special_group.create": _("Special-group record added"),
    "registry.special_group.update": _("Special-group record changed"),
    "registry.grant.create": _("Need-to-know grant given"),
    "registry.grant.update": _("Need-to-know grant changed"),
    "registry.house.create": _("House registered"),
    "registry.house.update": _("House changed"),
    "registry.import": _("Residents imported from Excel"),
    "registry.import.resumed": _("Interrupted Excel import resumed"),
    "registry.import.interrupted": _("Excel import marked interrupted"),
    "registry.import.retried": _("Interrupted Excel import retried"),
    "registry.import.upload_dropped": _("Uploaded Excel file discarded"),
    "registry.export": _("Resident list exported"),
    "case.resolved_on_spot": _("Case: handled on the spot"),
    "talkpoints.open": _("Talk point opened"),
    "talkpoints.change": _("Talk point changed"),
    "talkpoints.close": _("Talk point closed"),
    "talkpoints.session": _("Talk-point session recorded"),
    "talkpoints.issue": _("Talk-point issue registered as a case"),
    "patrol_round.started": _("Patrol round started"),
    "patrol_round.checked_in": _("Patrol checkpoint checked in"),
    "patrol_round.finding_reported": _("Patrol finding reported"),
    "patrol_round.finished": _("Patrol round finished"),
    "patrol_round.closed_incomplete": _("Patrol round closed as incomplete"),
    "patrol_round.track_viewed": _("Patrol track viewed"),
    "patrol_round.tracks_purged": _("Old patrol tracks deleted"),
    "hazard.reported": _("Hazard reported"),
    "hazard.site_inspected": _("Hazard site inspected"),
    "hazard.site_created": _("Hazard site added"),
    "hazard.rectification_started": _("Hazard rectification started"),
    "hazard.rectified": _("Hazard rectified"),
    "hazard.verified": _("Hazard rectification verified"),
    "hazard.rework": _("Hazard sent back for rework"),
    "hazard.escalated": _("Hazard escalated into a case"),
    "hazard.overdue": _("Hazard rectification overdue"),
    "notice.created": _("Notice written"),
    "notice.scheduled": _("Notice scheduled"),
    "notice.unscheduled": _("Notice taken back to draft"),
    "notice.published": _("Notice published"),
    "notice.withdrawn": _("Notice withdrawn"),
    "notice.told_in_person": _("Resident told about a notice in person"),
    "hazard.noted": _("Note added to a hazard"),
    "patrol_round.hazard_reported": _("Patrol hazard reported"),
    "patrol_round.hazard_updated": _("Patrol hazard updated"),
    "patrol_round.site_inspected": _("Hazard site inspected on patrol"),
    "patrol_plan.created": _("Patrol plan drawn up"),
    "patrol_plan.changed": _("Patrol plan changed"),
    "patrol_plan.checkpoint_added": _("Patrol checkpoint added"),
    "patrol_plan.checkpoint_changed": _("Patrol checkpoint changed"),
    "patrol_plan.checkpoint_moved": _("Patrol checkpoint moved"),
    "patrol_plan.checkpoint_removed": _("Patrol checkpoint removed"),
    "mediation.party_unmask": _("Full details of a mediation party shown"),
    "mediation.document_download": _("Mediation document downloaded (PDF)"),
    "report.generated": _("Report generated"),
    "report.downloaded": _("Report downloaded"),
    "report.conclusion_recorded": _("Analysis meeting conclusion recorded"),
    "action_item.created": _("Action item added"),
    "action_item.completed": _("Action item completed"),
    "action_item.reopened": _("Action item reopened"),
    "patrol_plan.checkpoint_retired": _("Patrol checkpoint retired"),
}

DETAIL_KEYS: dict[str, Promise] = {
    "from": _("Status before"),
    "to": _("Status after"),
    "rows": _("Rows"),
    "removed": _("Entries removed"),
    "through_seq": _("Up to entry"),
    "cutoff": _("Older than"),
    "via": _("Through"),
    "was": _("State before"),
    "attempts": _("Runs so far"),
    "after": _("Recorded values"),
    "changes": _("Changes"),
    "change": _("Changes"),
    "reason": _("Reason"),
    "fields": _("Fields"),
    "group": _("Special group"),
    "job": _("Import job"),
    "floor": _("Floor"),
    "use": _("Use"),
    "rented": _("Rented out"),
    "owner": _("Owner"),
    "imported": _("People imported"),
    "houses": _("Houses"),
    "refused_rows": _("Rows refused"),
    "mode": _("Mode"),
    "risk": _("Risk level"),
    "result": _("Result"),
    "filter": _("Filter"),
    "user": _("Account"),
    "area": _("Area"),
    "revoked": _("Revoked"),
    "minutes": _("Minutes locked"),
    "with": _("Method"),
    "q": _("Search"),
    "grid": _("Grid"),
    "status": _("Status"),
    "photos": _("Photos"),
    "kind": _("Kind"),
    "period": _("Period"),
    "version": _("Version"),
    "format": _("Format"),
}

WORDS: dict[str, Promise] = {
    "page": _("web page"),
    "excel": _("Excel import"),
    "demo": _("demo data"),
    "api": _("API"),
    "totp": _("authenticator app"),
    "recovery_code": _("recovery code"),
}


def action_label(action: str) -> str:
    """`registry.person.unmask` → 查看完整身份信息; `case.claimed` → 工单：已签收."""
    if action in ACTIONS:
        return str(ACTIONS[action])
    if action.startswith("case."):
        from gridgov.cases.choices import EventKind

        kind = action.removeprefix("case.")
        if kind in EventKind.values:
            return gettext("Case: %(event)s") % {"event": EventKind(kind).label}
    if action.startswith("mediation."):
        from gridgov.mediation.choices import MediationEventKind

        kind = action.removeprefix("mediation.")
        if kind in MediationEventKind.values:
            return gettext("Mediation: %(event)s") % {"event": MediationEventKind(kind).label}
    return action


def role_labels(roles: str) -> str:
    """`community_staff,grid_worker` → 社区工作人员、网格员."""
    from gridgov.accounts.choices import Role

    names = [str(Role(r).label) if r in Role.values else r for r in roles.split(",") if r]
    return gettext(", ").join(names)


def object_type_label(object_type: str) -> str:
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


def detail_lines(entry: Any) -> list[tuple[str, str]]:
    """The detail as (localized key, readable value) pairs, in the order of DETAIL_KEYS (stored
    JSON keeps no order on PostgreSQL), unknown keys last."""
    detail = entry.detail if isinstance(entry.detail, dict) else {}
    return [(_key(key), _value(key, detail[key], entry)) for key in _ordered(detail, _KEY_ORDER)]


_KEY_ORDER = {key: n for n, key in enumerate(DETAIL_KEYS)}


def _ordered(values: dict[str, Any], order: dict[str, int]) -> list[str]:
    return sorted(values, key=lambda k: (order.get(k, len(order)), k))


def detail_text(entry: Any) -> str:
    """One `key: value` line per detail (the Excel export's cell)."""
    return "\n".join(_pair(key, value) for key, value in detail_lines(entry))


def _pair(key: str, value: str) -> str:
    return gettext("%(key)s: %(value)s") % {"key": key, "value": value}


def _join(parts: Iterable[str]) -> str:
    return gettext("; ").join(parts)


def _key(key: str) -> str:
    return str(DETAIL_KEYS.get(key, key))


def _value(key: str, value: Any, entry: Any) -> str:
    if key in {"from", "to"} and entry.action.startswith("case."):
        from gridgov.cases.choices import Status

        return str(Status(value).label) if value in Status.values else _plain(value)
    if key in {"from", "to"} and entry.action.startswith("mediation."):
        from gridgov.mediation.choices import MediationStatus

        shown = MediationStatus(value).label if value in MediationStatus.values else None
        return str(shown) if shown is not None else _plain(value)
    if key == "change":
        return _admin_change(value)
    if key in {"after", "changes"} and isinstance(value, dict):
        return _field_values(value)
    if key == "fields" and isinstance(value, list):
        return gettext(", ").join(_field_name(f) for f in value)
    if key == "mode":
        from gridgov.registry.models import ImportMode

        return str(ImportMode(value).label) if value in ImportMode.values else str(value)
    if key == "group":
        from gridgov.registry.choices import SpecialGroup

        return str(SpecialGroup(value).label) if value in SpecialGroup.values else str(value)
    return _plain(value)


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        return str(WORDS.get(value, value))
    if isinstance(value, dict):
        return _join(_pair(_key(k), _plain(value[k])) for k in _ordered(value, _KEY_ORDER))
    if isinstance(value, (list, tuple)):
        return gettext(", ").join(_plain(v) for v in value)
    return str(value)


def _person_field(name: str) -> Any:
    from gridgov.registry.models import Person

    try:
        return Person._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _field_name(name: str) -> str:
    field = _person_field(name)
    return str(getattr(field, "verbose_name", name)) if field is not None else str(_key(name))


def _field_value(name: str, value: Any) -> str:
    field = _person_field(name)
    choices = dict(getattr(field, "flatchoices", None) or [])
    if value in choices:
        return str(choices[value])
    return _plain(value)


def _field_values(values: dict[str, Any]) -> str:
    """{"phone": ["139****5678", "138****0000"]} → 手机号：139****5678 → 138****0000."""
    from gridgov.registry.models import Person

    order = {f.name: n for n, f in enumerate(Person._meta.get_fields())}
    parts = []
    for name in _ordered(values, order):
        value = values[name]
        if isinstance(value, (list, tuple)) and len(value) == 2:
            shown = f"{_field_value(name, value[0])} → {_field_value(name, value[1])}"
        else:
            shown = _field_value(name, value)
        parts.append(_pair(_field_name(name), shown))
    return _join(parts)


def _admin_change(message: Any) -> str:
    """The admin's change message (a JSON list) in words, as the admin's own history shows it."""
    from django.contrib.admin.models import LogEntry

    if isinstance(message, str):
        return message or "—"
    text = LogEntry(change_message=json.dumps(message)).get_change_message()
    return text or "—"


def labelled(entries: Iterable[Any]) -> list[Any]:
    """Attach the words to each row for a template (no queries)."""
    rows = list(entries)
    for e in rows:
        e.action_label = action_label(e.action)
        e.role_label = role_labels(e.role)
        e.object_type_label = object_type_label(e.object_type) if e.object_type else ""
        e.detail_lines = detail_lines(e)
    return rows
