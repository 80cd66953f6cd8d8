"""What the dashboards show, from `figures()` and the rollups (an adapter; ADR 0018).

The figures themselves are analytics' (`metrics.figures`, `gridwork`); this module only picks
the tiles, the previous period to compare with, the trend series, the top categories, the hot
spots and the problem cases for one area the user may see. Every number on a tile carries its
numerator and denominator so the page can show them on hover and tap.

Queries are bounded: two `figures()` calls (rollups), one grouped rollup read for the trend, one
for the categories, one for the grids, one grouped count of the period's cases by building, one
page of problem cases, and the grid-work figures of the other apps.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.accounts import scope
from gridgov.analytics import gridwork
from gridgov.analytics.metrics import Figure, figures
from gridgov.analytics.models import CaseRollup, CommunityRollup
from gridgov.analytics.periods import Period, PeriodKind
from gridgov.cases.choices import OPEN_STATUSES, SlaLevel, Supervision
from gridgov.cases.models import SLA_RANK, Case, Category
from gridgov.geo.choices import AreaKind
from gridgov.geo.models import Area

# The roles that steer by the figures of an area (the case roles by area).
DASHBOARD_ROLES = scope.CASE_AREA_ROLES
PERIOD_KINDS = (PeriodKind.WEEK, PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)
RATE_TILES = (
    "completion_rate",
    "on_time_rate",
    "response_rate",
    "resolution_rate",
    "satisfaction_rate",
    "three_rates",
)
PROBLEM_LIMIT = 20
HOT_SPOT_MIN = 2  # "repeated": at least two reports at one place in the period


def dashboard_paths(user: Any) -> tuple[str, ...]:
    return scope.role_paths(user, DASHBOARD_ROLES)


def home_area(user: Any) -> Area | None:
    """The widest area the user steers (their first, for several): the default dashboard."""
    paths = dashboard_paths(user)
    if not paths:
        return None
    return Area.objects.filter(path__in=paths).order_by("path").first()


def area_for(user: Any, code: str | None) -> Area:
    """The area of a dashboard: 404 unless the user steers it (scope.py, ADR 0011)."""
    if code is None:
        area = home_area(user)
        if area is None:
            raise Http404
        return area
    area = Area.objects.filter(code=code).first()
    if area is None or not scope.covers(dashboard_paths(user), area.path):
        raise Http404
    return area


def period_from(params: Any, today: dt.date | None = None) -> Period:
    """`?period=week|month|quarter|year&day=YYYY-MM-DD` (default: this month)."""
    today = today or timezone.localdate()
    kind = params.get("period") or PeriodKind.MONTH
    if kind not in PERIOD_KINDS:
        kind = PeriodKind.MONTH
    try:
        day = dt.date.fromisoformat(params.get("day") or "") or today
    except ValueError:
        day = today
    return Period.of(kind, min(day, today))


@dataclass
class Tile:
    key: str
    label: str
    value: Decimal | int | None
    unit: str
    numerator: Any = None
    denominator: Any = None
    previous: Decimal | int | None = None
    definition: str = ""
    link: str = ""

    @property
    def display(self) -> str:
        if self.value is None:
            return "—"
        if self.unit == "%":
            return f"{self.value}%"
        return str(self.value)

    @property
    def delta(self) -> Decimal | None:
        if self.value is None or self.previous is None:
            return None
        return Decimal(self.value) - Decimal(self.previous)

    @property
    def fraction(self) -> str:
        if self.denominator is None:
            return ""
        return f"{self.numerator} / {self.denominator}"


def _tile(figure: Figure, before: Figure) -> Tile:
    return Tile(
        key=figure.key,
        label=str(figure.label),
        value=figure.value,
        unit=figure.unit,
        numerator=figure.numerator,
        denominator=figure.denominator,
        previous=before.value,
        definition=str(figure.definition),
    )


def _mediation_tile(result: Any) -> Tile | None:
    """The mediation success rate, when the mediation app is installed."""
    success = (result or {}).get("success")
    if success is None:
        return None
    return Tile(
        key="mediation_success",
        label=_("Mediation success (调解成功率)"),
        value=success.value,
        unit="%",
        numerator=success.numerator,
        denominator=success.denominator,
        definition=_("Agreements / mediations accepted in the period."),
    )


@dataclass
class Dashboard:
    area: Area
    period: Period
    tiles: list[Tile]
    trend: dict[str, Any]
    categories: list[dict[str, Any]]
    hot_buildings: list[dict[str, Any]]
    hot_grids: list[dict[str, Any]]
    problems: list[Case]
    children: list[Area] = field(default_factory=list)
    figures: dict[str, Figure] = field(default_factory=dict)
    annual: list[Tile] = field(default_factory=list)  # the year in figures (a year period)


def annual_tiles(area: Area, period: Period) -> list[Tile]:
    """The figures a community publishes about its year (analytics/annual.py), as tiles."""
    from gridgov.analytics.annual import annual_figures

    return [
        Tile(
            key=f"year_{row.key}",
            label=str(row.label),
            value=row.value,
            unit=row.unit,
            numerator=row.numerator,
            denominator=row.denominator,
            definition=str(row.definition),
        )
        for row in annual_figures(area, period)
    ]


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(period.start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(period.end, dt.time.min, tzinfo=zone),
    )


def _bucket(period: Period, day: dt.date) -> int:
    """The index of `day` in the period's chart: a day, or a month for long periods."""
    if period.days <= 62:
        return (day - period.start).days
    return (day.year - period.start.year) * 12 + day.month - period.start.month


def _labels(period: Period) -> list[str]:
    if period.days <= 62:
        return [(period.start + dt.timedelta(days=i)).strftime("%m-%d") for i in range(period.days)]
    first = period.start.year * 12 + period.start.month - 1
    last = (
        (period.end - dt.timedelta(days=1)).year * 12
        + (period.end - dt.timedelta(days=1)).month
        - 1
    )
    return [f"{m // 12}-{m % 12 + 1:02d}" for m in range(first, last + 1)]


def _counters(area: Area) -> QuerySet[Any]:
    """The smallest rollup that holds the area's day × category sums: the community table for a
    city, a street or a community (one row per community instead of one per grid, channel and
    department), the grid table for a grid (as metrics._rollup_counts chooses)."""
    if len([code for code in area.path.split("/") if code]) > 3:
        return CaseRollup.objects.all()
    return CommunityRollup.objects.all()


def trend(area: Area, period: Period, today: dt.date | None = None) -> dict[str, Any]:
    """Cases received and closed per day (or month) in the period and in the one before.

    The days (months) of the period after today have not happened: their value is None (a gap
    in the chart), not a zero that would read as a quiet day."""
    before = period.previous()
    rows = (
        _counters(area)
        .filter(area_path__startswith=area.path, day__gte=before.start, day__lt=period.end)
        .values("day")
        .annotate(created=Sum("created"), closed=Sum("closed"))
        .order_by()
    )
    labels = _labels(period)
    size = len(labels)
    series = {name: [0] * size for name in ("created", "closed", "created_before", "closed_before")}
    for row in rows:
        day = row["day"]
        if day in period:
            index, suffix = _bucket(period, day), ""
        else:
            index, suffix = _bucket(before, day), "_before"
        if 0 <= index < size:
            series["created" + suffix][index] += row["created"] or 0
            series["closed" + suffix][index] += row["closed"] or 0
    today = today or timezone.localdate()
    past = size if today >= period.end else max(0, _bucket(period, today) + 1)
    shown: dict[str, list[int | None]] = {name: list(values) for name, values in series.items()}
    for name in ("created", "closed"):
        shown[name] = shown[name][:past] + [None] * (size - past)
    return {"labels": labels, **shown}


def top_categories(area: Area, period: Period, limit: int = 8) -> list[dict[str, Any]]:
    rows = list(
        _counters(area)
        .filter(area_path__startswith=area.path, day__gte=period.start, day__lt=period.end)
        .values("category_id")
        .annotate(n=Sum("created"))
        .filter(n__gt=0)
        .order_by("-n", "category_id")[:limit]
    )
    names = dict(
        Category.objects.filter(pk__in=[r["category_id"] for r in rows]).values_list("pk", "name")
    )
    return [
        {"name": names.get(r["category_id"]) or _("Not categorised"), "count": r["n"]} for r in rows
    ]


def hot_grids(area: Area, period: Period, limit: int = 8) -> list[dict[str, Any]]:
    """Grids with repeated reports in the period, most first (from the rollups)."""
    rows = list(
        CaseRollup.objects.filter(
            area_path__startswith=area.path, day__gte=period.start, day__lt=period.end
        )
        .values("area_id")
        .annotate(n=Sum("created"))
        .filter(n__gte=HOT_SPOT_MIN)
        .order_by("-n", "area_id")[:limit]
    )
    areas = {a.pk: a for a in Area.objects.filter(pk__in=[r["area_id"] for r in rows])}
    return [{"area": areas[r["area_id"]], "count": r["n"]} for r in rows if r["area_id"] in areas]


def hot_buildings(area: Area, period: Period, limit: int = 8) -> list[dict[str, Any]]:
    """Buildings with repeated reports in the period (cases of the area registered then)."""
    start, end = _bounds(period)
    rows = (
        Case.objects.filter(
            area_path__startswith=area.path,
            created_at__gte=start,
            created_at__lt=end,
            building__isnull=False,
        )
        .values("building__code", "building__name", "grid__name", "grid__code")
        .annotate(n=Count("id"))
        .filter(n__gte=HOT_SPOT_MIN)
        .order_by("-n", "building__code")[:limit]
    )
    return [
        {
            "code": r["building__code"],
            "name": r["building__name"],
            "grid": r["grid__name"],
            "grid_code": r["grid__code"],
            "count": r["n"],
        }
        for r in rows
    ]


def problem_cases(user: Any, area: Area, limit: int = PROBLEM_LIMIT) -> list[Case]:
    """Open cases overdue, on red warning or under supervision, the most urgent first.

    Two reads, each an index range rather than a walk over every open case: the overdue and red
    ones by `case_attention` (rank, due), then, if the list is not full, the supervised rest by
    `case_supervised`."""
    rank = SLA_RANK[SlaLevel.RED]
    order = ("sla_rank", "step_due_at", "id")
    base = (
        Case.objects.visible_to(user)
        .filter(area_path__startswith=area.path, status__in=list(OPEN_STATUSES))
        .select_related("category", "grid", "department")
        .order_by(*order)
    )
    urgent = list(base.filter(sla_rank__lte=rank)[:limit])
    if len(urgent) == limit:
        return urgent
    watched = [value for value in Supervision.values if value != Supervision.NONE]
    rest = base.filter(sla_rank__gt=rank, supervision__in=watched)[: limit - len(urgent)]
    return urgent + list(rest)


def overdue_now(area: Area) -> int:
    """Open cases of the area past their step's time limit now (sla level "overdue")."""
    return Case.objects.filter(
        area_path__startswith=area.path, status__in=list(OPEN_STATUSES), sla_level=SlaLevel.OVERDUE
    ).count()


def build(user: Any, area: Area, period: Period) -> Dashboard:
    now_figures = figures(area, period)
    before = figures(area, period.previous())
    # Only the grid-work figures the tiles show (not talk points: their coverage is costly).
    patrols = gridwork.patrol_compliance(area, period)
    hazards = gridwork.hazards(area, period)
    mediation_figures = gridwork.mediation(area, period)
    tiles = [_tile(now_figures["intake"], before["intake"])]
    tiles += [_tile(now_figures["closed"], before["closed"])]
    tiles += [_tile(now_figures[key], before[key]) for key in RATE_TILES]
    tiles.append(
        Tile(
            key="overdue_now",
            label=_("Overdue now"),
            value=overdue_now(area),
            unit="count",
            definition=_("Open cases past their step's time limit at this moment."),
        )
    )
    tiles.append(
        Tile(
            key="patrol_compliance",
            label=_("Patrol compliance (一日双巡)"),
            value=patrols.rate,
            unit="%",
            numerator=patrols.done,
            denominator=patrols.planned,
            definition=_("Rounds done / rounds planned in the period."),
        )
    )
    tiles.append(
        Tile(
            key="hazards_open",
            label=_("Hazards open"),
            value=hazards.open,
            unit="count",
            definition=_("Hazards found and not yet rectified; %(overdue)s past their deadline.")
            % {"overdue": hazards.overdue},
        )
    )
    if mediation := _mediation_tile(mediation_figures):
        tiles.append(mediation)
    children = (
        list(Area.objects.filter(parent=area).order_by("code"))
        if area.kind != AreaKind.GRID
        else []
    )
    return Dashboard(
        area=area,
        period=period,
        tiles=tiles,
        trend=trend(area, period),
        categories=top_categories(area, period),
        hot_buildings=hot_buildings(area, period),
        hot_grids=hot_grids(area, period),
        problems=problem_cases(user, area),
        children=children,
        figures=now_figures,
        annual=annual_tiles(area, period) if period.kind == PeriodKind.YEAR else [],
    )


def strip(user: Any) -> tuple[Area, Period, list[Tile]] | None:
    """The home page's figures for a user who steers an area: this month, four tiles."""
    area = home_area(user)
    if area is None:
        return None
    period = Period.of(PeriodKind.MONTH, timezone.localdate())
    now_figures = figures(area, period)
    before = figures(area, period.previous())
    tiles = [
        _tile(now_figures[key], before[key])
        for key in ("intake", "completion_rate", "on_time_rate")
    ]
    tiles.append(
        Tile(key="overdue_now", label=_("Overdue now"), value=overdue_now(area), unit="count")
    )
    return area, period, tiles


def chart_data(board: Dashboard) -> dict[str, Any]:
    """What dashboard.js draws (json_script): the trend and the categories."""
    by_kind: dict[str, list[Any]] = defaultdict(list)
    for row in board.categories:
        by_kind["names"].append(row["name"])
        by_kind["counts"].append(row["count"])
    return {
        "trend": board.trend,
        "categories": {"names": by_kind["names"], "counts": by_kind["counts"]},
        "labels": {
            "created": _("Received"),
            "closed": _("Closed"),
            "created_before": _("Received, previous period"),
            "closed_before": _("Closed, previous period"),
        },
    }
