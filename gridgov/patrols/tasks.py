from celery import shared_task

from gridgov.patrols.actions import close_open_rounds
from gridgov.patrols.tracks import purge_old_tracks


@shared_task
def close_rounds_at_midnight() -> int:
    return close_open_rounds()


@shared_task
def purge_tracks() -> int:
    return purge_old_tracks()
