"""Demo patrols: a plan per grid worker and the last 30 days of rounds (some days missed),
with check-ins and short tracks. Checkpoints point at real units, talk points and hazard sites
of the grid (so the demo seeds hazards and talk points first). Idempotent: a worker who
already has a plan is skipped."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from gridgov.accounts.choices import Role
from gridgov.accounts.models import Membership
from gridgov.hazards.models import HazardSite
from gridgov.patrols.checkpoints import add_checkpoint
from gridgov.patrols.choices import CheckInMethod, CheckpointKind, RoundStatus
from gridgov.patrols.models import CheckIn, Checkpoint, PatrolPlan, Round, TrackBatch
from gridgov.registry.models import Building, Unit
from gridgov.talkpoints.models import TalkPoint
from gridgov.workdays.calendar import WorkCalendar

DAYS = 30


def seed_patrols(community_code: str, seed: int = 10) -> int:
    """Returns the number of plans made."""
    rng = random.Random(seed)
    today = timezone.localdate()
    work = WorkCalendar()
    made = 0
    workers = (
        Membership.objects.filter(
            role=Role.GRID_WORKER, is_active=True, area__path__contains=f"{community_code}/"
        )
        .select_related("user", "area")
        .order_by("area__code")
    )
    for membership in workers:
        if PatrolPlan.objects.filter(worker=membership.user, grid=membership.area).exists():
            continue
        with transaction.atomic():
            _seed_worker(membership, today, work, rng)
        made += 1
    return made


def _seed_worker(membership: Membership, today: dt.date, work: WorkCalendar, rng: random.Random):
    grid = membership.area
    assert grid is not None  # a grid worker's membership names its grid
    plan = PatrolPlan.objects.create(
        worker=membership.user, grid=grid, starts_on=today - dt.timedelta(days=DAYS)
    )
    checkpoints = _checkpoints(plan)
    lazy = rng.random() < 0.3  # a few workers miss more often
    for offset in range(DAYS, 0, -1):
        day = today - dt.timedelta(days=offset)
        if not work.is_workday(day):
            continue
        walked = rng.choices([0, 1, 2], weights=[2, 3, 10] if lazy else [1, 1, 18])[0]
        for number in range(walked):
            _round(plan, checkpoints, day, 8 + number * 6, rng)


def _checkpoints(plan: PatrolPlan) -> list[Checkpoint]:
    """Two building units, the grid's first talk point and its first hazard site, each linked
    to what it is (a site has no position of its own in the demo: a building's is used)."""
    grid = plan.grid
    buildings = list(Building.objects.filter(grid=grid).order_by("code")[:3])
    made = []
    for building in buildings[:2]:
        unit = Unit.objects.filter(building=building).order_by("pk").first()
        if unit is not None:
            made.append(add_checkpoint(plan, kind=CheckpointKind.UNIT, unit=unit))
    talk_point = TalkPoint.objects.filter(grid=grid, is_active=True).order_by("pk").first()
    if talk_point is not None and talk_point.units.exists():
        made.append(add_checkpoint(plan, kind=CheckpointKind.TALK_POINT, talk_point=talk_point))
    site = HazardSite.objects.filter(grid=grid, is_active=True).order_by("pk").first()
    if site is not None and buildings:
        place = buildings[-1]
        made.append(
            add_checkpoint(
                plan,
                kind=CheckpointKind.HAZARD_SITE,
                hazard_site=site,
                lat=site.lat if site.lat is not None else place.lat + 0.0003,
                lon=site.lon if site.lon is not None else place.lon,
            )
        )
    return made


def _round(plan, checkpoints, day, hour, rng) -> None:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, rng.randint(0, 40))))
    visited = [cp for cp in checkpoints if rng.random() < 0.93]
    round_ = Round.objects.create(
        plan=plan,
        worker=plan.worker,
        grid=plan.grid,
        area_path=plan.grid.path,
        day=day,
        status=RoundStatus.FINISHED,
        started_at=start,
        finished_at=start + dt.timedelta(minutes=50),
        note="",
        checked_in=len(visited),  # what the check-in action counts (seeded rows bypass it)
    )
    points, at = [], start.timestamp()
    for cp in checkpoints:
        for _ in range(3):
            at += 30
            points.append(
                [
                    round(cp.lat + rng.uniform(-3e-4, 3e-4), 7),
                    round(cp.lon + rng.uniform(-3e-4, 3e-4), 7),
                    at,
                    8.0,
                ]
            )
        if cp in visited:
            CheckIn.objects.create(
                round=round_,
                checkpoint=cp,
                method=CheckInMethod.GPS,
                at=dt.datetime.fromtimestamp(at, tz=dt.UTC),
                distance_m=rng.randint(3, 40),
            )
    if points:
        batch = TrackBatch(
            round=round_,
            idempotency_key="demo",
            count=len(points),
            first_at=dt.datetime.fromtimestamp(points[0][2], tz=dt.UTC),
            last_at=dt.datetime.fromtimestamp(points[-1][2], tz=dt.UTC),
        )
        batch.points = points
        batch.save()
        Round.objects.filter(pk=round_.pk).update(
            point_count=len(points),
            distance_m=120.0 * len(checkpoints),
            last_lat=points[-1][0],
            last_lon=points[-1][1],
        )
