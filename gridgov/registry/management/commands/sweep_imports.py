from typing import Any

from django.core.management.base import BaseCommand

from gridgov.registry.import_recovery import sweep_import_jobs


class Command(BaseCommand):
    help = "Resume or fail Excel import jobs whose worker died; drop uploads kept too long."

    def handle(self, *args: Any, **options: Any) -> None:
        result = sweep_import_jobs()
        self.stdout.write(
            f"{result.resumed} import jobs resumed, {result.failed} failed, "
            f"{result.dropped} uploads dropped."
        )
