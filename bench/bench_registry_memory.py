"""Peak memory of the registry's Excel import (issue 8, item 6).

Each figure comes from its own subprocess, so that one measurement's garbage does not count in
the next: the process's peak RSS (getrusage ru_maxrss) next to its RSS before the step, and the
Python allocations' peak during the step (tracemalloc). Steps: the upload request's check of a
20,000-row file, the import task on that file (check every row, save), and the refusal of an
xlsx zip bomb (1 MB of zip, 1 GiB of spaces in a sheet).
"""

from __future__ import annotations

import os
import resource
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
DB = VAR / "bench_registry_memory.sqlite3"
ROWS = 20_000
SOURCE = VAR / f"bench_people_{ROWS}.xlsx"
BOMB = VAR / "bench_zip_bomb.xlsx"


def _django(db: Path) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridgov.settings")
    import django

    django.setup()


def _remove(db: Path) -> None:
    """The database and its write-ahead log (a stale log would be replayed into a new copy)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def prepare() -> None:
    """A seeded database, the 20,000-row file and the bomb, made once in the parent."""
    _remove(DB)
    _django(DB)
    from django.core.management import call_command

    from gridgov.core.identity import check_digit
    from gridgov.registry.models import Building
    from tests.hostile.xlsx_corpus import zip_bomb
    from tests.registry_helpers import workbook

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    buildings = list(Building.objects.filter(units__number=1).distinct()[:40])
    rows = []
    for n in range(ROWS):
        first17 = f"222406{1950 + n // 1000}0101{n % 1000:03d}"
        rows.append(
            [
                f"导入{n}",
                first17 + check_digit(first17),
                buildings[n % len(buildings)].code,
                1,
                f"{9 + n // 2000}{n % 100:02d}",
                f"186{n:08d}",
            ]
        )
    headers = ["姓名", "公民身份号码", "楼栋编号", "单元", "房号", "手机号码"]
    SOURCE.write_bytes(workbook(rows, headers))
    BOMB.write_bytes(zip_bomb())
    from django.db import connections

    connections.close_all()  # checkpoints the write-ahead log into the file the steps copy


def child(step: str) -> None:
    db = VAR / f"bench_registry_memory_{step}.sqlite3"
    _remove(db)
    shutil.copyfile(DB, db)
    _django(db)
    from django.conf import settings

    from gridgov.accounts.models import User
    from gridgov.core import crypto
    from gridgov.registry import excel
    from gridgov.registry.importer import run_import
    from gridgov.registry.models import ImportJob, ImportMode

    # As deployed: with DEBUG on, Django keeps every query's SQL text (9,000 queries) in memory.
    settings.DEBUG = False
    data = (BOMB if step == "bomb" else SOURCE).read_bytes()
    job = None
    if step == "import":
        job = ImportJob.objects.create(
            created_by=User.objects.get(username="hx_staff"),
            filename="bench.xlsx",
            mode=ImportMode.VALID_ROWS,
            payload=crypto.encrypt_bytes(data),
        )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # tracemalloc slows the import several times over and adds to its RSS: request steps only.
    traced_step = step != "import"
    if traced_step:
        tracemalloc.start()
    started = time.perf_counter()
    outcome = ""
    if step == "import":
        assert job is not None
        done = run_import(job.pk)
        outcome = f"{done.imported:,} imported, {done.failed_rows:,} refused, state {done.state}"
        if done.problems:
            outcome += f" (first problem: {done.problems[0]})"
    else:
        try:
            excel.check_workbook(data, max_rows=settings.REGISTRY_IMPORT_MAX_ROWS)
            outcome = "accepted"
        except excel.SheetError as error:
            outcome = f"refused: {error}"
    seconds = time.perf_counter() - started
    traced = ""
    if traced_step:
        traced = f", Python allocations peak {tracemalloc.get_traced_memory()[1] / 1048576:.1f} MB"
        tracemalloc.stop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    from django.db import connections

    connections.close_all()
    _remove(db)
    print(
        f"    peak RSS {peak / 1024:.0f} MB (before the step {before / 1024:.0f} MB){traced}, "
        f"{seconds:.1f} s — {outcome}"
    )


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        child(sys.argv[2])
        return
    VAR.mkdir(exist_ok=True)
    made = subprocess.run([sys.executable, __file__, "--prepare"], capture_output=True, text=True)
    if made.returncode:
        sys.exit(made.stderr)
    print(
        f"{ROWS:,}-row file: {SOURCE.stat().st_size / 1048576:.1f} MB; "
        f"zip bomb: {BOMB.stat().st_size / 1048576:.1f} MB declaring 1,024 MB"
    )
    labels = {
        "upload": f"upload request, {ROWS:,}-row file (archive, headers, declared size)",
        "import": f"import task, {ROWS:,} rows (every row checked, then saved)",
        "bomb": "upload request, xlsx zip bomb (refused)",
    }
    for step, label in labels.items():
        print(f"  {label}")
        subprocess.run([sys.executable, __file__, "--child", step], check=True)


if __name__ == "__main__":
    if sys.argv[1:] == ["--prepare"]:
        prepare()
    else:
        main()
