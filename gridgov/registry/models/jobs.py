"""Excel import jobs: the uploaded file (encrypted) waits here for the background task.

A job is queued, then checking, saving, and finally done or failed. `updated_at` is its
heartbeat (touched as rows are checked): the periodic sweep (import_recovery) takes a running
job silent for REGISTRY_IMPORT_STUCK_MINUTES for one whose worker died, and the payload is kept
at most REGISTRY_IMPORT_KEEP_HOURS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

from django.db import models
from django.utils.translation import gettext_lazy as _

from gridgov.core.models import TimeStampedModel, VisibleQuerySet

if TYPE_CHECKING:
    from gridgov.accounts.models import User


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("Import nothing if any row fails")
    VALID_ROWS = "valid_rows", _("Import the valid rows, report the others")


class ImportState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    CHECKING = "checking", _("Checking rows")
    SAVING = "saving", _("Saving")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Refused")


RUNNING_STATES = (ImportState.QUEUED, ImportState.CHECKING, ImportState.SAVING)


class ImportJobQuerySet(VisibleQuerySet):
    def _visible_to(self, user: User) -> Self:
        return self.filter(created_by=user)


class ImportJob(TimeStampedModel):
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    filename = models.CharField(_("file"), max_length=200)
    mode = models.CharField(_("mode"), max_length=16, choices=ImportMode.choices)
    state = models.CharField(
        _("state"), max_length=16, choices=ImportState.choices, default=ImportState.QUEUED
    )
    payload = models.TextField(default="", editable=False)  # Fernet token of the file
    # Runs started on this upload; a run checks it still owns the job before it writes.
    attempts = models.PositiveSmallIntegerField(default=0, editable=False)
    total = models.PositiveIntegerField(default=0)
    checked = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        if self.state in (ImportState.DONE, ImportState.FAILED):
            return 100
        if not self.total:
            return 0
        return min(95, int(self.checked * 90 / self.total) + (5 if self.state == "saving" else 0))

    @property
    def running(self) -> bool:
        return self.state in RUNNING_STATES

    @property
    def can_retry(self) -> bool:
        """A failed job whose upload is still kept (an interrupted run) can be run again."""
        return self.state == ImportState.FAILED and bool(self.payload)

    @property
    def state_label(self) -> str:
        return str(_("Interrupted")) if self.can_retry else self.get_state_display()

    @property
    def failed_rows(self) -> int:
        return len({p["row"] for p in self.problems})
