import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gridgov.analytics.load import generate
from gridgov.analytics.rollups import rebuild

HEXI = "222405001001"  # the demo community 河西社区


class Command(BaseCommand):
    help = (
        "Insert N synthetic cases with realistic event histories over the last year (bulk, "
        "COPY on PostgreSQL), then rebuild the rollups. For load tests and benchmarks only."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--cases", type=int)
        parser.add_argument(
            "--profile",
            choices=["random", "hexi-year"],
            default="random",
            help="random: N cases of the synthetic mix (needs --cases); hexi-year: the demo "
            "year of 河西社区 (its published figures; needs the demo seeded; --year picks it)",
        )
        parser.add_argument("--year", type=int, help="the calendar year of --profile hexi-year")
        parser.add_argument("--area", help="code of the area whose grids get the cases")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--days", type=int, default=365)
        parser.add_argument("--no-rebuild", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["profile"] == "hexi-year":
            self._hexi_year(options["year"])
            return
        if options["cases"] is None or options["cases"] < 1:
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

    def _hexi_year(self, year: int | None) -> None:
        # The demo owns the year's stories and its hazard and mediation actions; imported here
        # only, lazily (ADR "year demo year").
        from gridgov.demo.year import seed_year, settle_notifications
        from gridgov.geo.models import Area

        if not Area.objects.filter(code=HEXI).exists():
            raise CommandError("Seed the demo first (gridgov seed-demo).")
        started = time.monotonic()
        try:
            made = seed_year(HEXI, year)
        except ValueError as error:
            raise CommandError(str(error)) from error
        settle_notifications(HEXI, made["year"])
        self.stdout.write(
            "Demo year {year}: {cases} cases, {hazards} hazards, {mediations} mediations "
            "written".format(**made)
            + f" in {time.monotonic() - started:.1f} s (0 where they existed already)."
        )
