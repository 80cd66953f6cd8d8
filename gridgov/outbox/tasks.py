"""Delivery of outbox rows by id (see relay.py)."""

from celery import shared_task

from gridgov.outbox import relay


@shared_task
def deliver(pk: int) -> str:
    return relay.deliver(pk)


@shared_task
def relay_due() -> int:
    """Hand over rows that wait: the broker was down, or a retry is due."""
    return relay.relay_due()
