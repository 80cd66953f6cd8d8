"""Importing people from the Excel template: check every row first, then save.

"Import nothing if any row fails" saves only when every row passed; "import the valid rows"
saves those and reports the rest. Saving is one transaction, so a failure part-way leaves
nothing half-imported. The people are saved by `actions.register_people`, the page's own write
path, a batch at a time (each person with its audit row, written in bulk).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.audit.log import record
from gridgov.core import crypto
from gridgov.registry import actions
from gridgov.registry.actions import masked
from gridgov.registry.excel import (
    FIELD_TO_HEADER,
    HOUSE_FIELD_TO_HEADER,
    HOUSE_SHEET_TITLE,
    SheetError,
    read_workbook,
)
from gridgov.registry.inputs import HouseInput, PersonInput, Places
from gridgov.registry.models import House, ImportJob, ImportMode, ImportState

PROGRESS_EVERY = 250
SAVE_BATCH = 1000


def _shown(field: str, value: Any) -> str:
    """A cell's value in the problem report, masked like every view of a change."""
    if isinstance(value, tuple):  # a number cell kept as ("__number__", text)
        value = value[1]
    return masked(field, value)[:50]


def run_import(job_id: int) -> ImportJob:
    """Run one queued job. Safe to run twice: the run claims the job (queued → checking) with a
    compare-and-set, and writes only while it still owns it (same state and attempt)."""
    claimed = (
        ImportJob.objects.filter(pk=job_id, state=ImportState.QUEUED)
        .exclude(payload="")
        .update(
            state=ImportState.CHECKING,
            attempts=F("attempts") + 1,
            checked=0,
            total=0,
            problems=[],
            message="",
            updated_at=timezone.now(),
        )
    )
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    if not claimed:
        return job  # a retried task, or a job another run holds: nothing to do
    user = job.created_by
    try:
        data = crypto.decrypt_bytes(job.payload)
        sheets = read_workbook(data, max_rows=settings.REGISTRY_IMPORT_MAX_ROWS)
        del data
        places = Places.for_user(user)
        houses, problems = _check_houses(list(sheets.houses), places)
        valid, person_problems = _check(
            job,
            sheets.people,
            places,
            offset=len(houses) + len(problems),
            declared=sheets.declared_rows,
        )
        problems += person_problems
    except SheetError as error:
        return _finish(job, ImportState.FAILED, message=str(error))
    job.problems = problems
    if problems and job.mode == ImportMode.ALL_OR_NOTHING:
        return _finish(
            job, ImportState.DONE, message=_("Nothing was imported: fix the rows in the report.")
        )
    if not _advance(job, ImportState.CHECKING, ImportState.SAVING):
        return ImportJob.objects.get(pk=job.pk)
    try:
        with transaction.atomic():
            # Lock the job: a sweep that took this run for dead cannot restart it meanwhile,
            # and the import commits together with its "done".
            if not _owned(job, lock=True):
                return ImportJob.objects.get(pk=job.pk)
            job.imported = _save(valid, houses, user, job)
            return _finish(job, ImportState.DONE)
    except IntegrityError:
        return _finish(
            job,
            ImportState.FAILED,
            message=_(
                "Someone registered some of these people meanwhile; nothing was "
                "imported. Run the import again."
            ),
        )


def _mine(job: ImportJob) -> Any:
    return ImportJob.objects.filter(pk=job.pk, state=job.state, attempts=job.attempts)


def _owned(job: ImportJob, *, lock: bool = False) -> bool:
    rows = _mine(job)
    return (rows.select_for_update() if lock else rows).exists()


def _advance(job: ImportJob, old: str, new: str) -> bool:
    job.state = old
    changed = _mine(job).update(
        state=new,
        problems=job.problems,
        checked=job.checked,
        total=job.total,
        updated_at=timezone.now(),
    )
    job.state = new
    return bool(changed)


def _check_houses(rows: list[tuple[int, dict]], places: Places) -> tuple[list[House], list[dict]]:
    """The houses sheet, checked (and applied to `places`) before the people who live there."""
    checker = HouseInput(places)
    houses: list[House] = []
    problems: list[dict] = []
    for number, raw in rows:
        checked = checker.check(raw)
        for field, message in checked.problems:
            problems.append(
                {
                    "row": number,
                    "column": f"{HOUSE_SHEET_TITLE} · {HOUSE_FIELD_TO_HEADER.get(field, field)}",
                    "value": str(raw.get(field) or "")[:50]
                    if field != "owner_name"
                    else masked("name", raw.get(field)),
                    "message": message,
                }
            )
        if checked.ok and checked.values["house"] not in houses:
            houses.append(checked.values["house"])
    return houses, problems


def _check(
    job: ImportJob, rows: Any, places: Places, *, offset: int = 0, declared: int | None = None
) -> tuple[list[tuple[int, dict]], list[dict]]:
    """Check the people rows as they stream from the sheet (each row is parsed once and only
    the checked values are kept); progress goes to the job every PROGRESS_EVERY rows."""
    checker = PersonInput(places)
    valid: list[tuple[int, dict]] = []
    problems: list[dict] = []
    seen: dict[str, int] = {}
    job.total = (declared or 0) + offset  # the file's own count until the rows are read
    job.save(update_fields=["total", "updated_at"])
    index = 0
    for index, (number, raw) in enumerate(rows, start=1):
        row_problems: list[tuple[str, str]] = []
        for field in ("id_number", "phone"):
            if isinstance(raw.get(field), tuple):
                row_problems.append(
                    (
                        field,
                        _(
                            "Stored as a number, Excel has changed its digits: format the "
                            "column as text and type it again."
                        ),
                    )
                )
        text = {k: ("" if isinstance(v, tuple) else v) for k, v in raw.items()}
        checked = checker.check(text)
        row_problems += [p for p in checked.problems if p[0] not in dict(row_problems)]
        id_number = checked.values.get("id_number")
        if id_number and not row_problems:
            if id_number in seen:
                row_problems.append(
                    (
                        "id_number",
                        _("The same ID number as row %(row)d.") % {"row": seen[id_number]},
                    )
                )
            seen.setdefault(id_number, number)
        if row_problems:
            for field, message in row_problems:
                problems.append(
                    {
                        "row": number,
                        "column": FIELD_TO_HEADER.get(field, field),
                        "value": _shown(field, raw.get(field)),
                        "message": message,
                    }
                )
        else:
            valid.append((number, checked.values))
        if index % PROGRESS_EVERY == 0:
            # updated_at is the job's heartbeat: the sweep takes a silent job for a crashed one.
            ImportJob.objects.filter(pk=job.pk).update(checked=index, updated_at=timezone.now())
    job.checked = index
    job.total = index + offset
    return valid, problems


def _save(valid: list[tuple[int, dict]], houses: list[House], user: Any, job: ImportJob) -> int:
    """The houses sheet, then the people in batches of SAVE_BATCH (with their audit rows),
    through the same actions as the pages."""
    actions.save_houses(houses, acting_user=user, via="excel", detail={"job": job.pk})
    imported = 0
    for start in range(0, len(valid), SAVE_BATCH):
        batch = [values for _number, values in valid[start : start + SAVE_BATCH]]
        imported += len(
            actions.register_people(batch, acting_user=user, via="excel", detail={"job": job.pk})
        )
    record(
        "registry.import",
        actor=user,
        obj=job,
        object_repr=job.filename[:200],
        detail={
            "imported": imported,
            "houses": len(houses),
            "refused_rows": job.failed_rows,
            "mode": job.mode,
        },
    )
    return imported


def _finish(job: ImportJob, state: str, *, message: str = "") -> ImportJob:
    """End the run that owns the job; the uploaded file is not kept once read."""
    changed = _mine(job).update(
        state=state,
        message=message,
        payload="",
        problems=job.problems,
        checked=job.checked,
        total=job.total,
        imported=job.imported,
        updated_at=timezone.now(),
    )
    if not changed:  # another run owns the job now: leave it to that run
        return ImportJob.objects.get(pk=job.pk)
    job.state, job.message, job.payload = state, message, ""
    return job
