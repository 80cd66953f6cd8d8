from typing import Any

from django.core.management.base import BaseCommand

from gridgov.hazards.actions import sweep_overdue


class Command(BaseCommand):
    help = (
        "Flag hazards past their rectification deadline and tell the community "
        "(what Celery beat runs)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{sweep_overdue()} overdue hazards flagged.")
