"""`gridgov report weekly|monthly --area CODE --period 2026-W47|2026-11`: one report now."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gridgov.geo.models import Area
from gridgov.lifecycle import IllegalMove
from gridgov.reports.actions import generate_report
from gridgov.reports.choices import ReportKind
from gridgov.reports.periods import BadPeriod, last_complete, parse


class Command(BaseCommand):
    help = "Generate a weekly summary or monthly analysis for one area and period (a new version)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ReportKind.values)
        parser.add_argument(
            "--area", required=True, help="The area's code (street, community, grid)."
        )
        parser.add_argument(
            "--period",
            help="2026-W47 (weekly) or 2026-11 (monthly); default: the last complete one.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        area = Area.objects.filter(code=options["area"]).first()
        if area is None:
            raise CommandError(f"No area with the code {options['area']!r}.")
        try:
            period = parse(kind, options["period"]) if options["period"] else last_complete(kind)
        except BadPeriod as error:
            example = "2026-W47" if kind == ReportKind.WEEKLY else "2026-11"
            raise CommandError(f"Bad period {error}: write it like {example}.") from error
        try:
            report = generate_report(area, period)
        except IllegalMove as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"{report.get_kind_display()} {area.code} {period.code} version {report.version} "
            f"(report {report.pk})"
        )
