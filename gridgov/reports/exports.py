"""A report as a workbook (one sheet per table, numbers as numbers) and as a PDF (the page's
content in print layout, charts as inline SVG, through `gridgov.core.pdf.render_pdf`)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from gridgov.core.spreadsheets import safe_cell, styled_header, watermark, workbook_bytes
from gridgov.reports.models import ActionItem, MeetingNote, Report
from gridgov.reports.present import page_context, tables

_BAD_SHEET_CHARS = str.maketrans({c: " " for c in "[]:*?/\\"})


def workbook(report: Report, stamp: str) -> bytes:
    """One sheet per table: the stamp, the report's title, the header row, then the rows."""
    book = Workbook()
    book.remove(book.active)
    title = f"{report.get_kind_display()} · {report.area.name} · {report.period}"
    for table in tables(report.content):
        sheet = book.create_sheet(table.title.translate(_BAD_SHEET_CHARS)[:31])
        sheet.cell(row=1, column=1, value=stamp).font = Font(italic=True, color="9B1C1C")
        sheet.cell(row=2, column=1, value=title).font = Font(bold=True)
        styled_header(sheet, table.headers, row=3)
        for row in table.rows:
            sheet.append([safe_cell(v) for v in row])
        sheet.freeze_panes = "A4"
        for column, width in zip("ABCDEFG", (22, 30, 14, 14, 14, 14, 16), strict=False):
            sheet.column_dimensions[column].width = width
        watermark(sheet, stamp)
    if not book.sheetnames:
        book.create_sheet(_("Report"))
    return workbook_bytes(book)


def pdf(report: Report, *, request: HttpRequest | None = None, stamp: str = "") -> bytes:
    # Imported on use: importing WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole
    # process, which would let truncated photos through the upload checks (tests/hostile).
    from gridgov.core.pdf import render_pdf

    context: dict[str, Any] = {
        "report": report,
        "c": report.content,
        "stamp": stamp,
        "pdf": True,
        "notes": MeetingNote.objects.filter(area=report.area, period=report.period),
        "items": ActionItem.objects.filter(area=report.area, period=report.period).select_related(
            "owner"
        ),
        **page_context(report.content),
    }
    return render_pdf("reports/pdf.html", context, request=request)
