"""Background registry work (eager when no broker is set)."""

from celery import shared_task


@shared_task
def import_people(job_id: int) -> str:
    from gridgov.registry.importer import run_import

    return run_import(job_id).state
