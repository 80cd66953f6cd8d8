"""The audit log: append-only and tamper-evident (domain.md §8).

Every row carries the SHA-256 of its own content and of the previous row's hash, so changing,
inserting or deleting a row breaks the chain from there on; `gridgov verify-audit` finds the
first broken row. Rows are written only by `gridgov.audit.log.record()`; the model refuses
updates and deletes, and no page or admin offers them. Old rows past the retention period are
removed only by `gridgov purge-audit`, which keeps the last removed row's hash as the anchor.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, NoReturn, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.core.models import VisibleQuerySet


class AuditResult(models.TextChoices):
    SUCCESS = "success", _("Success")
    FAILURE = "failure", _("Failure")
    DENIED = "denied", _("Denied")


class ImmutableError(RuntimeError):
    pass


class AuditQuerySet(VisibleQuerySet):
    def _visible_to(self, user: Any) -> Self:
        # The audit administrator reviews the log (三权分立); audit may not import accounts, so
        # the role is read by duck typing, as `accounts.choices.Role.AUDIT_ADMIN`.
        return self if user.has_role("audit_admin") else self.none()

    def history_of(self, object_type: str, object_id: Any) -> Self:
        """One record's own history, shown beside the record to whoever may see the record
        (the caller read the record through its `visible_to`)."""
        return self.filter(object_type=object_type, object_id=str(object_id))

    def update(self, **kwargs: Any) -> NoReturn:
        raise ImmutableError("The audit log is append-only.")

    def delete(self) -> NoReturn:
        raise ImmutableError("The audit log is append-only.")


class AuditEntry(models.Model):
    seq = models.BigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("time"))
    actor_id = models.BigIntegerField(_("actor id"), null=True, blank=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=120, blank=True)
    action = models.CharField(_("action"), max_length=64)
    object_type = models.CharField(_("object type"), max_length=64, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    result = models.CharField(
        _("result"), max_length=16, choices=AuditResult.choices, default=AuditResult.SUCCESS
    )
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-seq"]
        indexes = [
            models.Index(fields=["at"], name="audit_at"),
            models.Index(fields=["actor_id", "at"], name="audit_actor_at"),
            models.Index(fields=["action", "at"], name="audit_action_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableError("The audit log is append-only.")

    def content_hash(self) -> str:
        """SHA-256 over every field and the previous row's hash (canonical JSON)."""
        content = [
            self.seq,
            self.at.isoformat(timespec="microseconds"),
            self.actor_id,
            self.actor_name,
            self.role,
            self.action,
            self.object_type,
            self.object_id,
            self.object_repr,
            self.result,
            self.ip,
            self.detail,
            self.prev_hash,
        ]
        payload = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(payload.encode()).hexdigest()


class AuditChain(models.Model):
    """The head of the chain (one row): writers lock it, so rows chain one after another."""

    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)
    # After a retention purge: the hash of the last removed row, which the first kept row names.
    anchor_seq = models.BigIntegerField(default=0)
    anchor_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"audit chain at #{self.last_seq}"
