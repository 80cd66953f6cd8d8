"""Resident registry at scale (SQLite file under var/): Excel import speed for 10,000 rows,
lookup by ID number through the blind index with 1,000,000 people (p50/p95), and the cost of
field encryption per row.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "1000000"))
IMPORT_ROWS = 10_000
LOOKUPS = 300


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench_registry.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridgov.settings")
    os.environ.setdefault("REGISTRY_IMPORT_MAX_ROWS", str(IMPORT_ROWS))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
    parts = os.environ.get("BENCH_PARTS", "encryption,import,lookup").split(",")
    for name, part in (("encryption", encryption), ("import", importing), ("lookup", lookups)):
        if name in parts:
            part()


def encryption() -> None:
    from gridgov.core import crypto

    rows = 10_000
    started = time.perf_counter()
    for n in range(rows):
        token_id = crypto.encrypt(f"22240519800101{n:04d}")
        token_phone = crypto.encrypt(f"139{n:08d}")
        crypto.blind_index(f"22240519800101{n:04d}")
        crypto.blind_index(f"139{n:08d}")
        crypto.decrypt(token_id)
        crypto.decrypt(token_phone)
    per_row = (time.perf_counter() - started) / rows * 1e6
    print(f"encryption: {per_row:.0f} µs per row (encrypt + decrypt ID and phone, 2 blind indexes)")


def importing() -> None:
    from gridgov.accounts.models import User
    from gridgov.core import crypto
    from gridgov.core.identity import check_digit
    from gridgov.registry.importer import run_import
    from gridgov.registry.models import Building, ImportJob, ImportMode, Person
    from tests.registry_helpers import workbook

    def _id(first17: str) -> str:
        return first17 + check_digit(first17)

    staff = User.objects.get(username="hx_staff")
    buildings = list(Building.objects.filter(units__number=1).distinct()[:40])
    rows = []
    for n in range(IMPORT_ROWS):
        building = buildings[n % len(buildings)]
        rows.append(
            [
                f"导入{n}",
                _id(f"222406{1950 + n // 1000}0101{n % 1000:03d}"),
                building.code,
                1,
                f"{9 + n // 2000}{n % 100:02d}",
                f"186{n:08d}",
            ]
        )
    data = workbook(rows, ["姓名", "公民身份号码", "楼栋编号", "单元", "房号", "手机号码"])
    before = Person.objects.count()
    job = ImportJob.objects.create(
        created_by=staff,
        filename="bench.xlsx",
        mode=ImportMode.VALID_ROWS,
        payload=crypto.encrypt_bytes(data),
    )
    started = time.perf_counter()
    job = run_import(job.pk)
    seconds = time.perf_counter() - started
    added = Person.objects.count() - before
    print(
        f"import: {IMPORT_ROWS:,} rows in {seconds:.1f} s = {IMPORT_ROWS / seconds:,.0f} rows/s "
        f"(checked every row, {added:,} imported, {job.failed_rows} refused)"
    )


def lookups() -> None:
    import random

    from django.db import connection

    from gridgov.core import crypto
    from gridgov.registry.models import Person

    have = Person.objects.count()
    grid_id = Person.objects.values_list("grid_id", flat=True).first()
    token = crypto.encrypt("placeholder")  # same ciphertext for filler rows: only the index matters
    started = time.perf_counter()
    with connection.cursor() as cursor:
        batch = []
        for n in range(have, PEOPLE):
            number = f"9{n:017d}"
            batch.append(
                (
                    f"填充{n % 1000}",
                    token,
                    crypto.blind_index(number),
                    token,
                    "",
                    "male",
                    "汉族",
                    "registered",
                    "",
                    token,
                    token,
                    "living",
                    grid_id,
                )
            )
            if len(batch) == 20_000:
                _insert(cursor, batch)
                batch = []
        if batch:
            _insert(cursor, batch)
        cursor.execute("ANALYZE")
    if have < PEOPLE:
        print(f"filled {PEOPLE - have:,} people in {time.perf_counter() - started:.0f} s")
    total = Person.objects.count()
    rng = random.Random(5)
    timings = []
    for _ in range(LOOKUPS):
        number = f"9{rng.randrange(PEOPLE // 2, PEOPLE):017d}"  # a filler row's number
        t = time.perf_counter()
        found = Person.objects.with_id_number(number).only("id").get()
        timings.append((time.perf_counter() - t) * 1000)
        assert found.pk
    p50 = statistics.median(timings)
    p95 = sorted(timings)[int(len(timings) * 0.95) - 1]
    print(f"lookup by ID (blind index) with {total:,} people: p50 {p50:.2f} ms, p95 {p95:.2f} ms")
    pages(total)


def pages(total: int) -> None:
    from django.test import Client
    from django.test.utils import setup_test_environment

    from gridgov.accounts.models import User

    setup_test_environment()
    client = Client()
    client.force_login(User.objects.get(username="hx_staff"))
    for label, url in (
        ("people list, community staff, page 1", "/registry/"),
        ("people list, search by full ID", "/registry/?q=900000000000990000"),
        ("people list, one grid, page 50", "/registry/?grid={grid}&page=50"),
    ):
        from gridgov.registry.models import Person

        grid = Person.objects.values_list("grid_id", flat=True).first()
        timings = []
        for _ in range(10):
            t = time.perf_counter()
            response = client.get(url.format(grid=grid))
            timings.append((time.perf_counter() - t) * 1000)
            assert response.status_code == 200, response.status_code
        print(f"{label} ({total:,} people): p50 {statistics.median(timings):.0f} ms")


def _insert(cursor, batch) -> None:
    cursor.executemany(
        "INSERT INTO registry_person (name, id_number, id_index, phone, phone_index, sex, "
        "ethnicity, registration, relation, religion, health, status, grid_id, created_at, "
        "updated_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
        "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
        batch,
    )


if __name__ == "__main__":
    main()
