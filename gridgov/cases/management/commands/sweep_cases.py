from typing import Any

from django.core.management.base import BaseCommand

from gridgov.cases import actions
from gridgov.cases.processing import sweep_stuck_attachments


class Command(BaseCommand):
    help = (
        "Flag time-limit warnings, close unrated cases and unstick attachment processing "
        "(what Celery beat runs)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        flagged = actions.sweep_time_limits()
        closed = actions.close_unrated()
        self.stdout.write(f"{flagged} time-limit changes, {closed} cases closed unrated.")
        media = sweep_stuck_attachments()
        self.stdout.write(
            f"{media['requeued']} stuck attachments queued again, {media['failed']} marked failed."
        )
