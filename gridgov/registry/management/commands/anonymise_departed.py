import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone

from gridgov.registry.actions import anonymise
from gridgov.registry.choices import PersonStatus
from gridgov.registry.models import Person


class Command(BaseCommand):
    help = (
        "Anonymise people who moved out or died more than DAYS ago: names, ID numbers, phones, "
        "religion, health, house and special-group details go; grid, status, sex, birth year, "
        "ethnicity and registration stay, so aggregate counts do not change."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--older-than", type=int, required=True, metavar="DAYS")

    def handle(self, *args: Any, older_than: int, **options: Any) -> None:
        if older_than < 0:
            raise CommandError("--older-than must be 0 or more days.")
        cutoff = timezone.localdate() - dt.timedelta(days=older_than)
        people = Person.objects.filter(
            status__in=[PersonStatus.MOVED_OUT, PersonStatus.DECEASED],
            left_on__lt=cutoff,
            anonymised_at__isnull=True,
        )
        before = dict(
            Person.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
        )
        count = 0
        for person in people.iterator(chunk_size=500):
            anonymise(person)
            count += 1
        after = dict(
            Person.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n")
        )
        if before != after:
            raise CommandError(f"Counts changed while anonymising: {before} → {after}.")
        self.stdout.write(f"Anonymised {count} people who left before {cutoff}.")
