from typing import Any

from django.core.management.base import BaseCommand

from gridgov.demo.seed import seed_demo


class Command(BaseCommand):
    help = "Seed the demo community 河西社区 (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = seed_demo()
        self.stdout.write(
            "Demo community ready: {grids} grids, {users} accounts, {buildings} buildings, "
            "{households} households, {people} residents, {cases} cases.".format(**counts)
        )
        self.stdout.write(
            "The demo year {year} (the figures the community published): "
            "/dashboard/222405001001/?period=year&day={year}-01-01".format(**counts)
        )
