from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gridgov.audit.verify import verify_chain


class Command(BaseCommand):
    help = "Check the audit log's hash chain; name the first broken row."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify_chain()
        if broken is not None:
            raise CommandError(
                f"Audit chain broken at row #{broken.seq}: {broken.reason} "
                f"({checked} rows before it are intact)."
            )
        self.stdout.write(f"Audit chain intact: {checked} rows.")
