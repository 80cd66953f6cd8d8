"""Mediation metrics (domain.md §7), computed from the event rows only, over a period of days
(the events' local dates, both ends included) and an area path. Each returns its numerator and
denominator (ADR 0016 gives the definitions):

- success rate 调解成功率 = of the cases accepted in the period, those that reached an agreement
  (at any time up to now) / the cases accepted in the period;
- on-time rate 按期调结率 = the cases concluded (agreed or failed, first time) in the period by
  their due date / the cases concluded in the period;
- performance rate 协议履行率 = of the agreements reached in the period that were followed up,
  those whose last follow-up says "performed" / the agreements followed up;
- follow-up rate 回访率 = of the agreements reached in the period whose first follow-up fell due
  by `as_of` (the end of the period unless given), those followed up / those due;
- judicial confirmation rate 司法确认率 = the agreements reached in the period that a court
  confirmed / the agreements reached in the period.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _l

from gridgov.mediation.choices import MediationEventKind as K
from gridgov.mediation.models import MediationEvent


@dataclass(frozen=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def percent(self) -> Decimal | None:
        """Two decimals, half up (911 / 972 → 93.72); None when there is nothing to divide."""
        if not self.denominator:
            return None
        value = Decimal(self.numerator) * 100 / Decimal(self.denominator)
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight of `start` to local midnight after `end`."""
    first = timezone.make_aware(dt.datetime.combine(start, dt.time.min))
    after = timezone.make_aware(dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min))
    return first, after


def _events(area_path: str, *kinds: str) -> QuerySet[MediationEvent]:
    return MediationEvent.objects.filter(
        kind__in=kinds, mediation__area_path__startswith=area_path
    ).order_by("created_at", "pk")


def _in(queryset: QuerySet[MediationEvent], start: dt.date, end: dt.date) -> Any:
    first, after = _bounds(start, end)
    return queryset.filter(created_at__gte=first, created_at__lt=after)


def success_rate(start: dt.date, end: dt.date, area_path: str) -> Ratio:
    accepted = set(
        _in(_events(area_path, K.ACCEPTED), start, end).values_list("mediation_id", flat=True)
    )
    agreed = set(
        _events(area_path, K.AGREED)
        .filter(mediation_id__in=accepted)
        .values_list("mediation_id", flat=True)
    )
    return Ratio(len(agreed), len(accepted))


def on_time_rate(start: dt.date, end: dt.date, area_path: str) -> Ratio:
    concluding = _events(area_path, K.AGREED, K.FAILED)
    period = set(_in(concluding, start, end).values_list("pk", flat=True))
    # The first conclusion of each of these cases (a re-mediated case concludes again later).
    first: dict[int, tuple[int, bool]] = {}
    for pk, mediation_id, data in concluding.filter(
        mediation_id__in=_in(concluding, start, end).values("mediation_id")
    ).values_list("pk", "mediation_id", "data"):
        first.setdefault(mediation_id, (pk, bool(data.get("on_time"))))
    counted = [on_time for pk, on_time in first.values() if pk in period]
    return Ratio(sum(counted), len(counted))


def _agreements(start: dt.date, end: dt.date, area_path: str) -> dict[int, dict[str, Any]]:
    """The agreements reached in the period, by agreement id: their agreed event's data (with
    the case's id)."""
    rows = _in(_events(area_path, K.AGREED), start, end).values_list("mediation_id", "data")
    return {
        data["agreement"]: {**data, "mediation_id": mediation_id}
        for mediation_id, data in rows
        if "agreement" in data
    }


def _later(
    agreements: dict[int, dict[str, Any]], area_path: str, kind: str
) -> list[dict[str, Any]]:
    """The data of the `kind` events of these agreements' cases, in order."""
    cases = {data["mediation_id"] for data in agreements.values()}
    return list(
        _events(area_path, kind).filter(mediation_id__in=cases).values_list("data", flat=True)
    )


def _follow_ups(agreements: dict[int, dict[str, Any]], area_path: str) -> dict[int, list[str]]:
    """The follow-up results of these agreements, in order."""
    results: dict[int, list[str]] = defaultdict(list)
    for data in _later(agreements, area_path, K.FOLLOWED_UP):
        if data.get("agreement") in agreements:
            results[data["agreement"]].append(data.get("result", ""))
    return results


def performance_rate(start: dt.date, end: dt.date, area_path: str) -> Ratio:
    agreements = _agreements(start, end, area_path)
    followed = _follow_ups(agreements, area_path)
    performed = [a for a, results in followed.items() if results[-1] == "performed"]
    return Ratio(len(performed), len(followed))


def follow_up_rate(
    start: dt.date, end: dt.date, area_path: str, as_of: dt.date | None = None
) -> Ratio:
    as_of = as_of or end
    agreements = _agreements(start, end, area_path)
    due = {
        a: data
        for a, data in agreements.items()
        if data.get("follow_up_due") and dt.date.fromisoformat(data["follow_up_due"]) <= as_of
    }
    followed = _follow_ups(due, area_path)
    return Ratio(len(followed), len(due))


def confirmation_rate(start: dt.date, end: dt.date, area_path: str) -> Ratio:
    agreements = _agreements(start, end, area_path)
    confirmed = {
        data.get("agreement")
        for data in _later(agreements, area_path, K.CONFIRMATION_RESULT)
        if data.get("result") == "confirmed"
    }
    return Ratio(len(set(agreements) & confirmed), len(agreements))


def all_rates(start: dt.date, end: dt.date, area_path: str) -> dict[str, Ratio]:
    return {
        "success": success_rate(start, end, area_path),
        "on_time": on_time_rate(start, end, area_path),
        "performance": performance_rate(start, end, area_path),
        "follow_up": follow_up_rate(start, end, area_path),
        "confirmation": confirmation_rate(start, end, area_path),
    }


LABELS = {
    "success": _l("Mediation success rate (调解成功率)"),
    "on_time": _l("Mediations concluded on time (按期调结率)"),
    "performance": _l("Agreements performed (协议履行率)"),
    "follow_up": _l("Agreements followed up (回访率)"),
    "confirmation": _l("Agreements judicially confirmed (司法确认率)"),
}


@dataclass(frozen=True)
class Figure:
    """One rate in the shape the analytics figures have (numerator, denominator, value)."""

    key: str
    label: Any
    numerator: int
    denominator: int
    value: Decimal | None
    unit: str = "%"


def figures(area: Any, period: Any) -> dict[str, Figure]:
    """The five rates over an area (None: everywhere) and a period with a `start` date and an
    exclusive `end` date (analytics' `Period`), for dashboards and reports."""
    path = "" if area is None else area.path
    last = period.end - dt.timedelta(days=1)
    return {
        key: Figure(key, LABELS[key], ratio.numerator, ratio.denominator, ratio.percent)
        for key, ratio in all_rates(period.start, last, path).items()
    }
