"""Celery entry points; the work is domain code in `gridgov.mediation.actions`."""

from celery import shared_task

from gridgov.mediation.actions import sweep_warnings


@shared_task
def sweep_mediation_warnings() -> int:
    return sweep_warnings()
