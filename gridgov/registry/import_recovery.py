"""Import jobs left behind by a crash: resumed, failed visibly, and their uploads dropped.

A worker killed mid-run leaves its job "checking 40 %" forever, holding the encrypted upload
(thousands of people's ID numbers). The periodic sweep finds running jobs silent for
REGISTRY_IMPORT_STUCK_MINUTES. Checking writes nothing and saving is one transaction that
commits together with "done", so a dead run left nothing behind and the job can start again
from its stored upload: it is queued again, up to REGISTRY_IMPORT_MAX_ATTEMPTS runs. Beyond
that (a file that kills the worker every time) it fails with a message and a retry button for
its creator. Uploads are dropped REGISTRY_IMPORT_KEEP_HOURS after the upload whatever happened.
Every change is a compare-and-set on (state, updated_at) with an audit row, so two sweeps, or a
sweep and a slow but living run, cannot both act.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.audit.log import record
from gridgov.registry.models import RUNNING_STATES, ImportJob, ImportState


@dataclass
class SweepResult:
    resumed: int = 0
    failed: int = 0
    dropped: int = 0


def _enqueue(job_id: int) -> None:
    from gridgov.registry.tasks import import_people

    transaction.on_commit(lambda: import_people.delay(job_id))


def sweep_import_jobs(*, now: dt.datetime | None = None) -> SweepResult:
    """Resume or fail the stuck jobs, then drop the uploads kept too long."""
    now = now or timezone.now()
    stuck_before = now - dt.timedelta(minutes=settings.REGISTRY_IMPORT_STUCK_MINUTES)
    keep_from = now - dt.timedelta(hours=settings.REGISTRY_IMPORT_KEEP_HOURS)
    result = SweepResult()
    stuck = ImportJob.objects.filter(state__in=RUNNING_STATES, updated_at__lt=stuck_before)
    for job in stuck.only("pk", "state", "attempts", "updated_at", "created_at", "filename"):
        with transaction.atomic():
            if _resume_or_fail(job, now=now, keep_from=keep_from):
                result.resumed += 1
            else:
                result.failed += 1
    old = (
        ImportJob.objects.exclude(state__in=RUNNING_STATES)
        .exclude(payload="")
        .filter(created_at__lt=keep_from)
    )
    for job in old.only("pk", "state", "updated_at", "filename"):
        with transaction.atomic():
            if _same(job).update(payload="", updated_at=now):
                _audit("registry.import.upload_dropped", job, reason="kept too long")
                result.dropped += 1
    return result


def _same(job: ImportJob) -> Any:
    """The job if it has not moved since it was read. A row a living run holds locked (it is
    saving) is skipped rather than waited for, so the sweep never hangs on a slow import."""
    unchanged = ImportJob.objects.filter(pk=job.pk, state=job.state, updated_at=job.updated_at)
    if not unchanged.select_for_update(skip_locked=True).exists():
        return ImportJob.objects.none()
    return unchanged


def _resume_or_fail(job: ImportJob, *, now: dt.datetime, keep_from: dt.datetime) -> bool:
    """True when the job was queued again, False when it was failed (or was left alone)."""
    has_upload = ImportJob.objects.filter(pk=job.pk).exclude(payload="").exists()
    too_old = job.created_at < keep_from
    if has_upload and not too_old and job.attempts < settings.REGISTRY_IMPORT_MAX_ATTEMPTS:
        if _same(job).update(state=ImportState.QUEUED, checked=0, updated_at=now):
            _audit("registry.import.resumed", job, was=job.state, attempts=job.attempts)
            _enqueue(job.pk)
            return True
        return False
    if too_old or not has_upload:
        message = _(
            "The import was interrupted and its file is no longer kept: nothing was imported. "
            "Upload the file again."
        )
        changes: dict[str, Any] = {"payload": ""}
    else:
        message = _(
            "The import was interrupted %(n)d times (the server stopped while it ran): "
            "nothing was imported. Run it again, or split the file if it happens again."
        ) % {"n": job.attempts}
        changes = {}
    if _same(job).update(state=ImportState.FAILED, message=message, updated_at=now, **changes):
        _audit("registry.import.interrupted", job, was=job.state, attempts=job.attempts)
    return False


def retry_import(job: ImportJob, *, acting_user: Any) -> bool:
    """Queue an interrupted job again for its creator (a fresh count of automatic resumes).
    False when there is nothing to retry (not failed, or the upload is gone)."""
    with transaction.atomic():
        changed = (
            ImportJob.objects.filter(pk=job.pk, state=ImportState.FAILED, created_by=acting_user)
            .exclude(payload="")
            .update(
                state=ImportState.QUEUED,
                attempts=0,
                message="",
                checked=0,
                updated_at=timezone.now(),
            )
        )
        if changed:
            _audit("registry.import.retried", job, actor=acting_user)
            _enqueue(job.pk)
    return bool(changed)


def _audit(action: str, job: ImportJob, *, actor: Any = None, **detail: Any) -> None:
    record(action, actor=actor, obj=job, object_repr=job.filename[:200], detail=detail)
