from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gridgov.cases.categories import DEFAULT_FILE, CategoryFileError, load_categories


class Command(BaseCommand):
    help = "Load or update the case categories from a JSON file (default: the starter list)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            count = load_categories(file.read_bytes())
        except OSError as error:
            raise CommandError(f"{file}: {error.strerror}") from None
        except CategoryFileError as error:
            raise CommandError("\n".join(error.problems)) from None
        self.stdout.write(f"{count} categories loaded from {file.name}.")
