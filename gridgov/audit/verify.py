"""Checking the audit chain."""

from __future__ import annotations

from dataclasses import dataclass

from gridgov.audit.models import AuditChain, AuditEntry


@dataclass(frozen=True)
class Break:
    seq: int
    reason: str


def verify_chain(batch: int = 2000) -> tuple[int, Break | None]:
    """Walk the chain in order; return (rows checked, the first break or None)."""
    chain = AuditChain.objects.filter(pk=1).first()
    expected_prev = chain.anchor_hash if chain else "0" * 64
    expected_seq = (chain.anchor_seq if chain else 0) + 1
    checked = 0
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=batch):
        if entry.seq != expected_seq:
            return checked, Break(entry.seq, f"row #{expected_seq} is missing")
        if entry.prev_hash != expected_prev:
            return checked, Break(entry.seq, "does not link to the previous row")
        if entry.content_hash() != entry.hash:
            return checked, Break(entry.seq, "its content was changed")
        expected_prev = entry.hash
        expected_seq += 1
        checked += 1
    if chain is not None and (chain.last_seq, chain.last_hash) != (expected_seq - 1, expected_prev):
        return checked, Break(expected_seq, "rows at the end are missing")
    return checked, None
