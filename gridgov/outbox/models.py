"""The outbox: messages a move must send, written in the move's own transaction.

A row names a topic (whose handler delivers it, see OUTBOX_HANDLERS) and the event row it came
from, so webhooks and analytics can read the same rows later. Celery tasks deliver rows by id;
a failed delivery waits with a growing delay; after OUTBOX_MAX_ATTEMPTS it is a dead letter,
listed for the system administrator in the admin.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    DELIVERED = "delivered", _("Delivered")
    DEAD = "dead", _("Dead letter")


class OutboxMessage(models.Model):
    topic = models.CharField(_("topic"), max_length=60)
    payload = models.JSONField(_("payload"), default=dict)
    event_type = models.CharField(_("event type"), max_length=100, blank=True)
    event_id = models.BigIntegerField(_("event"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["event_type", "event_id"], name="outbox_event"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk} ({self.state})"
