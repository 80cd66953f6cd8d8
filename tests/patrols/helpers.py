"""A patrol plan for worker_a in 第一网格 with three checkpoints ~100 m apart."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gridgov.patrols.choices import CheckpointKind
from gridgov.patrols.models import Checkpoint, PatrolPlan

# 第一网格 spans lon 129.40–129.41, lat 42.76–42.77.
CHECKPOINTS = [
    ("甲1号楼1单元", 42.7650, 129.4050),
    ("百姓说事点", 42.7659, 129.4050),  # ~100 m north
    ("电动车充电点", 42.7659, 129.4062),  # ~100 m east of that
]


def make_plan(world: Any, *, worker: Any = None, grid: Any = None, **options: Any) -> PatrolPlan:
    options.setdefault("starts_on", dt.date(2026, 1, 1))
    plan = PatrolPlan.objects.create(
        worker=worker or world.people.worker_a, grid=grid or world.grid_a, **options
    )
    kinds = [CheckpointKind.UNIT, CheckpointKind.TALK_POINT, CheckpointKind.HAZARD_SITE]
    for position, ((name, lat, lon), kind) in enumerate(zip(CHECKPOINTS, kinds, strict=True)):
        Checkpoint.objects.create(
            plan=plan, kind=kind, name=name, lat=lat, lon=lon, radius_m=30, position=position
        )
    return plan
