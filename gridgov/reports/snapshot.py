"""What a report says: the snapshot of every table and figure for an area and a period.

`build(area, period)` reads the other apps once per section (grouped queries, no per-row
reads) and returns plain JSON: numbers, codes and names, never translated labels (the pages and
exports translate the keys) and never a reporter's name or phone. Definitions (docs/adr):

- intake: cases created in the period in the area's subtree (by the case's `area_path`);
  by category, channel and status (the status when the report was generated);
- closed: cases with a move into "closed" (rated, or closed unrated) in the period;
- overdue: cases whose handling deadline passed before the period ended, not resolved by it,
  and still unresolved when the period began (so each overdue case is listed in every period it
  spent overdue); rejected, merged and voided cases excluded;
- reworked: cases sent back for rework (verification failed, or reopened after a rating) in the
  period, with the number of reworks in the period;
- hot spots: buildings (or, without a building, the address text) and grids with 2+ cases in the
  period; recurring problems: the same place and category 3+ times in the period;
- the rates (办结率 …) are the analytics module's figures (`gridgov.analytics.metrics.figures`,
  ADR 0019) for this and the previous period, each with numerator and denominator;
- hazards, patrol compliance, talk points and mediation: the analytics module's figures from
  those apps (`gridgov.analytics.gridwork`): hazards open at generation (overdue among them),
  found and verified in the period; rounds done / planned on the period's working days; sessions,
  attendance and issues in the period, coverage at generation; mediation when installed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q
from django.utils import timezone

from gridgov.analytics import gridwork
from gridgov.analytics.metrics import figures
from gridgov.analytics.periods import Period as AnalyticsPeriod
from gridgov.cases.choices import EventKind, Status
from gridgov.cases.models import Case, CaseEvent
from gridgov.core.masking import mask_phone
from gridgov.geo.models import Area
from gridgov.hazards.choices import OPEN_HAZARD_STATUSES
from gridgov.hazards.models import Hazard
from gridgov.reports.choices import ReportKind
from gridgov.reports.periods import Period

SCHEMA = 1
LIST_LIMIT = 50  # rows kept per case list (the count is always the full count)
HOT_SPOT_MIN = 2
RECURRING_MIN = 3
REWORK_EVENTS = (EventKind.VERIFY_FAILED, EventKind.REOPENED)
NOT_COUNTED = (Status.REJECTED, Status.MERGED, Status.VOIDED)
_PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def scrub(text: str) -> str:
    """Free text copied into a report (a case title): mobile numbers masked 3 + 4."""
    return _PHONE.sub(lambda m: mask_phone(m.group(0)), text or "")


def change(value: int | float | None, previous: int | float | None) -> dict[str, Any]:
    """Period-on-period change: the difference, and the relative change in per cent (one
    decimal) when the previous value is not zero."""
    if value is None or previous is None:
        return {"previous": previous, "delta": None, "percent": None}
    delta = value - previous
    percent = round(float(delta) * 100 / float(previous), 1) if previous else None
    if isinstance(delta, float):
        delta = round(delta, 4)
    return {"previous": previous, "delta": delta, "percent": percent}


def _period_json(period: Period) -> dict[str, str]:
    return {
        "code": period.code,
        "first_day": period.first_day.isoformat(),
        "last_day": period.last_day.isoformat(),
    }


def _cases(area: Area) -> Any:
    return Case.objects.filter(area_path__startswith=area.path)


def _in(period: Period, field: str = "created_at") -> Q:
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


# ---------------------------------------------------------------------------------------------
# Cases


def _intake(area: Area, period: Period) -> Any:
    return _cases(area).filter(_in(period))


def _grouped(queryset: Any, *fields: str) -> list[dict[str, Any]]:
    return list(queryset.values(*fields).annotate(n=Count("pk")).order_by("-n", *fields))


def _closed_count(area: Area, period: Period) -> int:
    return (
        CaseEvent.objects.filter(case__area_path__startswith=area.path, to_status=Status.CLOSED)
        .filter(_in(period))
        .values("case_id")
        .distinct()
        .count()
    )


def _case_row(case: Case, **extra: Any) -> dict[str, Any]:
    """A case in a report list: no reporter, no contact, the title's phone numbers masked."""
    return {
        "number": case.number,
        "title": scrub(case.title),
        "category": case.category.name if case.category is not None else "",
        "grid": case.grid.name if case.grid is not None else "",
        "place": case.building.name if case.building is not None else scrub(case.address),
        "status": case.status,
        "due": timezone.localtime(case.handle_due_at).strftime("%Y-%m-%d %H:%M")
        if case.handle_due_at
        else "",
        "reworks": case.rework_count,
        **extra,
    }


def _rows(queryset: Any) -> Any:
    return queryset.select_related("category", "grid", "building").only(
        "number",
        "title",
        "address",
        "status",
        "handle_due_at",
        "rework_count",
        "category__name",
        "grid__name",
        "building__name",
    )


def _overdue(area: Area, period: Period) -> Any:
    return (
        _cases(area)
        .exclude(status__in=NOT_COUNTED)
        .filter(handle_due_at__lt=period.end, created_at__lt=period.end)
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gt=F("handle_due_at")))
        .filter(Q(resolved_at__isnull=True) | Q(resolved_at__gte=period.start))
    )


def _reworks(area: Area, period: Period) -> dict[int, int]:
    rows = (
        CaseEvent.objects.filter(case__area_path__startswith=area.path, kind__in=REWORK_EVENTS)
        .filter(_in(period))
        .values("case_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["case_id"]: row["n"] for row in rows}


def _places(area: Area, period: Period) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Hot spots (places with 2+ cases) and recurring problems (place × category, 3+)."""
    rows = list(
        _intake(area, period)
        .exclude(status__in=(Status.MERGED, Status.VOIDED))
        .values(
            "number",
            "building_id",
            "building__name",
            "address",
            "category_id",
            "category__code",
            "category__name",
            "grid__name",
        )
        .order_by("created_at", "pk")
    )
    by_place: Counter[tuple[str, str]] = Counter()
    place_grid: dict[tuple[str, str], str] = {}
    recurring: dict[tuple[tuple[str, str], int], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row["building_id"]:
            place = ("building", row["building__name"])
        elif (row["address"] or "").strip():
            place = ("address", scrub(row["address"].strip()))
        else:
            continue
        by_place[place] += 1
        place_grid.setdefault(place, row["grid__name"] or "")
        if row["category_id"]:
            recurring[(place, row["category_id"])].append(row)
    hot = [
        {"kind": kind, "place": name, "grid": place_grid[(kind, name)], "count": n}
        for (kind, name), n in sorted(by_place.items(), key=lambda item: (-item[1], item[0]))
        if n >= HOT_SPOT_MIN
    ]
    repeats = [
        {
            "kind": place[0],
            "place": place[1],
            "category": found[0]["category__name"],
            "category_code": found[0]["category__code"],
            "count": len(found),
            "cases": [r["number"] for r in found],
        }
        for (place, _category), found in recurring.items()
        if len(found) >= RECURRING_MIN
    ]
    repeats.sort(key=lambda r: (-r["count"], r["place"], r["category_code"]))
    return hot, repeats


def _hot_grids(area: Area, period: Period) -> list[dict[str, Any]]:
    rows = _grouped(
        _intake(area, period).exclude(status__in=(Status.MERGED, Status.VOIDED)),
        "grid__code",
        "grid__name",
    )
    return [
        {"code": r["grid__code"], "name": r["grid__name"], "count": r["n"]}
        for r in rows
        if r["grid__code"] and r["n"] >= HOT_SPOT_MIN
    ]


# ---------------------------------------------------------------------------------------------
# Other apps


def _window(period: Period) -> AnalyticsPeriod:
    """The same period in the analytics module's terms."""
    if period.kind == ReportKind.WEEKLY:
        return AnalyticsPeriod.week(period.first_day)
    return AnalyticsPeriod.month(period.first_day.year, period.first_day.month)


def _hazards(area: Area, period: Period) -> dict[str, Any]:
    today = timezone.localdate()
    figures = gridwork.hazards(area, _window(period), today=today)
    open_rows = (
        Hazard.objects.filter(area_path__startswith=area.path, status__in=OPEN_HAZARD_STATUSES)
        .select_related("grid")
        .only("pk", "title", "risk_level", "deadline", "status", "grid__name", "address")
        .order_by("deadline", "pk")[:LIST_LIMIT]
    )
    return {
        "found": figures.found,
        "verified": figures.verified,
        "open": figures.open,
        "overdue": figures.overdue,
        "list": [
            {
                "number": h.number,
                "title": scrub(h.title),
                "grid": h.grid.name,
                "place": scrub(h.address),
                "risk": h.risk_level,
                "status": h.status,
                "deadline": h.deadline.isoformat(),
                "overdue": h.deadline < today,
            }
            for h in open_rows
        ],
    }


def _patrols(area: Area, period: Period) -> dict[str, Any]:
    figures = gridwork.patrol_compliance(area, _window(period))
    return {
        "planned": figures.planned,
        "done": figures.done,
        "missed_checkpoints": figures.missed,
        "rate": _plain(figures.rate),
    }


def _talk_points(area: Area, period: Period) -> dict[str, Any]:
    figures = gridwork.talk_points(area, _window(period))
    return {
        "active_points": figures.active_points,
        "sessions": figures.sessions,
        "attendance": figures.attendance,
        "issues": figures.issues,
        "covered_units": figures.units_covered,
        "units": figures.units_total,
        "coverage": _percent(figures.units_covered, figures.units_total),
    }


def _mediation(area: Area, period: Period) -> dict[str, Any]:
    """The mediation figures (`gridgov.mediation.metrics` through the analytics module), when
    that module is installed and gives figures with a numerator and a denominator."""
    found = gridwork.mediation(area, _window(period))
    if not isinstance(found, dict) or not all(
        hasattr(fig, "numerator") and hasattr(fig, "denominator") for fig in found.values()
    ):
        return {"available": False}
    return {"available": True, "figures": [_figure_json(str(k), f) for k, f in found.items()]}


def _analytics(area: Area, period: Period) -> dict[str, Any]:
    """The case rates of `gridgov.analytics.metrics.figures` (numerator, denominator, value);
    the plain counts it also gives are this report's own `counts`."""
    found = figures(area, _window(period))
    return {key: _figure_json(key, fig) for key, fig in found.items() if fig.unit != "count"}


def _figure_json(key: str, fig: Any) -> dict[str, Any]:
    value = getattr(fig, "value", None)
    if isinstance(value, Decimal):
        value = float(value)
    return {
        "key": key,
        "label": str(getattr(fig, "label", key)),
        "numerator": _plain(getattr(fig, "numerator", None)),
        "denominator": _plain(getattr(fig, "denominator", None)),
        "value": value,
        "unit": str(getattr(fig, "unit", "") or ""),
    }


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return value


def _percent(numerator: int, denominator: int) -> float | None:
    return round(numerator * 100 / denominator, 2) if denominator else None


# ---------------------------------------------------------------------------------------------
# The snapshot


def _counts(area: Area, period: Period) -> dict[str, int]:
    intake = _intake(area, period)
    return {
        "intake": intake.count(),
        "closed": _closed_count(area, period),
        "overdue": _overdue(area, period).count(),
        "reworked": len(_reworks(area, period)),
        "problem": intake.filter(is_problem=True).count(),
    }


def _by(area: Area, period: Period, now: Period) -> dict[str, list[dict[str, Any]]]:
    this, before = _intake(area, now), _intake(area, period)
    category = {
        (r["category__code"], r["category__name"]): r["n"]
        for r in _grouped(before, "category__code", "category__name")
    }
    channel = {r["channel"]: r["n"] for r in _grouped(before, "channel")}
    return {
        "category": [
            {
                "code": r["category__code"] or "",
                "name": r["category__name"] or "",
                "count": r["n"],
                **change(r["n"], category.get((r["category__code"], r["category__name"]), 0)),
            }
            for r in _grouped(this, "category__code", "category__name")
        ],
        "channel": [
            {"code": r["channel"], "count": r["n"], **change(r["n"], channel.get(r["channel"], 0))}
            for r in _grouped(this, "channel")
        ],
        "status": [{"code": r["status"], "count": r["n"]} for r in _grouped(this, "status")],
    }


def carried_over(area: Area, period: Period) -> list[dict[str, Any]]:
    """The previous monthly meeting's action items, with their status now."""
    from gridgov.reports.models import ActionItem

    if period.kind != ReportKind.MONTHLY:
        return []
    items = ActionItem.objects.filter(area=area, period=period.previous().code).select_related(
        "owner"
    )
    return [action_item_json(item) for item in items]


def action_item_json(item: Any) -> dict[str, Any]:
    return {
        "id": item.pk,
        "number": item.number,
        "title": item.title,
        "owner": item.owner.full_name or item.owner.username,
        "deadline": item.deadline.isoformat(),
        "status": item.status,
        "done_at": timezone.localtime(item.done_at).strftime("%Y-%m-%d") if item.done_at else "",
    }


def build(area: Area, period: Period) -> dict[str, Any]:
    """The whole snapshot of a report on `area` for `period` (see the module docstring)."""
    previous = period.previous()
    counts, before = _counts(area, period), _counts(area, previous)
    hazards = _hazards(area, period)
    hazards_before = _hazards(area, previous)
    talk, talk_before = _talk_points(area, period), _talk_points(area, previous)
    patrols, patrols_before = _patrols(area, period), _patrols(area, previous)
    rates_now, rates_before = _analytics(area, period), _analytics(area, previous)
    rates = [
        {
            **figure,
            "previous_numerator": rates_before[key]["numerator"],
            "previous_denominator": rates_before[key]["denominator"],
            # a rate's change is in percentage points; a relative change of a rate misleads
            "change": {**change(figure["value"], rates_before[key]["value"]), "percent": None},
        }
        for key, figure in rates_now.items()
    ]
    hot_places, recurring = _places(area, period)
    reworks = _reworks(area, period)
    overdue_qs = _overdue(area, period).order_by("handle_due_at", "pk")
    reworked_qs = _cases(area).filter(pk__in=list(reworks)).order_by("pk")
    counted = {
        **counts,
        "hazards_found": hazards["found"],
        "hazards_verified": hazards["verified"],
        "talk_sessions": talk["sessions"],
        "talk_issues": talk["issues"],
        "patrol_rounds": patrols["done"],
    }
    counted_before = {
        **before,
        "hazards_found": hazards_before["found"],
        "hazards_verified": hazards_before["verified"],
        "talk_sessions": talk_before["sessions"],
        "talk_issues": talk_before["issues"],
        "patrol_rounds": patrols_before["done"],
    }
    return {
        "schema": SCHEMA,
        "kind": period.kind,
        "area": {"code": area.code, "name": area.name, "kind": area.kind, "path": area.path},
        "period": _period_json(period),
        "previous_period": _period_json(previous),
        "counts": [
            {"key": key, "value": value, **change(value, counted_before[key])}
            for key, value in counted.items()
        ],
        "rates": rates,
        **{f"by_{k}": v for k, v in _by(area, previous, period).items()},
        "hot_spots": {"places": hot_places, "grids": _hot_grids(area, period)},
        "recurring": recurring,
        "overdue": [_case_row(c) for c in _rows(overdue_qs)[:LIST_LIMIT]],
        "reworked": [
            _case_row(c, reworks_in_period=reworks[c.pk]) for c in _rows(reworked_qs)[:LIST_LIMIT]
        ],
        "hazards": hazards,
        "patrols": {**patrols, "change": change(patrols["rate"], patrols_before["rate"])},
        "mediation": _mediation(area, period),
        "talk_points": talk,
        "carried_over": carried_over(area, period),
    }
