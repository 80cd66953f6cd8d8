"""Writing Excel (xlsx) downloads, for any app: formula-safe cells, a styled header row, the
"exported by … at …" stamp in the sheet and its print header/footer, and the HTTP response."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """Text that a spreadsheet would treat as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def styled_header(sheet: Worksheet, headers: Iterable[str], row: int = 1) -> None:
    for column, title in enumerate(headers, start=1):
        cell = sheet.cell(row=row, column=column, value=title)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="F3E3E3")


def watermark(sheet: Worksheet, text: str) -> None:
    """Who exported it and when: in the printed header and footer."""
    sheet.oddHeader.center.text = text
    sheet.oddFooter.center.text = text
    sheet.evenHeader.center.text = text
    sheet.evenFooter.center.text = text


def stamp(user: Any) -> str:
    """The watermark text for an export made by `user` now."""
    return _("Exported by %(who)s (%(login)s) at %(when)s — for official use only") % {
        "who": user.full_name or user.username,
        "login": user.username,
        "when": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
    }


def table(title: str, headers: list[str], rows: Iterable[list[Any]], stamp: str) -> bytes:
    """A one-sheet export: the stamp on the first row and in the print header, then the table."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.cell(row=1, column=1, value=stamp).font = Font(italic=True, color="9B1C1C")
    styled_header(sheet, headers, row=2)
    for row in rows:
        sheet.append([safe_cell(v) for v in row])
    sheet.freeze_panes = "A3"
    watermark(sheet, stamp)
    return workbook_bytes(book)


def workbook_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    response["Cache-Control"] = "no-store"
    return response
