"""Celery entry points; the work is domain code in `gridgov.hazards.actions`."""

from celery import shared_task

from gridgov.hazards.actions import sweep_overdue


@shared_task
def sweep_overdue_hazards() -> int:
    return sweep_overdue()
