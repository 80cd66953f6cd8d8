"""A report as a workbook (one sheet per table, numbers as numbers) and as a PDF (the page's
content in print layout, charts as inline SVG, through `gridgov.core.pdf.render_pdf`).

A PDF takes seconds to render, so `stored_pdf` renders it once per report version and language
and keeps the bytes (`ReportFile`); its stamp names no viewer, so one file serves every reader
(who downloaded what is in the audit log)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.http import HttpRequest
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from gridgov.core.spreadsheets import safe_cell, styled_header, watermark, workbook_bytes
from gridgov.reports.models import ActionItem, ActionItemEvent, MeetingNote, Report, ReportFile
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


def pdf_stamp() -> str:
    """The stamp of a stored PDF: no viewer's name (the download's audit row has it)."""
    return _("For official use only — every download is recorded")


def meeting_key(report: Report) -> str:
    """A fingerprint of what the PDF prints beyond the snapshot: the monthly meeting's
    conclusions and action items (append-only rows; each change of an item writes an event)."""
    if not report.is_monthly:
        return ""
    same = {"area": report.area_id, "period": report.period}
    notes = MeetingNote.objects.filter(**same).aggregate(n=Count("pk"), last=Max("pk"))
    items = ActionItem.objects.filter(**same).aggregate(
        n=Count("pk"), last=Max("pk"), changed=Max("updated_at")
    )
    events = ActionItemEvent.objects.filter(item__area=report.area_id, item__period=report.period)
    last_event = events.aggregate(last=Max("pk"))["last"]
    changed = items["changed"].isoformat() if items["changed"] else ""
    return (
        f"n{notes['n']}.{notes['last'] or 0}-i{items['n']}.{items['last'] or 0}.{changed}"
        f"-e{last_event or 0}"
    )


def stored_pdf(report: Report) -> bytes:
    """The report's PDF in the current language: the stored copy, or rendered once and stored."""
    language = get_language() or ""
    key = meeting_key(report)
    stored = (
        ReportFile.objects.filter(report=report, fmt="pdf", language=language, meeting_key=key)
        .values_list("data", flat=True)
        .first()
    )
    if stored is not None:
        return bytes(stored)
    data = pdf(report, stamp=pdf_stamp())
    try:
        with transaction.atomic():
            ReportFile.objects.update_or_create(
                report=report,
                fmt="pdf",
                language=language,
                defaults={"meeting_key": key, "data": data},
            )
    except IntegrityError:  # another request stored the same file at the same moment
        pass
    return data
