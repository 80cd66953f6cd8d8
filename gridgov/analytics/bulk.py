"""Bulk writing for loads and rebuilds: plain multi-row inserts (COPY on PostgreSQL) and index
deferral around a large load."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection


def insert_rows(table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Plain bulk insert: COPY on PostgreSQL, executemany in batches elsewhere."""
    q = connection.ops.quote_name
    names = ", ".join(q(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {q(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {q(table)} ({names}) VALUES ({marks})"  # noqa: S608
        batch: list[tuple[Any, ...]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


@contextlib.contextmanager
def indexes_deferred(tables: list[str], foreign_keys: bool = True) -> Iterator[None]:
    """Drop the tables' plain (non-unique, not constraint) indexes and their foreign keys, let
    the caller load rows, then create them again (PostgreSQL; elsewhere a no-op). Call it inside
    a transaction: an interrupted load then leaves the indexes as they were."""
    if connection.vendor != "postgresql":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_deferred() needs a transaction")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i"
            " JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid"
            " WHERE t.relname = ANY(%s) AND NOT i.indisunique AND NOT i.indisprimary"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
            [tables],
        )
        indexes = cursor.fetchall()
        cursor.execute(
            "SELECT t.relname, k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k"
            " JOIN pg_class t ON t.oid = k.conrelid WHERE t.relname = ANY(%s) AND k.contype = 'f'",
            [tables],
        )
        keys = cursor.fetchall() if foreign_keys else []
        q = connection.ops.quote_name
        for table, name, _ in keys:
            cursor.execute(f"ALTER TABLE {q(table)} DROP CONSTRAINT {q(name)}")
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {q(name)}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            cursor.execute(definition)
        # Checked once per constraint (one join), not once per row at commit.
        for table, name, definition in keys:
            cursor.execute(f"ALTER TABLE {q(table)} ADD CONSTRAINT {q(name)} {definition}")
