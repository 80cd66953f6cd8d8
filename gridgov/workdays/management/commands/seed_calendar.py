from typing import Any

from django.core.management.base import BaseCommand

from gridgov.workdays.seed import seed_from_chinese_calendar


class Command(BaseCommand):
    help = "Seed holidays and swapped working days from the chinese-calendar package."

    def handle(self, *args: Any, **options: Any) -> None:
        years = seed_from_chinese_calendar()
        self.stdout.write(f"Calendar seeded for {years[0]}–{years[-1]}.")
