from typing import Any

from django.core.management.base import BaseCommand

from gridgov.cases import actions


class Command(BaseCommand):
    help = "Flag time-limit warnings and close unrated cases (what Celery beat runs)."

    def handle(self, *args: Any, **options: Any) -> None:
        flagged = actions.sweep_time_limits()
        closed = actions.close_unrated()
        self.stdout.write(f"{flagged} time-limit changes, {closed} cases closed unrated.")
