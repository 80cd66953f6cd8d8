"""Background registry work (eager when no broker is set)."""

from celery import shared_task


@shared_task
def import_people(job_id: int) -> str:
    from gridgov.registry.importer import run_import

    return run_import(job_id).state


@shared_task
def sweep_import_jobs() -> dict[str, int]:
    """Resume or fail import jobs whose worker died; drop uploads kept too long."""
    from dataclasses import asdict

    from gridgov.registry.import_recovery import sweep_import_jobs as sweep

    return asdict(sweep())
