from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from gridgov.geo.lookup import grid_id_at
from gridgov.geo.models import Area


class Command(BaseCommand):
    help = "Print the grid that contains a WGS-84 point, or say that none does."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("lat", type=float, help="latitude, WGS-84 (e.g. 42.77)")
        parser.add_argument("lon", type=float, help="longitude, WGS-84 (e.g. 129.42)")

    def handle(self, *args: Any, lat: float, lon: float, **options: Any) -> None:
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            self.stderr.write(_("Latitude must be within ±90 and longitude within ±180."))
            raise SystemExit(2)
        grid_id = grid_id_at(lat, lon)
        if grid_id is None:
            self.stdout.write(_("No grid contains %(lat)s, %(lon)s.") % {"lat": lat, "lon": lon})
            raise SystemExit(1)
        grid = Area.objects.select_related("parent").get(pk=grid_id)
        self.stdout.write(f"{grid.code} {grid.name} ({grid.parent.name if grid.parent else ''})")
