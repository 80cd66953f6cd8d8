"""The PDFs' stylesheet under collected static files (demo, production): the template asks for
the hashed name (print.<hash>.css), which no finder knows, so the fetcher must fall back to the
collected storage. A finder that answered None made `finders.find` return [None] (truthy) and
every PDF of the demo came out without its stylesheet (no signature lines, no seal circle)."""

from __future__ import annotations

from pathlib import Path

from django.contrib.staticfiles import finders

from gridgov.core import pdf

PRINT_CSS = Path(__file__).resolve().parents[2] / "gridgov" / "static" / "gridgov" / "print.css"


def test_a_name_no_finder_knows_is_not_found():
    assert not finders.find("gridgov/print.0123456789ab.css")


def test_the_fetcher_reads_a_hashed_name_from_the_collected_storage(monkeypatch):
    hashed = "gridgov/print.0123456789ab.css"

    class Collected:
        def exists(self, name: str) -> bool:
            return name == hashed

        def path(self, name: str) -> str:
            assert name == hashed
            return str(PRINT_CSS)

    monkeypatch.setattr(pdf, "staticfiles_storage", Collected())
    url = pdf.BASE_URL.rstrip("/") + "/static/" + hashed
    response = pdf.StaticOnlyFetcher().fetch(url)
    body = getattr(response, "body", None) or response.read()
    assert b".pdf-sign-line" in body
