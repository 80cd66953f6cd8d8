from typing import Any

from django.core.management.base import BaseCommand

from gridgov.core.rotation import rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt personal data under the current FIELD_ENCRYPTION_KEY and recompute blind "
        "indexes, in batches. Put the old key in FIELD_ENCRYPTION_OLD_KEYS first. Safe to stop: "
        "running it again resumes after the last finished batch."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch", type=int, default=500)

    def handle(self, *args: Any, batch: int, **options: Any) -> None:
        for label, done in rotate(batch=batch):
            self.stdout.write(f"{label}: {done} rows re-encrypted")
        self.stdout.write("Key rotation complete. You may now remove FIELD_ENCRYPTION_OLD_KEYS.")
