"""Cases at scale: API create rate, and p50/p95 of the workbench and API lists at 100,000 cases.

Runs once on SQLite (a file under var/) and once on PostgreSQL when a server answers on
127.0.0.1:5432 (database gridgov_bench, recreated). Each run is a child process with its own
DATABASE_URL. Requests go through Django's test client in-process (no network, no server).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = int(os.environ.get("BENCH_CASES", "100000"))
CREATES = 200
SAMPLES = 40


def child() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridgov.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from gridgov.accounts.models import User

    _fill(CASES)
    staff, leader = (User.objects.get(username=n) for n in ("hx_staff", "ly_leader"))
    client = Client()
    client.force_login(staff)

    started = time.perf_counter()
    for n in range(CREATES):
        response = client.post(
            "/api/v1/cases/",
            {
                "channel": "hotline",
                "title": f"压测诉求{n}",
                "description": "路灯不亮",
                "category": "0601",
                "building": "222405001001001-B01",
            },
            content_type="application/json",
        )
        assert response.status_code == 201, response.content[:300]
    create_rate = CREATES / (time.perf_counter() - started)

    client.force_login(leader)
    workbench = _timings(client, "/cases/?queue=open&page={}")
    api_list = _timings(client, "/api/v1/cases/?page={}")
    total = __import__("gridgov.cases.models", fromlist=["Case"]).Case.objects.count()
    print(f"[{connection.vendor}] cases in the database: {total:,}")
    print(f"[{connection.vendor}] API create: {create_rate:,.0f} cases/s ({CREATES} POSTs)")
    for name, values in (
        ("workbench list (leader, open)", workbench),
        ("API list (leader)", api_list),
    ):
        p50 = statistics.median(values)
        p95 = sorted(values)[int(len(values) * 0.95) - 1]
        print(f"[{connection.vendor}] {name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")


def _timings(client, url: str) -> list[float]:
    values = []
    client.get(url.format(1))  # warm
    for n in range(SAMPLES):
        started = time.perf_counter()
        response = client.get(url.format(1 + n % 20))
        values.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return values


def _fill(target: int) -> None:
    """Generated open and closed cases spread over the demo grids, in bulk."""
    import datetime as dt
    import random

    from django.utils import timezone

    from gridgov.accounts.models import Organisation
    from gridgov.cases.choices import Channel, SlaLevel, Status
    from gridgov.cases.models import SLA_RANK, Case, Category
    from gridgov.registry.models import Building

    have = Case.objects.count()
    if have >= target:
        return
    rng = random.Random(1)
    buildings = list(Building.objects.select_related("grid__parent"))
    categories = list(Category.objects.filter(parent__isnull=False))
    office = Organisation.objects.get(code="HX-SQ")
    departments = list(Organisation.objects.departments())
    statuses = [
        Status.SUBMITTED,
        Status.ACCEPTED,
        Status.DISPATCHED,
        Status.IN_PROGRESS,
        Status.RESOLVED,
        Status.CLOSED,
        Status.CLOSED,
        Status.CLOSED,
        Status.CLOSED,
    ]
    now = timezone.now()
    batch = []
    for n in range(have, target):
        building = rng.choice(buildings)
        status = rng.choice(statuses)
        department = (
            rng.choice(departments) if status in (Status.DISPATCHED, Status.IN_PROGRESS) else None
        )
        created = now - dt.timedelta(minutes=rng.randrange(0, 365 * 24 * 60))
        batch.append(
            Case(
                number=f"BENCH-{n:07d}",
                channel=rng.choice(Channel.values),
                title=f"生成的诉求{n}",
                description="压测数据",
                category=rng.choice(categories),
                building=building,
                lat=building.lat,
                lon=building.lon,
                community=building.grid.parent,
                grid=building.grid,
                area=building.grid,
                area_path=building.grid.path,
                status=status,
                owner=department or office,
                department=department,
                sla_level=(
                    level := rng.choice(
                        [SlaLevel.OK] * 6 + [SlaLevel.YELLOW, SlaLevel.RED, SlaLevel.OVERDUE]
                    )
                ),
                sla_rank=SLA_RANK[level],
                step_due_at=created + dt.timedelta(days=3),
            )
        )
        if len(batch) == 5000:
            Case.objects.bulk_create(batch)
            batch = []
    Case.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as cursor:  # as autovacuum would after a bulk load
        cursor.execute("ANALYZE")


def main() -> int:
    urls = [f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}"]
    if (
        subprocess.run(
            ["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False
        ).returncode
        == 0
    ):
        subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-qc",
                "DROP DATABASE IF EXISTS gridgov_bench",
            ],
            check=True,
        )
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", "CREATE DATABASE gridgov_bench"],
            check=True,
        )
        urls.append("postgres://postgres@127.0.0.1:5432/gridgov_bench")
    else:
        print("PostgreSQL is not reachable on 127.0.0.1:5432: SQLite only.")
    for url in urls:
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "BENCH_CHILD": "1",
            "DEBUG": "1",
            "LOG_LEVEL": "ERROR",
        }
        result = subprocess.run([sys.executable, __file__], env=env, check=False)
        if result.returncode:
            return result.returncode
    return 0


if __name__ == "__main__":
    if os.environ.get("BENCH_CHILD"):
        child()
    else:
        raise SystemExit(main())
