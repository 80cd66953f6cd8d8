"""Analytics at scale: generation and rebuild times, then p50/p95 of every dashboard and metric
query (figures() per level with and without a category, the leader dashboard page of the city, a
street, a community and a grid, the map's grid shading and case layer) and the time to generate
a street's monthly report, on 1,000,000 synthetic cases (~5.9 M events). The load average is
printed with the figures (the machine is shared).

Size: BENCH_CASES (default 1,000,000). Databases: BENCH_ANALYTICS_DATABASES, a comma list of
"sqlite" and "postgres" (default both; at 1 M this takes well over an hour). SQLite uses a file
under var/; PostgreSQL uses BENCH_ANALYTICS_PG (default
postgres://postgres@127.0.0.1:5432/gg_scale_bench, dropped and recreated). BENCH_REUSE=1 keeps
the data of an earlier run and measures the queries again. Each run is a child process with its
own DATABASE_URL. The goal is ≤ 200 ms p50.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CASES = int(os.environ.get("BENCH_CASES", "1000000"))
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "30"))
REPORT_RUNS = int(os.environ.get("BENCH_REPORT_RUNS", "5"))
PG_URL = os.environ.get("BENCH_ANALYTICS_PG", "postgres://postgres@127.0.0.1:5432/gg_scale_bench")
REUSE = os.environ.get("BENCH_REUSE") == "1"
STREETS, COMMUNITIES, GRIDS = 3, 4, 10  # per city, per street, per community: 120 grids


def _square(lon: float, lat: float) -> dict:
    d = 0.004
    ring = [[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def _world() -> dict:
    from gridgov.accounts.choices import DEPARTMENT_KINDS, OrganisationKind
    from gridgov.accounts.models import Organisation
    from gridgov.cases.categories import load_categories
    from gridgov.geo.choices import AreaKind
    from gridgov.geo.models import Area

    city = Area.objects.create(kind=AreaKind.CITY, code="990100", name="压测市")
    streets: list[Area] = []
    communities: list[Area] = []
    grids: list[Area] = []
    for s in range(STREETS):
        street = Area.objects.create(
            kind=AreaKind.STREET, code=f"990100{s + 1:03d}", name=f"街道{s + 1}", parent=city
        )
        streets.append(street)
        for c in range(COMMUNITIES):
            community = Area.objects.create(
                kind=AreaKind.COMMUNITY,
                code=f"{street.code}{c + 1:03d}",
                name=f"社区{s + 1}-{c + 1}",
                parent=street,
            )
            communities.append(community)
            Organisation.objects.create(
                code=f"O{community.code}",
                name=f"居委会{community.code}",
                kind=OrganisationKind.COMMUNITY_OFFICE,
                area=community,
            )
            for g in range(GRIDS):
                lon, lat = 120 + len(grids) * 0.005, 30.0
                grids.append(
                    Area.objects.create(
                        kind=AreaKind.GRID,
                        code=f"{community.code}{g + 1:03d}",
                        name=f"网格{len(grids) + 1}",
                        parent=community,
                        boundary=_square(lon, lat),
                    )
                )
    for kind in sorted(DEPARTMENT_KINDS):
        Organisation.objects.create(code=f"D-{kind}", name=str(kind), kind=kind, area=city)
    load_categories((ROOT / "gridgov/cases/data/categories.json").read_bytes())
    return {"city": city, "street": streets[0], "community": communities[0], "grid": grids[0]}


def _size(vendor: str) -> str:
    from django.db import connection

    from gridgov.analytics.models import CaseRollup, HandlingTimeRollup
    from gridgov.cases.models import Case, CaseEvent

    rows = (
        f"cases {Case.objects.count():,}, events {CaseEvent.objects.count():,}, "
        f"rollup rows {CaseRollup.objects.count():,}, "
        f"histogram rows {HandlingTimeRollup.objects.count():,}"
    )
    if vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("select pg_size_pretty(pg_database_size(current_database()))")
            size = cursor.fetchone()[0]
    else:
        size = f"{Path(connection.settings_dict['NAME']).stat().st_size / 2**20:,.0f} MB"
    return f"{rows}; database {size}"


def _load() -> str:
    """The machine's load average (1, 5, 15 min): the figures depend on what else runs."""
    return " / ".join(f"{x:.2f}" for x in os.getloadavg())


def child(label: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridgov.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from gridgov.analytics.load import generate
    from gridgov.analytics.periods import Period
    from gridgov.analytics.rollups import rebuild
    from gridgov.cases.models import Case, Category
    from gridgov.geo.models import Area

    call_command("migrate", verbosity=0)
    now = timezone.now()
    if REUSE and Case.objects.exists():
        areas = {
            level: Area.objects.get(code=code)
            for level, code in (
                ("city", "990100"),
                ("street", "990100001"),
                ("community", "990100001001"),
                ("grid", "990100001001001"),
            )
        }
        now = Case.objects.order_by("-created_at").values_list("created_at", flat=True)[0]
        print(f"[{label}] reusing the data already there (BENCH_REUSE=1)")
    else:
        areas = _world()
        print(f"[{label}] load before: {_load()}", flush=True)
        started = time.perf_counter()
        cases, events = generate(CASES, now=now)
        generated = time.perf_counter() - started
        print(f"[{label}] load after generating: {_load()}", flush=True)
        started = time.perf_counter()
        rebuild()
        rebuilt = time.perf_counter() - started
        print(
            f"[{label}] generated {cases:,} cases / {events:,} events in {generated:.0f} s; "
            f"rollups rebuilt in {rebuilt:.0f} s (load {_load()})",
            flush=True,
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"[{label}] data: {_size(connection.vendor)}")
    last = timezone.localdate(now).replace(day=1) - dt.timedelta(days=1)
    month = Period.month(last.year, last.month)
    category = Category.objects.filter(parent__isnull=False).order_by("code").first()
    assert category is not None
    client = _leader_client(areas["city"])
    queries: list[tuple[str, Callable[[], Any]]] = []
    for level, area in areas.items():
        for cut in ("all", "category"):
            chosen = category if cut == "category" else None
            queries.append((f"figures {level} {month} {cut}", _figures(area, month, chosen, now)))
    for level, area in areas.items():
        queries.append((f"leader dashboard {level}", _page(client, f"/dashboard/{area.code}/")))
    since = {"since": month.start.isoformat(), "until": (month.end - dt.timedelta(1)).isoformat()}
    for metric in ("cases", "open", "on_time_rate", "satisfaction_rate"):
        queries.append(
            (f"map grid-metric {metric}", _page(client, MAP_METRIC, {"metric": metric, **since}))
        )
    queries.append(("map cases.geojson (month)", _page(client, MAP_CASES, since)))
    worst = 0.0
    for name, run in queries:
        run()  # warm-up, not counted (templates, caches, the first plan)
        times = []
        for _ in range(SAMPLES):
            t = time.perf_counter()
            run()
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p50 = statistics.median(times)
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        worst = max(worst, p50)
        flag = "" if p50 <= 200 else "  OVER 200 ms"
        print(f"[{label}] {name:42}: p50 {p50:7.1f} ms  p95 {p95:7.1f} ms{flag}", flush=True)
    verdict = "met" if worst <= 200 else "MISSED"
    print(f"[{label}] worst p50 {worst:.1f} ms — goal ≤ 200 ms: {verdict} (load {_load()})")
    _report(label, areas["street"], last)


MAP_METRIC = "/api/v1/map/grid-metric/"
MAP_CASES = "/api/v1/map/cases.geojson"


def _leader_client(city: Any) -> Any:
    """A test client signed in as a leader whose scope is the whole city (second step passed)."""
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from gridgov.accounts.choices import Role
    from gridgov.accounts.models import Membership, User

    user, _ = User.objects.get_or_create(username="bench-leader")
    Membership.objects.get_or_create(user=user, role=Role.LEADER, area=city)
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    setup_test_environment()  # the test client's host, the in-memory mail
    client = Client()
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _figures(area: Any, month: Any, category: Any, now: Any) -> Callable[[], Any]:
    from gridgov.analytics.metrics import figures

    return lambda: figures(area, month, category=category, now=now)


def _page(client: Any, url: str, params: dict | None = None) -> Callable[[], Any]:
    def get() -> Any:
        response = client.get(url, params or {})
        assert response.status_code == 200, (url, response.status_code)
        return response

    return get


def _report(label: str, street: Any, day: dt.date) -> None:
    """The time to generate the street's monthly report (the month before the data's end)."""
    from gridgov.reports.actions import generate_report
    from gridgov.reports.choices import ReportKind
    from gridgov.reports.periods import containing

    period = containing(ReportKind.MONTHLY, day)
    times = []
    for _ in range(REPORT_RUNS):
        started = time.perf_counter()
        generate_report(street, period)
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"[{label}] street monthly report {period.code}: p50 {statistics.median(times):.0f} ms, "
        f"max {max(times):.0f} ms ({REPORT_RUNS} runs; load {_load()})",
        flush=True,
    )


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2])
        return
    wanted = os.environ.get("BENCH_ANALYTICS_DATABASES", "sqlite,postgres").split(",")
    print(f"Analytics bench: {CASES:,} cases, {SAMPLES} samples per query")
    runs = []
    if "sqlite" in wanted:
        path = ROOT / "var" / "bench_analytics.sqlite3"
        path.parent.mkdir(exist_ok=True)
        if not REUSE:
            path.unlink(missing_ok=True)
        runs.append(("sqlite", f"sqlite:///{path}"))
    if "postgres" in wanted:
        base, name = PG_URL.rsplit("/", 1)
        drop = ["psql", f"{base}/postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"]
        create = ["psql", f"{base}/postgres", "-qc", f"CREATE DATABASE {name}"]
        if REUSE:
            runs.append(("postgres", PG_URL))
        elif subprocess.run(drop, capture_output=True).returncode == 0:
            subprocess.run(create, check=True, capture_output=True)
            runs.append(("postgres", PG_URL))
        else:
            print("PostgreSQL not reachable: skipped")
    for label, url in runs:
        env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1", "LOG_LEVEL": "ERROR"}
        subprocess.run([sys.executable, __file__, "--child", label], env=env, check=True)


if __name__ == "__main__":
    main()
