"""A static-files finder for single files of npm packages (never committed, ADR 0018).

Some packages ship tens of megabytes of builds we do not use (ECharts: 51 MB); serving their
whole `dist/` folder would make `collectstatic` copy and compress all of it. `VENDOR_FILES` in
settings names the few files the pages load: static path → file under `node_modules/`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


class VendorFilesFinder(BaseFinder):
    def _files(self) -> dict[str, Path]:
        return {name: Path(path) for name, path in getattr(settings, "VENDOR_FILES", {}).items()}

    def check(self, **kwargs: Any) -> list[Any]:
        return []

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        found = self._files().get(path)
        if found is None or not found.is_file():
            # [] either way, as Django's own finders do: `finders.find` collects a None as a
            # match ([None], truthy), which broke the PDFs' stylesheet lookup under the
            # collected (hashed) static files of the demo and production.
            return []
        return [str(found)] if find_all else str(found)

    def list(self, ignore_patterns: Any) -> Any:
        for name, path in self._files().items():
            if not path.is_file():
                continue
            storage = FileSystemStorage(location=str(path.parent))
            storage.prefix = str(Path(name).parent)  # type: ignore[attr-defined]
            yield path.name, storage
