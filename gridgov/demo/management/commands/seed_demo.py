from typing import Any

from django.core.management.base import BaseCommand

from gridgov.demo.seed import COMMUNITY, seed_demo
from gridgov.demo.year import settle_notifications


class Command(BaseCommand):
    help = "Seed the demo community 河西社区 (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = seed_demo()
        # After the commit: the year's actions' notifications are delivered by then.
        settle_notifications(COMMUNITY[0], counts["year"])
        self.stdout.write(
            "Demo community ready: {grids} grids, {users} accounts, {buildings} buildings, "
            "{households} households, {people} residents, {cases} cases.".format(**counts)
        )
        self.stdout.write(
            "The demo year {year} (the figures the community published): "
            "/dashboard/{code}/?period=year&day={year}-01-01".format(code=COMMUNITY[0], **counts)
        )
