import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gridgov.analytics.load import generate
from gridgov.analytics.rollups import rebuild


class Command(BaseCommand):
    help = (
        "Insert N synthetic cases with realistic event histories over the last year (bulk, "
        "COPY on PostgreSQL), then rebuild the rollups. For load tests and benchmarks only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int, required=True)
        parser.add_argument("--area", help="code of the area whose grids get the cases")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--no-rebuild", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["cases"] < 1:
            raise CommandError("--cases must be at least 1")
        started = time.monotonic()
        try:
            cases, events = generate(
                options["cases"],
                area_code=options["area"],
                seed=options["seed"],
                days=options["days"],
                progress=lambda c, e: self.stderr.write(f"  {c} cases, {e} events"),
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{cases} cases and {events} events written in {time.monotonic() - started:.1f} s."
        )
        if not options["no_rebuild"]:
            started = time.monotonic()
            rebuild()
            self.stdout.write(f"Rollups rebuilt in {time.monotonic() - started:.1f} s.")
