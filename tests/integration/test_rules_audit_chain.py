"""The audit chain check (`verify_chain`) against what someone with database access could do:
edit a row (with or without re-hashing it), delete a middle row, delete the newest rows, lose the
chain head. Each case names the first broken row, its reason and the rows checked before it."""

from __future__ import annotations

import pytest
from django.db import connection

from gridgov.audit.log import record
from gridgov.audit.models import AuditEntry
from gridgov.audit.verify import Break, verify_chain

pytestmark = pytest.mark.django_db


def _sql(statement: str, params: list[object] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


@pytest.fixture
def five_rows():
    for n in range(5):
        record("test.thing", detail={"n": n})


def test_an_empty_log_is_intact():
    assert verify_chain() == (0, None)


def test_an_untouched_chain_is_intact(five_rows):
    assert verify_chain() == (5, None)


def test_an_untouched_chain_is_intact_across_read_batches(five_rows):
    assert verify_chain(batch=2) == (5, None)


def test_an_edited_row_is_named(five_rows):
    _sql("UPDATE audit_auditentry SET actor_name = %s WHERE seq = 3", ["mallory"])
    assert verify_chain() == (2, Break(3, "its content was changed"))


def test_an_edited_and_rehashed_row_breaks_the_link_of_the_next_row(five_rows):
    third = AuditEntry.objects.get(seq=3)
    third.actor_name = "mallory"
    _sql(
        "UPDATE audit_auditentry SET actor_name = %s, hash = %s WHERE seq = 3",
        ["mallory", third.content_hash()],
    )
    assert verify_chain() == (3, Break(4, "does not link to the previous row"))


def test_an_edited_and_rehashed_first_row_breaks_the_link_of_the_second(five_rows):
    first = AuditEntry.objects.get(seq=1)
    first.object_repr = "forged"
    _sql(
        "UPDATE audit_auditentry SET object_repr = %s, hash = %s WHERE seq = 1",
        ["forged", first.content_hash()],
    )
    assert verify_chain() == (1, Break(2, "does not link to the previous row"))


def test_a_row_relinked_to_a_forged_predecessor_is_named(five_rows):
    """Rewriting a row's previous-hash (and its own hash) does not make it fit the chain."""
    fourth = AuditEntry.objects.get(seq=4)
    fourth.prev_hash = "f" * 64
    _sql(
        "UPDATE audit_auditentry SET prev_hash = %s, hash = %s WHERE seq = 4",
        ["f" * 64, fourth.content_hash()],
    )
    assert verify_chain() == (3, Break(4, "does not link to the previous row"))


def test_a_first_row_not_linked_to_the_genesis_hash_is_named(five_rows):
    first = AuditEntry.objects.get(seq=1)
    first.prev_hash = "1" * 64
    _sql(
        "UPDATE audit_auditentry SET prev_hash = %s, hash = %s WHERE seq = 1",
        ["1" * 64, first.content_hash()],
    )
    assert verify_chain() == (0, Break(1, "does not link to the previous row"))


def test_a_deleted_middle_row_is_named(five_rows):
    _sql("DELETE FROM audit_auditentry WHERE seq = 3")
    assert verify_chain() == (2, Break(4, "row #3 is missing"))


def test_a_deleted_first_row_is_named(five_rows):
    _sql("DELETE FROM audit_auditentry WHERE seq = 1")
    assert verify_chain() == (0, Break(2, "row #1 is missing"))


def test_deleting_the_newest_rows_is_caught_by_the_chain_head(five_rows):
    _sql("DELETE FROM audit_auditentry WHERE seq >= 4")
    assert verify_chain() == (3, Break(4, "rows at the end are missing"))


def test_deleting_the_newest_row_is_caught_by_the_chain_head(five_rows):
    _sql("DELETE FROM audit_auditentry WHERE seq = 5")
    assert verify_chain() == (4, Break(5, "rows at the end are missing"))


def test_deleting_every_row_is_caught_by_the_chain_head(five_rows):
    _sql("DELETE FROM audit_auditentry")
    assert verify_chain() == (0, Break(1, "rows at the end are missing"))


def test_a_chain_head_pointing_at_another_hash_is_caught(five_rows):
    _sql("UPDATE audit_auditchain SET last_hash = %s", ["e" * 64])
    assert verify_chain() == (5, Break(6, "rows at the end are missing"))


def test_without_a_chain_head_the_rows_verify_from_the_genesis_hash(five_rows):
    _sql("DELETE FROM audit_auditchain")
    assert verify_chain() == (5, None)
    _sql("UPDATE audit_auditentry SET actor_name = %s WHERE seq = 2", ["mallory"])
    assert verify_chain() == (1, Break(2, "its content was changed"))


def test_after_a_purge_the_chain_starts_at_the_anchor(five_rows):
    second = AuditEntry.objects.get(seq=2)
    _sql("UPDATE audit_auditchain SET anchor_seq = %s, anchor_hash = %s", [2, second.hash])
    _sql("DELETE FROM audit_auditentry WHERE seq <= 2")
    assert verify_chain() == (3, None)
    _sql("DELETE FROM audit_auditentry WHERE seq = 3")
    assert verify_chain() == (0, Break(4, "row #3 is missing"))


def test_after_a_purge_a_wrong_anchor_hash_is_caught(five_rows):
    _sql("UPDATE audit_auditchain SET anchor_seq = %s, anchor_hash = %s", [2, "a" * 64])
    _sql("DELETE FROM audit_auditentry WHERE seq <= 2")
    assert verify_chain() == (0, Break(3, "does not link to the previous row"))
