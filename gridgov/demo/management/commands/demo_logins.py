import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from gridgov.accounts.models import Membership
from gridgov.demo.seed import COMMUNITY, DEMO_PASSWORD, accounts
from gridgov.geo.models import Area


class Command(BaseCommand):
    help = "Print one demo login per role as JSON."

    def handle(self, *args: Any, **options: Any) -> None:
        grid_codes = list(
            Area.objects.grids().filter(parent__code=COMMUNITY[0]).values_list("code", flat=True)
        )
        if not grid_codes:
            raise CommandError("The demo is not seeded yet: run `gridgov seed-demo` first.")
        first_of_role: dict[str, Any] = {}
        for account in accounts(grid_codes):
            first_of_role.setdefault(account.role, account)
        seeded = set(
            Membership.objects.filter(
                user__username__in=[a.username for a in first_of_role.values()]
            ).values_list("user__username", flat=True)
        )
        logins = {
            str(role): {
                "username": a.username,
                "password": DEMO_PASSWORD,
                "organisation": a.organisation,
                "area": a.area,
            }
            for role, a in first_of_role.items()
            if a.username in seeded
        }
        self.stdout.write(json.dumps(logins, ensure_ascii=False, indent=2))
