"""Periodic notice work, run by Celery beat; the logic is in the domain (`lifecycle.py`)."""

from celery import shared_task


@shared_task
def publish_due() -> int:
    """Publish the scheduled notices whose time has come."""
    from gridgov.notices.lifecycle import publish_due as run

    return run()
