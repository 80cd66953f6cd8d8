"""Import jobs after a crash: the sweep resumes them, fails them visibly with a retry button,
and drops uploads kept too long. Time is moved by passing the sweep a later "now"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.test import TestCase
from django.urls import reverse

from gridgov.audit.models import AuditEntry
from gridgov.core import crypto
from gridgov.registry.import_recovery import sweep_import_jobs
from gridgov.registry.models import ImportJob, ImportMode, ImportState, Person
from tests.registry_helpers import house_in, id_number, workbook

pytestmark = pytest.mark.django_db

HEADERS = ["姓名", "公民身份号码", "楼栋编号", "单元", "房号"]
T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def crashed(world):
    """A job whose worker died while checking: "checking 40 %" since T0, upload still held."""
    house_in(world.building_a)
    data = workbook([["甲", id_number("19850101"), "B-A1", 1, "101"]], HEADERS)
    job = ImportJob.objects.create(
        created_by=world.people.worker_a,
        filename="居民.xlsx",
        mode=ImportMode.VALID_ROWS,
        payload=crypto.encrypt_bytes(data),
    )
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportState.CHECKING,
        attempts=1,
        checked=2000,
        total=5000,
        created_at=T0,
        updated_at=T0,
    )
    return job


def sweep(at):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return sweep_import_jobs(now=at)


def test_a_job_still_within_the_limit_is_left_alone(crashed):
    result = sweep(T0 + dt.timedelta(minutes=14))
    job = ImportJob.objects.get()
    assert (result.resumed, result.failed) == (0, 0)
    assert (job.state, job.checked, job.attempts) == (ImportState.CHECKING, 2000, 1)


def test_a_stuck_job_is_resumed_and_finishes(crashed):
    result = sweep(T0 + dt.timedelta(minutes=16))
    job = ImportJob.objects.get()
    assert result.resumed == 1
    assert (job.state, job.imported, job.attempts, job.payload) == (ImportState.DONE, 1, 2, "")
    assert Person.objects.get().name == "甲"
    assert AuditEntry.objects.get(action="registry.import.resumed").object_id == str(job.pk)


def test_a_job_interrupted_again_fails_visibly_and_its_creator_can_retry(crashed, client_for):
    ImportJob.objects.filter(pk=crashed.pk).update(attempts=settings.REGISTRY_IMPORT_MAX_ATTEMPTS)
    result = sweep(T0 + dt.timedelta(minutes=16))
    job = ImportJob.objects.get()
    assert result.failed == 1 and job.state == ImportState.FAILED
    assert job.payload and not Person.objects.exists()
    assert "中断" in job.message
    assert job.percent == 100
    owner = client_for("worker_a")
    page = owner.get(reverse("registry:import-job", args=[job.pk])).content.decode()
    assert "中断" in page and "重新导入" in page and 'hx-trigger="every 1s"' not in page
    # Someone else cannot retry it (nor see it).
    other = client_for("staff").post(reverse("registry:import-retry", args=[job.pk]))
    assert other.status_code == 404
    assert ImportJob.objects.get().state == ImportState.FAILED
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = owner.post(reverse("registry:import-retry", args=[job.pk]))
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert (job.state, job.imported, job.payload) == (ImportState.DONE, 1, "")
    assert AuditEntry.objects.filter(action="registry.import.retried").count() == 1


def test_the_upload_is_dropped_after_the_retention_limit(crashed, client_for):
    ImportJob.objects.filter(pk=crashed.pk).update(attempts=settings.REGISTRY_IMPORT_MAX_ATTEMPTS)
    sweep(T0 + dt.timedelta(minutes=16))
    assert ImportJob.objects.get().payload  # kept for a retry meanwhile
    result = sweep(T0 + dt.timedelta(hours=settings.REGISTRY_IMPORT_KEEP_HOURS, minutes=1))
    job = ImportJob.objects.get()
    assert result.dropped == 1 and job.payload == "" and not job.can_retry
    page = client_for("worker_a").get(reverse("registry:import-job", args=[job.pk]))
    assert "重新上传" in page.content.decode()
    client_for("worker_a").post(reverse("registry:import-retry", args=[job.pk]))
    assert ImportJob.objects.get().state == ImportState.FAILED
    assert AuditEntry.objects.filter(action="registry.import.upload_dropped").count() == 1


def test_a_job_stuck_past_the_retention_limit_fails_and_loses_its_upload_at_once(crashed):
    result = sweep(T0 + dt.timedelta(hours=settings.REGISTRY_IMPORT_KEEP_HOURS, minutes=1))
    job = ImportJob.objects.get()
    assert (result.resumed, result.failed) == (0, 1)
    assert job.state == ImportState.FAILED and job.payload == "" and "重新上传" in job.message


def test_sweeping_twice_changes_nothing_more(crashed):
    ImportJob.objects.filter(pk=crashed.pk).update(attempts=settings.REGISTRY_IMPORT_MAX_ATTEMPTS)
    later = T0 + dt.timedelta(minutes=16)
    sweep(later)
    again = sweep(later)
    assert (again.resumed, again.failed, again.dropped) == (0, 0, 0)
    assert AuditEntry.objects.filter(action="registry.import.interrupted").count() == 1


def test_a_run_that_lost_the_job_does_not_overwrite_it(crashed):
    from gridgov.registry.importer import _finish

    stale = ImportJob.objects.get()  # the dead run's view: checking, attempt 1
    ImportJob.objects.filter(pk=crashed.pk).update(state=ImportState.DONE, attempts=2, imported=1)
    _finish(stale, ImportState.FAILED, message="stale")
    job = ImportJob.objects.get()
    assert (job.state, job.imported, job.message) == (ImportState.DONE, 1, "")


def test_a_queued_task_delivered_twice_runs_once(crashed):
    from gridgov.registry.importer import run_import

    ImportJob.objects.filter(pk=crashed.pk).update(state=ImportState.QUEUED, attempts=0)
    assert run_import(crashed.pk).state == ImportState.DONE
    assert run_import(crashed.pk).state == ImportState.DONE
    assert Person.objects.count() == 1 and ImportJob.objects.get().attempts == 1


def test_the_sweep_is_scheduled():
    from gridgov.registry import tasks

    entry = settings.CELERY_BEAT_SCHEDULE["sweep-imports"]
    assert entry["task"] == tasks.sweep_import_jobs.name
    assert entry["schedule"] <= settings.REGISTRY_IMPORT_STUCK_MINUTES * 60


def test_the_sweep_runs_from_cron_too(crashed):
    import io

    from django.core.management import call_command

    ImportJob.objects.filter(pk=crashed.pk).update(attempts=settings.REGISTRY_IMPORT_MAX_ATTEMPTS)
    out = io.StringIO()
    call_command("sweep_imports", stdout=out)  # now is far past T0 + the limit
    assert out.getvalue().strip() == "0 import jobs resumed, 1 failed, 0 uploads dropped."
    assert ImportJob.objects.get().state == ImportState.FAILED


def test_the_import_page_lists_an_interrupted_job_as_such(crashed, client_for):
    ImportJob.objects.filter(pk=crashed.pk).update(attempts=settings.REGISTRY_IMPORT_MAX_ATTEMPTS)
    sweep(T0 + dt.timedelta(minutes=16))
    page = client_for("worker_a").get(reverse("registry:import")).content.decode()
    assert "居民.xlsx</a> · 已中断" in page
