"""The grid worker's day, for their home page: rounds planned and done, the next checkpoints,
the open round, and the open cases of their grids (three to five queries)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from gridgov.cases.choices import OPEN_STATUSES
from gridgov.cases.models import Case
from gridgov.patrols.choices import RoundStatus
from gridgov.patrols.compliance import compliance
from gridgov.patrols.models import Checkpoint, PatrolPlan, Round


def today_for(user: Any) -> dict[str, Any]:
    day = timezone.localdate()
    plans = list(PatrolPlan.objects.filter(worker=user, is_active=True).select_related("grid"))
    plans = [p for p in plans if p.covers(day)]
    cells = compliance(plans, [day], today=day + dt.timedelta(days=1)) if plans else []
    open_round = (
        Round.objects.filter(worker=user, status=RoundStatus.IN_PROGRESS)
        .select_related("grid")
        .first()
    )
    next_checkpoints: list[Checkpoint] = []
    if open_round is not None:
        next_checkpoints = list(
            Checkpoint.objects.filter(plan_id=open_round.plan_id)
            .exclude(pk__in=open_round.check_ins.values("checkpoint_id"))
            .order_by("position", "pk")[:3]
        )
    elif plans:
        next_checkpoints = list(plans[0].checkpoints.order_by("position", "pk")[:3])
    grid_cases = (
        Case.objects.visible_to(user)
        .filter(grid_id__in=[p.grid_id for p in plans], status__in=OPEN_STATUSES)
        .order_by("-created_at")
    )
    return {
        "day": cells[0] if cells else None,
        "plans": plans,
        "open_round": open_round,
        "next_checkpoints": next_checkpoints,
        "grid_cases": list(grid_cases[:5]),
        "grid_case_count": grid_cases.count(),
    }
