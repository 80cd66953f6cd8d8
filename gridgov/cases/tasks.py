"""Periodic case work, run by Celery beat (see CELERY_BEAT_SCHEDULE). Safe to run twice."""

from celery import shared_task

from gridgov.cases import actions


@shared_task
def sweep_time_limits() -> int:
    """Flag yellow, red and overdue steps; notify owners of overdue cases."""
    return actions.sweep_time_limits()


@shared_task
def close_unrated() -> int:
    """Close cases left unrated for CASE_FEEDBACK_DAYS as "not evaluated"."""
    return actions.close_unrated()


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
