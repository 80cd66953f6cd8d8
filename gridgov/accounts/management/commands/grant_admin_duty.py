from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from gridgov.accounts.duties import DUTIES, grant_admin_duty
from gridgov.accounts.models import User
from gridgov.geo.models import Area


class Command(BaseCommand):
    help = (
        "Grant USERNAME an administrator duty (system, security or audit) over an area; the only "
        "way to grant one (audited). The account must hold no other role; its superuser flag "
        "is cleared."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("duty", choices=sorted(DUTIES))
        parser.add_argument(
            "--area",
            help="Code of the area the duty covers (default: the top of the area tree, if it "
            "has a single top).",
        )

    def handle(
        self, *args: Any, username: str, duty: str, area: str | None, **options: Any
    ) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user {username!r}.")
        if area:
            where = Area.objects.filter(code=area).first()
            if where is None:
                raise CommandError(f"No area with code {area!r}.")
        else:
            tops = list(Area.objects.filter(parent=None)[:2])
            if len(tops) != 1:
                raise CommandError("Name the area with --area CODE.")
            where = tops[0]
        try:
            grant_admin_duty(user, duty, where)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{username}: {duty} administrator over {where.code} {where.name}.")
