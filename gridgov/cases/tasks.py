"""Periodic case work, run by Celery beat (see CELERY_BEAT_SCHEDULE). Safe to run twice.
The logic lives in the domain (`cases/actions/sweeps.py`); these only call it."""

from celery import shared_task


@shared_task
def sweep_time_limits() -> int:
    """Flag yellow, red and overdue steps; notify owners of overdue cases."""
    from gridgov.cases.actions.sweeps import sweep_time_limits as run

    return run()


@shared_task
def close_unrated() -> int:
    """Close cases left unrated for CASE_FEEDBACK_DAYS as "not evaluated"."""
    from gridgov.cases.actions.sweeps import close_unrated as run

    return run()


@shared_task
def process_attachment(attachment_id: int) -> str:
    """Make the display copy, thumbnail or playable copy of one attachment."""
    from gridgov.cases.processing import process_attachment as run

    return run(attachment_id)


@shared_task
def sweep_attachments() -> dict[str, int]:
    """Queue again, or mark failed, attachments whose processing never finished."""
    from gridgov.cases.processing import sweep_stuck_attachments

    return sweep_stuck_attachments()
