from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from gridgov.geo.choices import AreaKind
from gridgov.geo.importers import GridImportError, import_grids
from gridgov.geo.models import Area
from gridgov.registry.placement import place_buildings


class Command(BaseCommand):
    help = "Import grid boundaries from a GeoJSON FeatureCollection into a community."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="GeoJSON FeatureCollection (WGS-84)")
        parser.add_argument("--community", required=True, help="the community's 12-digit code")

    def handle(self, *args: Any, file: Path, community: str, **options: Any) -> None:
        target = Area.objects.filter(code=community, kind=AreaKind.COMMUNITY).first()
        if target is None:
            raise CommandError(_("No community has the code %(code)s.") % {"code": community})
        try:
            raw = file.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            ) from None
        try:
            with transaction.atomic():
                result = import_grids(raw, community=target)
                placed = place_buildings()
        except GridImportError as error:
            raise CommandError(
                _("Nothing was imported. Problems:") + "\n" + "\n".join(error.problems)
            ) from None
        self.stdout.write(
            _(
                "Imported %(created)s new and %(updated)s updated grids into %(community)s; "
                "%(placed)s buildings changed grid."
            )
            % {
                "created": len(result.created),
                "updated": len(result.updated),
                "community": target.name,
                "placed": placed,
            }
        )
