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
    the caller load rows, then create them again (PostgreSQL; on SQLite the plain indexes only,
    whose foreign keys are cheap). Call it inside a transaction: DDL is transactional on both,
    so an interrupted load leaves the indexes as they were."""
    if not connection.in_atomic_block:
        raise RuntimeError("indexes_deferred() needs a transaction")
    if connection.vendor == "sqlite":
        with _sqlite_indexes_deferred(tables):
            yield
        return
    if connection.vendor != "postgresql":
        yield
        return
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


@contextlib.contextmanager
def _sqlite_indexes_deferred(tables: list[str]) -> Iterator[None]:
    marks = ", ".join(["%s"] * len(tables))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"  # noqa: S608
            f" AND tbl_name IN ({marks})",
            tables,
        )
        indexes = [(n, sql) for n, sql in cursor.fetchall() if "UNIQUE" not in sql.upper()[:20]]
        for name, _ in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        for _, sql in indexes:
            cursor.execute(sql)
