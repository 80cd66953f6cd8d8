import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gridgov.analytics.rollups import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the case rollups from the event rows (all of them, or the days from --since "
        "on). Safe to run at any time; it runs in one transaction."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="first day to rebuild (YYYY-MM-DD); default: all")

    def handle(self, *args: Any, **options: Any) -> None:
        since = None
        if options["since"]:
            try:
                since = dt.date.fromisoformat(options["since"])
            except ValueError as error:
                raise CommandError("--since takes a date as YYYY-MM-DD") from error
        started = time.monotonic()
        n = rebuild(since, progress=lambda k: self.stderr.write(f"  {k} cases replayed"))
        self.stdout.write(f"{n} cases replayed in {time.monotonic() - started:.1f} s.")
