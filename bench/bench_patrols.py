"""Patrols at scale: track points ingested per second through the phone's endpoint, and the
street's compliance calendar (10 communities × 10 grids × 30 days, two rounds a day) p50.

Runs on SQLite (a fresh file under var/), in-process through Django's test client.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = ROOT / "var" / "bench_patrols.sqlite3"
BATCHES, PER_BATCH, SAMPLES = 100, 20, 20


def main() -> None:
    sys.path.insert(0, str(ROOT))
    DB.unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridgov.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    street, workers, leader = _street()
    from gridgov.patrols.actions import start_round
    from gridgov.patrols.models import PatrolPlan

    worker = workers[0]
    plan = PatrolPlan.objects.get(worker=worker, is_active=True, ends_on=None)
    round_ = start_round(plan=plan, acting_user=worker, idempotency_key="bench")
    client = Client()
    client.force_login(worker)
    url = f"/patrols/rounds/{round_.pk}/points/"
    t0 = 1_780_000_000.0
    started = time.perf_counter()
    for b in range(BATCHES):
        points = [
            [42.765 + (b * PER_BATCH + i) * 1e-5, 129.405, t0 + (b * PER_BATCH + i) * 30, 5]
            for i in range(PER_BATCH)
        ]
        body = json.dumps({"key": f"b{b}", "points": points})
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 200, response.content
    rate = BATCHES * PER_BATCH / (time.perf_counter() - started)
    print(f"track ingest: {rate:,.0f} points/s ({BATCHES} batches of {PER_BATCH})")

    from gridgov.patrols.compliance import compliance, month_days

    plans = list(PatrolPlan.objects.filter(grid__path__startswith=street.path))
    today = dt.date.today()
    days = month_days(today.year, today.month)
    compliance(plans, days)  # warm the calendar cache
    timings = []
    for _ in range(SAMPLES):
        started = time.perf_counter()
        compliance(plans, days)
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"street compliance calendar ({len(plans)} plans × {len(days)} days): "
        f"p50 {statistics.median(timings):.1f} ms (target ≤ 200 ms)"
    )
    client.force_login(leader)
    page = []
    for _ in range(5):
        started = time.perf_counter()
        assert client.get(f"/patrols/compliance/?area={street.code}").status_code == 200
        page.append((time.perf_counter() - started) * 1000)
    print(f"street compliance page: p50 {statistics.median(page):.1f} ms")


def _street():
    from django.utils import timezone

    from gridgov.accounts.choices import Role
    from gridgov.accounts.models import Membership, User
    from gridgov.geo.choices import AreaKind
    from gridgov.geo.models import Area
    from gridgov.patrols.models import CheckIn, Checkpoint, PatrolPlan, Round

    city = Area.objects.create(kind=AreaKind.CITY, code="999999", name="压测市")
    street = Area.objects.create(
        kind=AreaKind.STREET, code="999999001", name="压测街道", parent=city
    )
    leader = User.objects.create(username="bench_leader")
    Membership.objects.create(user=leader, role=Role.LEADER, area=street)
    today = timezone.localdate()
    first = today.replace(day=1)
    workers, rounds = [], []
    for c in range(10):
        community = Area.objects.create(
            kind=AreaKind.COMMUNITY, code=f"999999001{c:03d}", name=f"社区{c}", parent=street
        )
        for g in range(10):
            grid = Area.objects.create(
                kind=AreaKind.GRID,
                code=f"{community.code}{g:03d}",
                name=f"网格{g}",
                parent=community,
            )
            worker = User.objects.create(username=f"w{c}{g}")
            Membership.objects.create(user=worker, role=Role.GRID_WORKER, area=grid)
            workers.append(worker)
            plan = PatrolPlan.objects.create(worker=worker, grid=grid, starts_on=first)
            Checkpoint.objects.bulk_create(
                Checkpoint(plan=plan, kind="unit", name=f"点{i}", lat=42.7, lon=129.4)
                for i in range(4)
            )
            for d in range(30):
                day = first + dt.timedelta(days=d)
                for _ in range(2):
                    rounds.append(
                        Round(
                            plan=plan,
                            worker=worker,
                            grid=grid,
                            area_path=grid.path,
                            day=day,
                            status="finished",
                            started_at=timezone.now(),
                        )
                    )
    Round.objects.bulk_create(rounds, batch_size=2000)
    checkpoints: dict[int, list[int]] = {}
    for cp in Checkpoint.objects.values_list("plan_id", "pk"):
        checkpoints.setdefault(cp[0], []).append(cp[1])
    now = timezone.now()
    CheckIn.objects.bulk_create(
        (
            CheckIn(round_id=r, checkpoint_id=cp, method="gps", at=now)
            for r, plan_id in Round.objects.values_list("pk", "plan_id")
            for cp in checkpoints[plan_id][:3]
        ),
        batch_size=5000,
    )
    # bulk_create bypasses the check-in action: count them as the migration's backfill does.
    from django.db.models import Count, OuterRef, Subquery

    counts = (
        CheckIn.objects.filter(round=OuterRef("pk"))
        .order_by()
        .values("round")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Round.objects.update(checked_in=Subquery(counts))
    return street, workers, leader


if __name__ == "__main__":
    main()
