"""The case metrics of domain.md §7 — the public interface of analytics (ADR 0019).

Use::

    from gridgov.analytics.metrics import figures, Figure, CATALOGUE
    from gridgov.analytics.periods import Period

    period = Period.month(2026, 11)     # or .day/.week/.quarter/.year/.range, .of(kind, day)
    now = figures(area, period)                  # area: a geo.Area (its subtree) or None (all)
    before = figures(area, period.previous())    # period-on-period
    figures(area, period, category=cat, channel="hotline", department=org)

`figures()` returns `{key: Figure}` for every key of `CATALOGUE`, in catalogue order. A `Figure`
has `numerator`, `denominator` (None for plain counts), `value` (a `Decimal`: a percentage rounded
half-up to 2 places for rates, hours for the median, the weighted score for the three rates, the
count for counts; None when the denominator is 0), `label`, `definition` (both translated text)
and `unit` ("%", "h", "score" or "count"). `counts(...)` returns the raw counters behind them
(including the five rating levels, so any satisfaction variant can be recomputed).

Filters: `category` (a cases.Category or its id; a level-1 category includes its children),
`channel` (a cases Channel value), `department` (an accounts.Organisation or its id: the
department the case was with when the event happened; 0 means "never dispatched").
`source="rollups"` (default) reads only the rollup tables plus one indexed count of open cases
past their deadline; `source="direct"` recomputes from the event rows (tests, small areas).

Stable keys: intake, closed, completion_rate, on_time_rate, response_rate, resolution_rate,
satisfaction_rate, three_rates, rework_rate, return_rate, direct_answer_rate,
median_handling_hours, follow_up_rate, overdue_open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gridgov.analytics.models import (
    COUNTERS,
    CaseRollup,
    CommunityHoursRollup,
    CommunityRollup,
    HandlingTimeRollup,
    MetricSettings,
)
from gridgov.analytics.periods import Period, PeriodKind

__all__ = [
    "CATALOGUE",
    "Figure",
    "Filters",
    "MetricDef",
    "Period",
    "PeriodKind",
    "counts",
    "figures",
    "percent",
]

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Figure:
    key: str
    numerator: int | Decimal
    denominator: int | None
    value: Decimal | None
    label: str | Promise
    definition: str | Promise
    unit: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": self.value,
            "label": str(self.label),
            "definition": str(self.definition),
            "unit": self.unit,
        }


@dataclass(frozen=True)
class MetricDef:
    key: str
    label: str | Promise
    definition: str | Promise
    unit: str


def _m(key: str, label: Promise, definition: Promise, unit: str = "%") -> MetricDef:
    return MetricDef(key, label, definition, unit)


CATALOGUE: dict[str, MetricDef] = {
    m.key: m
    for m in (
        _m("intake", _("Cases received"), _("Cases submitted in the period."), "count"),
        _m(
            "closed",
            _("Cases closed"),
            _("Cases closed in the period (rated, closed by staff or closed unrated)."),
            "count",
        ),
        _m(
            "completion_rate",
            _("Completion rate (办结率)"),
            _(
                "Closed / cases that should be closed in the period: handling rounds that closed "
                "before their deadline in the period or whose deadline fell in the period, closed "
                "since or still open."
            ),
        ),
        _m(
            "on_time_rate",
            _("On-time completion rate (按期办结率)"),
            _(
                "Closed with the result given within the handling time limit / cases that should "
                "be closed in the period."
            ),
        ),
        _m(
            "response_rate",
            _("Response rate (响应率)"),
            _("Claimed by the department within the claim limit / dispatched in the period."),
        ),
        _m(
            "resolution_rate",
            _("Resolution rate (解决率)"),
            _('Rated "solved" / evaluated (rated) in the period.'),
        ),
        _m(
            "satisfaction_rate",
            _("Satisfaction rate (满意率)"),
            _(
                "Rated very satisfied or satisfied (and basically satisfied, if the site counts "
                "it) / evaluated in the period."
            ),
        ),
        _m(
            "three_rates",
            _("Three rates score (三率综合)"),
            _(
                "Response, resolution and satisfaction rates weighted by the site's weights "
                "(30/35/35 by default), out of 100."
            ),
            "score",
        ),
        _m(
            "rework_rate",
            _("Rework rate (发回重办率)"),
            _("Cases reopened after a dissatisfied rating / cases closed in the period."),
        ),
        _m(
            "return_rate",
            _("Return rate (退单率)"),
            _("Returns requested by departments / dispatches in the period."),
        ),
        _m(
            "direct_answer_rate",
            _("Direct answer rate (直接答复率)"),
            _(
                "Closed by the first receiving unit, never escalated or dispatched / cases "
                "closed in the period."
            ),
        ),
        _m(
            "median_handling_hours",
            _("Median handling time"),
            _(
                "Median, in whole hours, of the time from submission to the last result of the "
                "cases closed in the period (the lower median)."
            ),
            "h",
        ),
        _m(
            "follow_up_rate",
            _("Follow-up rate (回访率)"),
            _(
                "Closed with a rating (by the resident or recorded from a follow-up call) / "
                "cases closed in the period."
            ),
        ),
        _m(
            "overdue_open",
            _("Open past the deadline"),
            _("Open cases whose handling deadline fell in the period and has passed."),
            "count",
        ),
    )
}


def percent(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator as a percentage rounded half-up to 2 places (911/972 → 93.72)."""
    if not denominator:
        return None
    return (Decimal(numerator) * HUNDRED / Decimal(denominator)).quantize(CENT, ROUND_HALF_UP)


@dataclass(frozen=True)
class Filters:
    path: str  # area path prefix ("" for everything)
    start: dt.date
    end: dt.date
    category_ids: tuple[int, ...] | None
    channel: str | None
    department_id: int | None

    @classmethod
    def make(
        cls, area: Any, period: Period, category: Any, channel: str | None, department: Any
    ) -> Filters:
        path = "" if area is None else (area if isinstance(area, str) else area.path)
        category_ids = None
        if category is not None:
            from gridgov.cases.models import Category

            pk = category if isinstance(category, int) else category.pk
            category_ids = (pk, *Category.objects.filter(parent_id=pk).values_list("pk", flat=True))
        department_id = None
        if department is not None:
            department_id = department if isinstance(department, int) else department.pk
        return cls(path, period.start, period.end, category_ids, channel, department_id)

    def rollup_q(self) -> Q:
        q = Q(day__gte=self.start, day__lt=self.end)
        if self.path:
            q &= Q(area_path__startswith=self.path)
        if self.category_ids is not None:
            q &= Q(category_id__in=self.category_ids)
        if self.channel:
            q &= Q(channel=self.channel)
        if self.department_id is not None:
            q &= Q(department_id=self.department_id)
        return q


def _depth(path: str) -> int:
    return len([code for code in path.split("/") if code])


def _rollup_counts(f: Filters) -> tuple[dict[str, int], dict[int, int]]:
    """Sum the finest table the cut needs: the community tables unless a grid, a channel or a
    department is asked for (and, for the histogram, a category)."""
    coarse = f.channel is None and f.department_id is None and _depth(f.path) <= 3
    counters = CommunityRollup if coarse else CaseRollup
    sums = counters.objects.filter(f.rollup_q()).aggregate(**{c: Sum(c) for c in COUNTERS})
    values = {c: int(sums[c] or 0) for c in COUNTERS}
    hours: QuerySet[Any]
    if coarse and f.category_ids is None:
        hours = CommunityHoursRollup.objects.filter(f.rollup_q())
    else:
        hours = HandlingTimeRollup.objects.filter(f.rollup_q())
    hist = hours.values_list("hours").annotate(n=Sum("count")).order_by()
    return values, {int(h): int(n) for h, n in hist}


def overdue_open(f: Filters, now: dt.datetime | None = None) -> int:
    """Open cases whose handling deadline is in the period and already past (indexed count)."""
    from gridgov.cases.models import Case, open_for_due_index

    now = now or timezone.now()
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(f.start, dt.time.min, tzinfo=tz)
    end = min(dt.datetime.combine(f.end, dt.time.min, tzinfo=tz), now)
    if end <= start:
        return 0
    q = Q(handle_due_at__gte=start, handle_due_at__lt=end)
    if f.path:
        q &= Q(area_path__startswith=f.path)
    if f.category_ids is not None:
        q &= Q(category_id__in=f.category_ids)
    if f.channel:
        q &= Q(channel=f.channel)
    if f.department_id is not None:
        q &= Q(department_id=f.department_id or None)
    return Case.objects.filter(open_for_due_index()).filter(q).count()


def counts(
    area: Any,
    period: Period,
    *,
    category: Any = None,
    channel: str | None = None,
    department: Any = None,
    source: str = "rollups",
    now: dt.datetime | None = None,
) -> tuple[dict[str, int], dict[int, int]]:
    """The raw counters (COUNTERS plus "overdue_open") and the handling-time histogram."""
    f = Filters.make(area, period, category, channel, department)
    if source == "direct":
        from gridgov.analytics.direct import direct_counts

        values, hist = direct_counts(f)
    else:
        values, hist = _rollup_counts(f)
    values["overdue_open"] = overdue_open(f, now)
    return values, hist


def lower_median(hist: Mapping[int, int]) -> int | None:
    total = sum(hist.values())
    if not total:
        return None
    rank = (total + 1) // 2
    seen = 0
    for hours in sorted(hist):
        seen += hist[hours]
        if seen >= rank:
            return hours
    raise AssertionError("unreachable")


def compute(
    c: Mapping[str, int], hist: Mapping[int, int], settings: MetricSettings
) -> dict[str, Figure]:
    """The figures from raw counters (pure: reports can recompute from stored counters)."""
    should = c["due_closed"] + c["overdue_open"]
    satisfied = c["sat_5"] + c["sat_4"] + (c["sat_3"] if settings.basic_counts_as_satisfied else 0)
    ratios: dict[str, tuple[int, int]] = {
        "completion_rate": (c["due_closed"], should),
        "on_time_rate": (c["due_closed_on_time"], should),
        "response_rate": (c["claimed_on_time"], c["dispatched"]),
        "resolution_rate": (c["solved"], c["rated"]),
        "satisfaction_rate": (satisfied, c["rated"]),
        "rework_rate": (c["reopened"], c["closed"]),
        "return_rate": (c["returned"], c["dispatched"]),
        "direct_answer_rate": (c["closed_direct"], c["closed"]),
        "follow_up_rate": (c["rated"], c["closed"]),
    }
    out: dict[str, Figure] = {}
    make: Callable[..., Figure]
    for key, d in CATALOGUE.items():

        def make(
            n: int | Decimal, den: int | None, value: Decimal | None, d: MetricDef = d
        ) -> Figure:
            return Figure(d.key, n, den, value, d.label, d.definition, d.unit)

        if key in ratios:
            n, den = ratios[key]
            out[key] = make(n, den, percent(n, den))
        elif key in ("intake", "closed", "overdue_open"):
            n = c["created"] if key == "intake" else c[key]
            out[key] = make(n, None, Decimal(n))
        elif key == "median_handling_hours":
            median = lower_median(hist)
            out[key] = make(
                median or 0, sum(hist.values()), None if median is None else Decimal(median)
            )
    rates = [out[k].value for k in ("response_rate", "resolution_rate", "satisfaction_rate")]
    if any(r is None for r in rates):
        score: Decimal | None = None
        weighted = Decimal(0)
    else:
        weighted = sum(
            (w * r for w, r in zip(settings.weights, rates, strict=True) if r is not None),
            Decimal(0),
        )
        score = (weighted / HUNDRED).quantize(CENT, ROUND_HALF_UP)
    d = CATALOGUE["three_rates"]
    out["three_rates"] = Figure(d.key, weighted, 100, score, d.label, d.definition, d.unit)
    return {key: out[key] for key in CATALOGUE}


def figures(
    area: Any,
    period: Period,
    *,
    category: Any = None,
    channel: str | None = None,
    department: Any = None,
    source: str = "rollups",
    now: dt.datetime | None = None,
    settings: MetricSettings | None = None,
) -> dict[str, Figure]:
    """Every metric of CATALOGUE for `area` (None: all) in `period`, cut by the filters."""
    c, hist = counts(
        area,
        period,
        category=category,
        channel=channel,
        department=department,
        source=source,
        now=now,
    )
    return compute(c, hist, settings or MetricSettings.current())
