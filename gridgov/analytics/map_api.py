"""The map's case and hazard layers and the grid shading (an adapter over cases and hazards).

Every list starts from `visible_to(user)` and is paged like the other GeoJSON layers (a client
follows `next`); the filters are the map's: `bbox`, a period (`since`/`until`, local dates, on
the time a case or hazard was registered), `category` (a category code or its parent's) and
`status` (`open`, `closed` or one status value).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from gridgov.analytics.map_metrics import RATE_METRICS
from gridgov.analytics.metrics import CATALOGUE, compute
from gridgov.analytics.models import COUNTERS, CaseRollup, MetricSettings
from gridgov.cases.choices import OPEN_STATUSES, SlaLevel, Status
from gridgov.cases.models import Case, Category, open_for_due_index
from gridgov.core.geojson import FeaturePagination
from gridgov.geo.api import BBOX_PARAMETER, _bbox
from gridgov.geo.models import Area
from gridgov.hazards.choices import OPEN_HAZARD_STATUSES, HazardStatus
from gridgov.hazards.models import Hazard

PERIOD_PARAMETERS = [
    OpenApiParameter("since", OpenApiTypes.DATE, description="registered on or after (local)"),
    OpenApiParameter("until", OpenApiTypes.DATE, description="registered on or before (local)"),
]
CATEGORY_PARAMETER = OpenApiParameter(
    "category", OpenApiTypes.STR, description="category code (a parent code takes its children)"
)
STATUS_PARAMETER = OpenApiParameter(
    "status", OpenApiTypes.STR, description="`open`, `closed` or one status value"
)


def _day(request: Request, name: str) -> dt.date | None:
    raw = request.query_params.get(name)
    if not raw:
        return None
    try:
        day = parse_date(raw)
    except ValueError:
        day = None
    if day is None:
        raise ValidationError({name: [_("Enter a date as YYYY-MM-DD.")]})
    return day


def period_filter(request: Request, field: str = "created_at") -> Q:
    """`since`/`until` (inclusive local days) as a condition on `field`."""
    since, until = _day(request, "since"), _day(request, "until")
    if since and until and since > until:
        raise ValidationError({"since": [_("The start of the period is after its end.")]})
    zone = timezone.get_current_timezone()
    condition = Q()
    if since:
        condition &= Q(**{f"{field}__gte": dt.datetime.combine(since, dt.time(), zone)})
    if until:
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time(), zone)
        condition &= Q(**{f"{field}__lt": end})
    return condition


def case_state(case: Case) -> str:
    """The colour group of a case on the map."""
    if case.status in OPEN_STATUSES:
        if case.sla_level == SlaLevel.OVERDUE:
            return "overdue"
        if case.sla_level in (SlaLevel.YELLOW, SlaLevel.RED):
            return "warning"
        return "open"
    return "closed" if case.status == Status.CLOSED else "ended"


def hazard_state(hazard: Hazard, today: dt.date) -> str:
    if hazard.status in OPEN_HAZARD_STATUSES:
        return "overdue" if hazard.deadline < today else "open"
    return "closed" if hazard.status == HazardStatus.VERIFIED else "warning"


class _CaseProperties(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    state = serializers.ChoiceField(choices=["open", "warning", "overdue", "closed", "ended"])
    category = serializers.CharField(allow_null=True)
    grid = serializers.CharField(allow_null=True)
    created = serializers.DateField()
    url = serializers.CharField()


class CaseFeatureSerializer(serializers.Serializer):
    """A case as a GeoJSON Point Feature, with what its map popup shows."""

    type = serializers.ChoiceField(choices=["Feature"])
    id = serializers.CharField()
    geometry = serializers.JSONField()
    properties = _CaseProperties()

    def to_representation(self, case: Any) -> dict[str, Any]:
        return {
            "type": "Feature",
            "id": case.number,
            "geometry": {"type": "Point", "coordinates": [case.lon, case.lat]},
            "properties": {
                "number": case.number,
                "title": case.title,
                "status": case.status,
                "status_label": case.get_status_display(),
                "state": case_state(case),
                "category": case.category.name if case.category_id else None,
                "grid": case.grid.code if case.grid_id else None,
                "created": timezone.localdate(case.created_at).isoformat(),
                "url": reverse("cases:detail", args=[case.number]),
            },
        }


class _HazardProperties(serializers.Serializer):
    number = serializers.CharField()
    title = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    state = serializers.ChoiceField(choices=["open", "warning", "overdue", "closed"])
    risk = serializers.CharField()
    deadline = serializers.DateField()
    approximate = serializers.BooleanField(help_text="placed at its grid's centre")
    url = serializers.CharField()


class HazardFeatureSerializer(serializers.Serializer):
    """A hazard as a GeoJSON Point: at its own position, else at its case's place if escalated,
    else at its grid's centre (`approximate`)."""

    type = serializers.ChoiceField(choices=["Feature"])
    id = serializers.CharField()
    geometry = serializers.JSONField()
    properties = _HazardProperties()

    def to_representation(self, hazard: Any) -> dict[str, Any]:
        return {
            "type": "Feature",
            "id": hazard.number,
            "geometry": {"type": "Point", "coordinates": [hazard.point_lon, hazard.point_lat]},
            "properties": {
                "number": hazard.number,
                "title": hazard.title,
                "status": hazard.status,
                "status_label": hazard.get_status_display(),
                "state": hazard_state(hazard, self.context["today"]),
                "risk": hazard.get_risk_level_display(),
                "deadline": hazard.deadline.isoformat(),
                "approximate": hazard.case_lon is None,
                "url": reverse("hazards:detail", args=[hazard.pk]),
            },
        }


def _status_filter(request: Request, open_statuses: Any, closed: str, choices: Any) -> Q:
    status = request.query_params.get("status")
    if not status:
        return Q()
    if status == "open":
        return Q(status__in=list(open_statuses))
    if status == "closed":
        return Q(status=closed)
    if status in choices.values:
        return Q(status=status)
    raise ValidationError({"status": [_("Unknown status.")]})


def filtered_cases(request: Request) -> QuerySet[Case]:
    """The caller's visible cases matching the map's filters (period, category, status)."""
    queryset = Case.objects.visible_to(request.user).filter(period_filter(request))
    if category := request.query_params.get("category"):
        queryset = queryset.filter(Q(category__code=category) | Q(category__parent__code=category))
    return queryset.filter(_status_filter(request, OPEN_STATUSES, Status.CLOSED, Status))


@extend_schema(
    parameters=[BBOX_PARAMETER, *PERIOD_PARAMETERS, CATEGORY_PARAMETER, STATUS_PARAMETER]
)
class CaseFeatures(generics.ListAPIView):
    """The caller's visible cases with a location as GeoJSON Points (paged; follow `next`)."""

    serializer_class = CaseFeatureSerializer
    pagination_class = FeaturePagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[Case]:
        queryset = (
            filtered_cases(self.request)
            .filter(lat__isnull=False, lon__isnull=False)
            .select_related("category", "grid")
            .only(
                "number",
                "title",
                "status",
                "sla_level",
                "lat",
                "lon",
                "created_at",
                "category__name",
                "grid__code",
            )
            .order_by("-created_at", "-id")
        )
        if bbox := _bbox(self.request):
            min_lon, min_lat, max_lon, max_lat = bbox
            queryset = queryset.filter(
                lon__gte=min_lon, lon__lte=max_lon, lat__gte=min_lat, lat__lte=max_lat
            )
        return queryset


@extend_schema(parameters=[BBOX_PARAMETER, *PERIOD_PARAMETERS, STATUS_PARAMETER])
class HazardFeatures(generics.ListAPIView):
    """The caller's visible hazards as GeoJSON Points (paged; follow `next`)."""

    serializer_class = HazardFeatureSerializer
    pagination_class = FeaturePagination
    filter_backends: list[Any] = []

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    def get_queryset(self) -> QuerySet[Hazard]:
        queryset = (
            Hazard.objects.visible_to(self.request.user)
            .filter(period_filter(self.request))
            .filter(
                _status_filter(
                    self.request, OPEN_HAZARD_STATUSES, HazardStatus.VERIFIED, HazardStatus
                )
            )
            .annotate(
                case_lon=Coalesce("lon", "case__lon"),
                point_lon=Coalesce("lon", "case__lon", "grid__centre_lon"),
                point_lat=Coalesce("lat", "case__lat", "grid__centre_lat"),
            )
            .filter(point_lon__isnull=False, point_lat__isnull=False)
            .order_by("-created_at", "-id")
        )
        if bbox := _bbox(self.request):
            min_lon, min_lat, max_lon, max_lat = bbox
            queryset = queryset.filter(
                point_lon__gte=min_lon,
                point_lon__lte=max_lon,
                point_lat__gte=min_lat,
                point_lat__lte=max_lat,
            )
        return queryset


def _grid_counts(queryset: QuerySet[Any]) -> dict[str, int]:
    rows = queryset.filter(grid__isnull=False).values("grid__code").annotate(n=Count("id"))
    return {row["grid__code"]: row["n"] for row in rows.order_by()}


def _map_days(request: Request) -> tuple[dt.date, dt.date]:
    """The map's period as `[start, end)` local days; no `since` means the last ten years."""
    since, until = _day(request, "since"), _day(request, "until")
    until = until or timezone.localdate()
    since = since or until - dt.timedelta(days=3650)
    if since > until:
        raise ValidationError({"since": [_("The start of the period is after its end.")]})
    return since, until + dt.timedelta(days=1)


def _category_ids(code: str) -> list[int]:
    """The ids of the category `code` and its subcategories (rollups keep plain ids)."""
    found = Category.objects.filter(Q(code=code) | Q(parent__code=code))
    return list(found.values_list("pk", flat=True))


def grid_rates(request: Request, key: str) -> dict[str, float | None]:
    """A rate of analytics' catalogue per visible grid, by its own `compute()` over the rollups.

    One grouped read of the rollups by grid and one grouped count of the open cases past their
    deadline in the period (metrics.overdue_open, per grid): the same figures `figures(grid,
    period)` gives, without one call per grid.
    """
    grids = dict(Area.objects.visible_to(request.user).grids().values_list("pk", "code"))
    start, end = _map_days(request)
    rollups = CaseRollup.objects.filter(area_id__in=list(grids), day__gte=start, day__lt=end)
    zone = timezone.get_current_timezone()
    late = Case.objects.filter(open_for_due_index()).filter(
        grid_id__in=list(grids),
        handle_due_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        handle_due_at__lt=min(dt.datetime.combine(end, dt.time.min, tzinfo=zone), timezone.now()),
    )
    if category := request.query_params.get("category"):
        ids = _category_ids(category)
        rollups = rollups.filter(category_id__in=ids)
        late = late.filter(category_id__in=ids)
    sums = rollups.values("area_id").annotate(**{c: Sum(c) for c in COUNTERS}).order_by()
    overdue = dict(late.values("grid_id").annotate(n=Count("id")).values_list("grid_id", "n"))
    settings = MetricSettings.current()
    values: dict[str, float | None] = {}
    counted: dict[int, dict[str, int]] = {
        row["area_id"]: {c: int(row[c] or 0) for c in COUNTERS} for row in sums
    }
    for grid_id in set(counted) | set(overdue):
        counters = counted.get(grid_id) or dict.fromkeys(COUNTERS, 0)
        counters["overdue_open"] = overdue.get(grid_id, 0)
        value = compute(counters, {}, settings)[key].value
        values[grids[grid_id]] = None if value is None else float(value)
    return values


def grid_intake(request: Request) -> dict[str, int]:
    """Cases reported in the period per visible grid, from the rollups' `created` counter (one
    grouped read, never a count over the case table; a status filter needs the rows instead)."""
    grids = dict(Area.objects.visible_to(request.user).grids().values_list("pk", "code"))
    start, end = _map_days(request)
    rollups = CaseRollup.objects.filter(area_id__in=list(grids), day__gte=start, day__lt=end)
    if category := request.query_params.get("category"):
        rollups = rollups.filter(category_id__in=_category_ids(category))
    rows = rollups.values("area_id").annotate(n=Sum("created")).order_by()
    return {grids[row["area_id"]]: int(row["n"]) for row in rows if row["n"]}


def grid_metric(request: Request, metric: str) -> dict[str, Any]:
    """A figure per grid code for the shading: grouped queries over the visible rows."""
    if metric == "cases":
        if request.query_params.get("status"):
            return _grid_counts(filtered_cases(request))
        return grid_intake(request)
    if metric == "open":
        return _grid_counts(Case.objects.visible_to(request.user).open())
    if metric == "hazards":
        return _grid_counts(Hazard.objects.visible_to(request.user).open())
    if metric in RATE_METRICS:
        return grid_rates(request, metric)
    raise ValidationError({"metric": [_("Unknown metric.")]})


def metric_labels() -> dict[str, str]:
    return {
        "cases": _("Cases reported in the period"),
        "open": _("Cases open now"),
        "hazards": _("Hazards open now"),
        **{key: str(CATALOGUE[key].label) for key in RATE_METRICS},
    }


class GridMetricSerializer(serializers.Serializer):
    metric = serializers.CharField()
    title = serializers.CharField()
    values = serializers.DictField(
        child=serializers.FloatField(allow_null=True), help_text="grid code → value"
    )
    max = serializers.FloatField()
    unit = serializers.ChoiceField(choices=["count", "%"])


@extend_schema(
    parameters=[
        OpenApiParameter(
            "metric",
            OpenApiTypes.STR,
            enum=["cases", "open", "hazards", *RATE_METRICS],
            description="what to count",
        ),
        *PERIOD_PARAMETERS,
        CATEGORY_PARAMETER,
        STATUS_PARAMETER,
    ],
    responses=GridMetricSerializer,
)
class GridMetric(APIView):
    """A figure per visible grid, to shade the grids on the map."""

    def get(self, request: Request) -> Response:
        metric = request.query_params.get("metric") or "cases"
        values = grid_metric(request, metric)
        visible = set(Area.objects.visible_to(request.user).grids().values_list("code", flat=True))
        values = {code: n for code, n in values.items() if code in visible}
        rate = metric in RATE_METRICS
        return Response(
            {
                "metric": metric,
                "title": metric_labels().get(metric, metric),
                "values": values,
                "max": 100 if rate else max(values.values(), default=0),
                "unit": "%" if rate else "count",
            }
        )
