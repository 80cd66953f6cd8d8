"""Figures from the other apps, through their own functions: patrol compliance (patrols),
hazards open and overdue (hazards), talk point activity and coverage (talkpoints), and mediation
(mediation.metrics, when installed: imported lazily, None when absent).

Each takes an area (a geo.Area: its subtree; None: everything) and a `Period`, and returns
plain numbers; `grid_work(area, period)` returns them all in one dict.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from gridgov.analytics.metrics import percent
from gridgov.analytics.periods import Period


def _path(area: Any) -> str:
    return "" if area is None else area.path


@dataclass(frozen=True)
class PatrolFigures:
    planned: int
    done: int
    missed: int

    @property
    def rate(self) -> Decimal | None:
        """Patrol compliance (一日双巡) = rounds done / rounds planned, per cent."""
        return percent(self.done, self.planned)


def patrol_compliance(area: Any, period: Period, today: dt.date | None = None) -> PatrolFigures:
    from gridgov.patrols.compliance import compliance, totals
    from gridgov.patrols.models import PatrolPlan

    plans = PatrolPlan.objects.filter(grid__path__startswith=_path(area))
    days = [period.start + dt.timedelta(days=i) for i in range(period.days)]
    t = totals(compliance(plans, days, today=today))
    return PatrolFigures(t["planned"], t["done"], t["missed"])


@dataclass(frozen=True)
class HazardFigures:
    open: int
    overdue: int
    found: int  # reported in the period
    verified: int  # verified and closed in the period


def hazards(area: Any, period: Period, today: dt.date | None = None) -> HazardFigures:
    from gridgov.hazards.models import Hazard

    today = today or timezone.localdate()
    scoped = Hazard.objects.filter(area_path__startswith=_path(area))
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period.end, dt.time.min, tzinfo=tz)
    counts = scoped.aggregate(
        found=Count("pk", filter=Q(created_at__gte=start, created_at__lt=end)),
        verified=Count("pk", filter=Q(verified_at__gte=start, verified_at__lt=end)),
    )
    return HazardFigures(
        open=scoped.open().count(),
        overdue=scoped.overdue(today).count(),
        found=counts["found"],
        verified=counts["verified"],
    )


@dataclass(frozen=True)
class TalkPointFigures:
    active_points: int
    sessions: int
    attendance: int
    issues: int
    units_covered: int
    units_total: int


def talk_points(area: Any, period: Period) -> TalkPointFigures:
    from gridgov.geo.choices import AreaKind
    from gridgov.geo.models import Area
    from gridgov.talkpoints import coverage
    from gridgov.talkpoints.models import TalkIssue, TalkPoint, TalkSession

    path = _path(area)
    sessions = TalkSession.objects.filter(
        talk_point__grid__path__startswith=path,
        held_on__gte=period.start,
        held_on__lt=period.end,
    ).aggregate(n=Count("pk"), people=Sum("attendance"))
    issues = TalkIssue.objects.filter(
        session__talk_point__grid__path__startswith=path,
        session__held_on__gte=period.start,
        session__held_on__lt=period.end,
    ).count()
    grids = list(Area.objects.filter(kind=AreaKind.GRID, path__startswith=path))
    cover = coverage.of_areas(grids)
    return TalkPointFigures(
        active_points=TalkPoint.objects.filter(grid__path__startswith=path, is_active=True).count(),
        sessions=sessions["n"],
        attendance=sessions["people"] or 0,
        issues=issues,
        units_covered=cover.covered,
        units_total=cover.total,
    )


def mediation(area: Any, period: Period) -> Any:
    """The five mediation rates of `gridgov.mediation.metrics.figures` (each with numerator and
    denominator), or None where the mediation app is not installed (imported lazily: the
    analytics layer does not depend on it)."""
    try:
        module = importlib.import_module("gridgov.mediation.metrics")
    except ImportError:
        return None
    return module.figures(area, period)


def grid_work(area: Any, period: Period) -> dict[str, Any]:
    return {
        "patrols": patrol_compliance(area, period),
        "hazards": hazards(area, period),
        "talk_points": talk_points(area, period),
        "mediation": mediation(area, period),
    }
