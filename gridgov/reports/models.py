"""Stored reports (每周汇总, 每月研判) and the monthly meeting's conclusions and action items.

A report keeps its content as it was generated: a JSON snapshot of every table and figure, so
what a report said is never recomputed later. Generating the same area and period again makes a
new version and keeps the old ones. The monthly analysis is a meeting agenda: the meeting's
conclusions (`MeetingNote`, append-only) and its action items (`ActionItem`, tracked tasks on the
lifecycle kernel with `ActionItemEvent` history) hang on the area and period, whatever the
version, and the next month's analysis carries the action items over with their status.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.accounts import scope
from gridgov.core.models import VisibleQuerySet
from gridgov.reports.choices import ActionItemEventKind, ActionItemStatus, ReportKind

if TYPE_CHECKING:
    from gridgov.accounts.models import User


class ReportQuerySet(VisibleQuerySet):
    """Reports are seen by the staff of their area's subtree (`scope.REPORTS`)."""

    path_field = "area_path"

    def _visible_to(self, user: User) -> Self:
        paths = scope.report_paths(user, scope.Action.VIEW)
        return self.filter(scope.under(paths, self.path_field))

    def _changeable_by(self, user: User) -> Self:
        return self.filter(scope.report_meeting_condition(user, self.path_field))

    def latest_versions(self) -> Self:
        return self.filter(is_latest=True)


class Report(models.Model):
    """One generated report: kind, area, period, the snapshot, and its version."""

    kind = models.CharField(_("kind"), max_length=10, choices=ReportKind.choices)
    area = models.ForeignKey(
        "geo.Area", on_delete=models.PROTECT, related_name="reports", verbose_name=_("area")
    )
    area_path = models.CharField(max_length=255, editable=False)
    period = models.CharField(_("period"), max_length=10)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    version = models.PositiveIntegerField(_("version"), default=1)
    is_latest = models.BooleanField(default=True, editable=False)
    generated_at = models.DateTimeField(_("generated at"))
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    content = models.JSONField(_("content"), default=dict)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_start", "kind", "area_path", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "area", "period", "version"], name="report_version_unique"
            )
        ]
        indexes = [
            models.Index(fields=["area_path", "kind", "period_start"], name="report_scope"),
            models.Index(fields=["kind", "area", "period", "is_latest"], name="report_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.area_id} {self.period} v{self.version}"

    @property
    def is_monthly(self) -> bool:
        return self.kind == ReportKind.MONTHLY


class MeetingQuerySet(ReportQuerySet):
    pass


class MeetingNote(models.Model):
    """A conclusion recorded at the monthly analysis meeting (append-only)."""

    area = models.ForeignKey("geo.Area", on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, editable=False)
    period = models.CharField(max_length=10)
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="notes")
    text = models.TextField(_("conclusion"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_role = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["area", "period"], name="meetingnote_area_period")]

    def __str__(self) -> str:
        return f"{self.area_id} {self.period} note {self.pk}"


class ActionItem(models.Model):
    """A follow-up action decided at a monthly meeting: a tracked task with owner and deadline."""

    area = models.ForeignKey("geo.Area", on_delete=models.PROTECT, related_name="+")
    area_path = models.CharField(max_length=255, editable=False)
    period = models.CharField(_("meeting of"), max_length=10)
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="action_items")
    title = models.CharField(_("action to take"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="report_action_items",
        verbose_name=_("responsible person"),
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=ActionItemStatus.choices,
        default=ActionItemStatus.OPEN,
    )
    done_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["area", "period"], name="actionitem_area_period")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def number(self) -> str:
        return f"DB{self.pk:05d}"


class ActionItemEvent(models.Model):
    """Append-only: every change of an action item (style.md §4)."""

    item = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=ActionItemEventKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    actor_role = models.CharField(max_length=32, blank=True)
    from_status = models.CharField(max_length=8, blank=True)
    to_status = models.CharField(max_length=8, blank=True)
    note = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind}"


class ReportFile(models.Model):
    """A rendered download of one report version, kept so that it is rendered once.

    A report's PDF masks personal data and carries no viewer's name (the download is audited
    instead), so the same bytes suit every reader allowed to see the report. The monthly PDF
    also prints the meeting's conclusions and action items, which hang on area × period and
    change after generation: `meeting_key` fingerprints them, and a stored file whose key no
    longer matches is rendered again. Storing a new version of a report drops the stored files
    of its area and period (`actions._store`).
    """

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files")
    fmt = models.CharField(max_length=8)
    language = models.CharField(max_length=16)
    meeting_key = models.CharField(max_length=128, blank=True)
    data = models.BinaryField()
    rendered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "fmt", "language"], name="reportfile_unique_polish"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id} {self.fmt} {self.language}"
