"""The year in figures (年度工作成效): the figures a community publishes about its year, each
read from the platform's own metrics (ADR "year demo year" says which figure is which).

Use::

    from gridgov.analytics.annual import annual_figures
    rows = annual_figures(area, Period.year(2025))   # [AnnualFigure, …] in the published order

Case figures come from `metrics.figures()` cut by category or channel (the rollups); hazards
from `gridwork.hazards`; the mediation figures from the mediation app (imported lazily, as
gridwork does: the analytics layer does not depend on it; None where it is absent).
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gridgov.analytics import gridwork
from gridgov.analytics.metrics import figures, percent
from gridgov.analytics.periods import Period

# The taxonomy's level-1 codes (domain.md §6) the published figures are cut by.
OPINIONS, SERVICES, ENVIRONMENT, DISPUTES = "01", "02", "04", "07"
LEAKS = "0301"


@dataclass(frozen=True)
class AnnualFigure:
    key: str
    label: str | Promise
    value: Decimal | int | None
    unit: str  # "count" or "%"
    definition: str | Promise
    numerator: int | None = None
    denominator: int | None = None


def _category(code: str) -> int | None:
    from gridgov.cases.models import Category

    return Category.objects.filter(code=code).values_list("pk", flat=True).first()


def _count(area: Any, period: Period, key: str, **cut: Any) -> int:
    return int(figures(area, period, **cut)[key].numerator)


def _by_category(area: Any, period: Period, key: str, code: str) -> int:
    pk = _category(code)
    return 0 if pk is None else _count(area, period, key, category=pk)


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(period.start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(period.end, dt.time.min, tzinfo=tz),
    )


@dataclass(frozen=True)
class MediationYear:
    screened: int  # registered by grid workers at a grid (their screening finds)
    complex: int  # accepted in the period and mediated at level 2 or 3
    agreed: int  # of the accepted, agreed
    accepted: int  # accepted in the period


def mediation_year(area: Any, period: Period) -> MediationYear | None:
    try:
        models = importlib.import_module("gridgov.mediation.models")
        choices = importlib.import_module("gridgov.mediation.choices")
    except ImportError:
        return None
    path = "" if area is None else area.path
    start, end = _bounds(period)
    cases = models.MediationCase.objects.filter(area_path__startswith=path)
    events = models.MediationEvent.objects.filter(mediation__area_path__startswith=path)
    kind = choices.MediationEventKind
    accepted = set(
        events.filter(kind=kind.ACCEPTED, created_at__gte=start, created_at__lt=end).values_list(
            "mediation_id", flat=True
        )
    )
    agreed = set(
        events.filter(kind=kind.AGREED, mediation_id__in=accepted).values_list(
            "mediation_id", flat=True
        )
    )
    return MediationYear(
        screened=cases.filter(
            grid__isnull=False, created_at__gte=start, created_at__lt=end
        ).count(),
        complex=cases.filter(pk__in=accepted, level__gte=2).count(),
        agreed=len(agreed),
        accepted=len(accepted),
    )


def annual_figures(area: Any, period: Period) -> list[AnnualFigure]:
    """The published figures of `area` (None: everything) in `period`, in the published order."""
    rows = [
        AnnualFigure(
            "opinions",
            _("Opinions collected"),
            _by_category(area, period, "intake", OPINIONS),
            "count",
            _("Cases of the category 社情民意 (opinions) received in the period."),
        ),
        AnnualFigure(
            "services",
            _("Services given"),
            _by_category(area, period, "closed", SERVICES),
            "count",
            _("Cases of the category 民生服务 (livelihood services) closed in the period."),
        ),
        AnnualFigure(
            "leaks",
            _("Sudden leaks solved"),
            _by_category(area, period, "closed", LEAKS),
            "count",
            _("Cases of the category 突发漏水/水管破裂 closed in the period."),
        ),
        AnnualFigure(
            "environment",
            _("Environment problems fixed"),
            _by_category(area, period, "closed", ENVIRONMENT),
            "count",
            _("Cases of the category 市容环境 (environment) closed in the period."),
        ),
        AnnualFigure(
            "hazards",
            _("Hazards rectified"),
            gridwork.hazards(area, period).verified,
            "count",
            _("Hazards whose rectification was verified in the period."),
        ),
        AnnualFigure(
            "disputes",
            _("Disputes settled through the platform"),
            _by_category(area, period, "closed", DISPUTES),
            "count",
            _("Cases of the category 矛盾纠纷 (disputes) closed in the period."),
        ),
    ]
    completion = figures(area, period)["completion_rate"]
    rows.append(
        AnnualFigure(
            "completion_rate",
            completion.label,
            completion.value,
            "%",
            completion.definition,
            int(completion.numerator),
            completion.denominator,
        )
    )
    rows.append(
        AnnualFigure(
            "patrol_finds",
            _("Problems found on patrol"),
            _count(area, period, "intake", channel="patrol"),
            "count",
            _("Cases reported from patrols (channel: patrol finding) in the period."),
        )
    )
    mediation = mediation_year(area, period)
    if mediation is not None:
        rows += [
            AnnualFigure(
                "conflict_risks",
                _("Conflict risks screened"),
                mediation.screened,
                "count",
                _("Disputes registered for mediation by grid workers in their grids."),
            ),
            AnnualFigure(
                "complex_disputes",
                _("Complex disputes mediated"),
                mediation.complex,
                "count",
                _("Mediations accepted in the period that went to level 2 or 3."),
            ),
            AnnualFigure(
                "mediation_success",
                _("Mediation success (调解成功率)"),
                percent(mediation.agreed, mediation.accepted),
                "%",
                _("Agreements / mediations accepted in the period."),
                mediation.agreed,
                mediation.accepted,
            ),
        ]
    return rows
