"""Outbox rows for the system administrator: dead letters are visible and can be retried."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gridgov.accounts.admin_site import DutyAdmin
from gridgov.outbox.models import OutboxMessage
from gridgov.outbox.relay import retry_dead


@admin.register(OutboxMessage)
class OutboxMessageAdmin(DutyAdmin):
    list_display = ("id", "topic", "state", "attempts", "next_attempt_at", "created_at")
    list_filter = ("state", "topic")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
    actions = ["retry"]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Retry the selected dead letters"))
    def retry(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = retry_dead(queryset.values_list("pk", flat=True))
        self.message_user(request, _("%(n)s messages queued again.") % {"n": count}, messages.INFO)
