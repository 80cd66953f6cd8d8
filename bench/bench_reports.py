"""Reports at scale: the time to generate a street's and a community's monthly analysis and a
grid's weekly summary, with BENCH_REPORT_CASES generated cases (default 100,000) over the demo.

Runs on SQLite (a file under var/) and on PostgreSQL when a server answers on 127.0.0.1:5432
(database gridgov_bench_reports, recreated). Each run is a child process with its own
DATABASE_URL. The cases are bulk-inserted by bench_cases' generator (rows without event
history: the analytics rates then read empty rollups, the report's own queries run in full).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = int(os.environ.get("BENCH_REPORT_CASES", "100000"))
RUNS = 5
DB = "gridgov_bench_reports"


def child() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridgov.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from bench.bench_cases import _fill
    from gridgov.cases.models import Case
    from gridgov.geo.models import Area
    from gridgov.reports.actions import generate_report
    from gridgov.reports.choices import ReportKind
    from gridgov.reports.periods import containing

    _fill(CASES)
    today = timezone.localdate()
    # The generator's rows are all stamped now (auto_now_add): report on the current period.
    month = containing(ReportKind.MONTHLY, today)
    week = containing(ReportKind.WEEKLY, today)
    street, community = Area.objects.get(code="222405001"), Area.objects.get(code="222405001001")
    grid = community.children.order_by("code").first()
    in_month = Case.objects.filter(created_at__gte=month.start, created_at__lt=month.end)
    print(
        f"{connection.vendor}: {Case.objects.count():,} cases, "
        f"{in_month.count():,} created in {month.code}"
    )
    for label, area, period in (
        ("street monthly", street, month),
        ("community monthly", community, month),
        ("grid weekly", grid, week),
    ):
        assert area is not None, label
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            generate_report(area, period)
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"  {label:18} p50 {statistics.median(times):8.1f} ms   max {max(times):8.1f} ms"
            f"   ({RUNS} runs)"
        )


def main() -> int:
    urls = [f"sqlite:///{ROOT / 'var' / 'bench_reports.sqlite3'}"]
    ready = ["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"]
    if subprocess.run(ready, check=False).returncode == 0:
        psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc"]
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {DB}"], check=True)
        subprocess.run([*psql, f"CREATE DATABASE {DB}"], check=True)
        urls.append(f"postgres://postgres@127.0.0.1:5432/{DB}")
    else:
        print("PostgreSQL is not reachable on 127.0.0.1:5432: SQLite only.")
    for url in urls:
        env = {**os.environ, "DATABASE_URL": url, "BENCH_CHILD": "1", "LOG_LEVEL": "ERROR"}
        env.setdefault("DEBUG", "1")
        if subprocess.run([sys.executable, __file__], env=env, check=False).returncode:
            return 1
    return 0


if __name__ == "__main__":
    if os.environ.get("BENCH_CHILD"):
        child()
    else:
        raise SystemExit(main())
