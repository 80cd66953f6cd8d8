"""`record()`: the one way to write the audit log."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.utils import timezone

from gridgov.audit.context import client_ip, current_request
from gridgov.audit.models import AuditChain, AuditEntry, AuditResult


def _roles_of(user: Any) -> str:
    roles = getattr(user, "roles", None)
    return ",".join(sorted(roles)) if roles else ""


def record(
    action: str,
    *,
    obj: models.Model | None = None,
    object_repr: str | None = None,
    actor: Any = None,
    role: str | None = None,
    result: str = AuditResult.SUCCESS,
    detail: dict[str, Any] | None = None,
    actor_name: str | None = None,
) -> AuditEntry:
    """Append one row. Actor and IP default to the request being served, if any.

    Call it inside the transaction of the change it records: if the change rolls back, so does
    its audit row; a refusal is recorded on its own.
    """
    request = current_request.get()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if getattr(user, "is_authenticated", False) else None
    entry = AuditEntry(
        at=timezone.now(),
        actor_id=getattr(actor, "pk", None),
        actor_name=actor_name
        if actor_name is not None
        else (actor.get_username() if actor else ""),
        role=role if role is not None else _roles_of(actor),
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_repr=(object_repr if object_repr is not None else "")[:200],
        result=result,
        ip=client_ip(request) if request is not None else None,
        detail=detail or {},
    )
    with transaction.atomic():
        chain, _created = AuditChain.objects.select_for_update().get_or_create(pk=1)
        entry.seq = chain.last_seq + 1
        entry.prev_hash = chain.last_hash
        entry.hash = entry.content_hash()
        entry.save()
        AuditChain.objects.filter(pk=1).update(last_seq=entry.seq, last_hash=entry.hash)
    return entry


def record_many(entries: list[AuditEntry]) -> None:
    """Append prepared rows in one go (a bulk import: one row per record, one chain lock).

    Each entry needs action, object and detail; actor, IP and time are filled as in record().
    """
    if not entries:
        return
    request = current_request.get()
    ip = client_ip(request) if request is not None else None
    now = timezone.now()
    with transaction.atomic():
        chain, _created = AuditChain.objects.select_for_update().get_or_create(pk=1)
        seq, prev = chain.last_seq, chain.last_hash
        for entry in entries:
            seq += 1
            entry.seq, entry.prev_hash, entry.at = seq, prev, now
            entry.ip = entry.ip or ip
            entry.hash = entry.content_hash()
            prev = entry.hash
        AuditEntry.objects.bulk_create(entries, batch_size=500)
        AuditChain.objects.filter(pk=1).update(last_seq=seq, last_hash=prev)


def entry_for(
    action: str,
    *,
    actor: Any,
    obj: models.Model,
    object_repr: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """An unsaved row for record_many()."""
    return AuditEntry(
        actor_id=getattr(actor, "pk", None),
        actor_name=actor.get_username() if actor else "",
        role=_roles_of(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=object_repr[:200],
        result=AuditResult.SUCCESS,
        detail=detail or {},
    )
