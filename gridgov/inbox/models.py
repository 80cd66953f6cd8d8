"""In-app notifications: the bell. Written after commit by the apps that have news."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.core.models import VisibleQuerySet

if TYPE_CHECKING:
    from gridgov.accounts.models import User


class NotificationQuerySet(VisibleQuerySet):
    def _visible_to(self, user: User) -> Self:
        return self.filter(user=user)

    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """A message for one user, with a link to what it is about."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="notifications"
    )
    message = models.CharField(_("message"), max_length=300)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="inbox_user_unread"),
            models.Index(fields=["user", "created_at"], name="inbox_user_created"),
        ]

    def __str__(self) -> str:
        return self.message
