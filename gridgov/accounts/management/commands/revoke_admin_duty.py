from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gridgov.accounts.duties import DUTIES, revoke_admin_duty
from gridgov.accounts.models import User


class Command(BaseCommand):
    help = "End USERNAME's administrator duty (system, security or audit); audited."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("duty", choices=sorted(DUTIES))

    def handle(self, *args: Any, username: str, duty: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        ended = revoke_admin_duty(user, duty)
        if not ended:
            raise CommandError(f"{username} holds no active {duty} administrator duty.")
        self.stdout.write(f"{username}: {duty} administrator duty ended.")
