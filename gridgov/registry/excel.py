"""Excel in and out for the people registry (domain.md §9: community offices live in Excel).

The template's headers are in Chinese, as the offices use them. Reading checks the file is a
real .xlsx within bounds (`xlsx_archive`: an .xls or a CSV renamed .xlsx is named as such, a zip
bomb refused before parsing), that the header row is the template's, and bounds the rows; the
rows are then read once, streaming. Writing goes through `core.spreadsheets` (formula-safe
cells, the export stamp).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.reader.excel import ExcelReader

from gridgov.core.spreadsheets import safe_cell, styled_header, watermark, workbook_bytes
from gridgov.registry.xlsx_archive import (
    ArchiveLimits,
    BoundedZipFile,
    SheetError,
    check_archive,
    unreadable,
)

# Template column header → field of PersonInput, in order. Required columns first.
PEOPLE_COLUMNS: list[tuple[str, str]] = [
    ("姓名", "name"),
    ("公民身份号码", "id_number"),
    ("楼栋编号", "building"),
    ("单元", "unit"),
    ("房号", "house_number"),
    ("手机号码", "phone"),
    ("性别", "sex"),
    ("出生日期", "birth_date"),
    ("民族", "ethnicity"),
    ("户籍类型", "registration"),
    ("户号", "household_number"),
    ("与户主关系", "relation"),
    ("宗教信仰", "religion"),
    ("健康状况", "health"),
]
REQUIRED_COLUMNS = {"姓名", "公民身份号码", "楼栋编号", "单元", "房号"}
# The optional houses sheet: house facts that the people sheet does not carry.
HOUSE_COLUMNS: list[tuple[str, str]] = [
    ("楼栋编号", "building"),
    ("单元", "unit"),
    ("房号", "house_number"),
    ("楼层", "floor"),
    ("用途", "use"),
    ("是否出租", "rented"),
    ("产权人", "owner_name"),
]
HOUSE_REQUIRED = {"楼栋编号", "单元", "房号"}
HOUSE_SHEET_TITLE = "房屋"
HOUSE_FIELD_TO_HEADER = {field: header for header, field in HOUSE_COLUMNS}
FIELD_TO_HEADER = {field: header for header, field in PEOPLE_COLUMNS}
SHEET_TITLE = "实有人口"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


@dataclass(frozen=True)
class SheetSpec:
    title: str
    columns: list[tuple[str, str]]  # header → field
    required: frozenset[str]
    kind: str  # how the template is named in messages


PEOPLE_SHEET = SheetSpec(SHEET_TITLE, PEOPLE_COLUMNS, frozenset(REQUIRED_COLUMNS), "people")
HOUSE_SHEET = SheetSpec(HOUSE_SHEET_TITLE, HOUSE_COLUMNS, frozenset(HOUSE_REQUIRED), "houses")
Rows = Iterator[tuple[int, dict]]


@dataclass
class Sheets:
    """An opened workbook: iterators over the data rows of both sheets (read once, streamed)
    and the people sheet's declared row count (None when the file does not declare it)."""

    people: Rows
    houses: Rows
    declared_rows: int | None


def read_workbook(data: bytes, *, max_rows: int, limits: ArchiveLimits | None = None) -> Sheets:
    """Check the archive (sizes, ratio, names) and both sheets' headers and declared sizes;
    return the sheets' data rows as iterators of (row number, {field: text}) over the non-empty
    rows, read in streaming mode: nothing past the header row is parsed until iterated.
    Raises SheetError (also while iterating)."""
    limits = limits or ArchiveLimits.from_settings()
    check_archive(data, limits)
    try:
        reader = ExcelReader(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        reader.archive.close()
        reader.archive = BoundedZipFile(data, limits)
        reader.read()
        book = reader.wb
    except Exception as error:  # openpyxl raises many kinds for a broken file
        raise unreadable(error) from error
    people_sheet = book[SHEET_TITLE] if SHEET_TITLE in book.sheetnames else book.worksheets[0]
    people, declared = _read_sheet(people_sheet, PEOPLE_SHEET, max_rows)
    houses: Rows = iter(())
    if HOUSE_SHEET_TITLE in book.sheetnames:
        houses, _declared = _read_sheet(book[HOUSE_SHEET_TITLE], HOUSE_SHEET, max_rows)
    return Sheets(people, houses, declared)


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")


def _count_rows(sheet: Any) -> int:
    """The <row> elements of a sheet, counted by scanning its bytes (no XML parsing; memory
    bounded by the chunk size). Empty rows count too: it is an upper bound."""
    found = 0
    tail = b""
    with sheet._get_source() as source:  # openpyxl's own (bounded) stream of the sheet part
        while chunk := source.read(1 << 20):
            window = tail + chunk
            # A tag may straddle two chunks: those starting in the last bytes wait for the next.
            cut = max(len(window) - 64, 0)
            found += sum(1 for match in _ROW_TAG.finditer(window) if match.start() < cut)
            tail = window[cut:]
    return found + len(_ROW_TAG.findall(tail))


def check_workbook(data: bytes, *, max_rows: int) -> None:
    """What the upload request checks before queueing: the archive, the headers and the declared
    row counts. The data rows are left to the import task, which reads them once."""
    read_workbook(data, max_rows=max_rows)


def _read_sheet(sheet: Any, spec: SheetSpec, max_rows: int) -> tuple[Rows, int | None]:
    header_to_field = dict(spec.columns)
    try:
        declared = sheet.max_row - 1 if sheet.max_row is not None else None
        if declared is None:  # files written in streaming mode declare no size: count the rows
            declared = _count_rows(sheet) - 1
        # openpyxl stops at the declared size: forget it so that no row is silently skipped.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(values_only=True)
        header = [_text(v) for v in next(rows, ())]
    except Exception as error:
        raise unreadable(error) from error
    while header and not header[-1]:
        header.pop()
    unknown = [h for h in header if h and h not in header_to_field]
    missing = sorted(spec.required - set(header), key=list(header_to_field).index)
    if unknown or missing:
        parts = []
        if missing:
            parts.append(_("missing columns: %(cols)s") % {"cols": "、".join(missing)})
        if unknown:
            parts.append(_("unknown columns: %(cols)s") % {"cols": "、".join(unknown)})
        message = (
            _("This is not the people template (%(problems)s).")
            if spec.kind == "people"
            else _("The sheet 房屋 is not the houses template (%(problems)s).")
        )
        raise SheetError(
            (message + " " + _("Download the template and copy your data into it."))
            % {"problems": "; ".join(parts)}
        )
    if declared is not None and declared > max_rows:
        raise SheetError(
            _(
                "The sheet has %(n)d rows; at most %(max)d rows can be imported at once. Split "
                "the file."
            )
            % {"n": declared, "max": max_rows}
        )
    fields = [header_to_field.get(h, "") for h in header]

    def records() -> Rows:
        try:
            yield from _records()
        except Exception as error:  # a damaged sheet found part-way through
            raise unreadable(error) from error

    def _records() -> Rows:
        count = 0
        for number, row in enumerate(rows, start=2):
            if not any(v not in (None, "") for v in row):
                continue
            count += 1
            if count > max_rows:
                raise SheetError(
                    _("At most %(max)d rows can be imported at once. Split the file.")
                    % {"max": max_rows}
                )
            values: dict[str, Any] = {}
            for field, value in zip(fields, row, strict=False):
                if not field:
                    continue
                if field in ("id_number", "phone") and isinstance(value, (int, float)):
                    # Excel keeps 15 significant digits: an ID typed as a number has lost digits.
                    values[field] = ("__number__", _text(value))
                else:
                    values[field] = _text(value)
            yield number, values

    return records(), declared


def people_template() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET_TITLE
    styled_header(sheet, [h for h, _f in PEOPLE_COLUMNS])
    for column in range(1, len(PEOPLE_COLUMNS) + 1):
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = 16
        # Text format so that ID and phone numbers keep every digit.
        for row in range(2, 1002):
            sheet.cell(row=row, column=column).number_format = "@"
    houses = book.create_sheet(HOUSE_SHEET_TITLE)
    styled_header(houses, [h for h, _f in HOUSE_COLUMNS])
    for column in range(1, len(HOUSE_COLUMNS) + 1):
        houses.column_dimensions[houses.cell(row=1, column=column).column_letter].width = 14
    notes = book.create_sheet("填写说明")
    lines = [
        _("One person per row. Required columns: 姓名, 公民身份号码, 楼栋编号, 单元, 房号."),
        _(
            "公民身份号码: 18 characters (15-digit old numbers are converted). "
            "Keep the column as text."
        ),
        _("性别 and 出生日期 may be left empty: they are read from the ID number."),
        _(
            "户籍类型: 户籍 or 流动. "
            "与户主关系: 户主, 配偶, 子女, 父母, 孙子女, 祖父母, 兄弟姐妹, 其他."
        ),
        _("楼栋编号 is the building code shown in the registry; a new house number is added."),
        _(
            "Sheet 房屋 (optional): one house per row; 用途: 住宅, 商铺, 办公, 空置, 其他; "
            "是否出租: 是 or 否. Houses are saved before the people."
        ),
    ]
    for row, line in enumerate(lines, start=1):
        notes.cell(row=row, column=1, value=line)
    notes.column_dimensions["A"].width = 110
    return workbook_bytes(book)


def problems_report(problems: list[dict[str, Any]], stamp: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "导入问题"
    styled_header(sheet, [_("Row"), _("Column"), _("Value (masked)"), _("Problem")])
    for item in problems:
        sheet.append([safe_cell(item[k]) for k in ("row", "column", "value", "message")])
    for letter, width in zip("ABCD", (8, 16, 24, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    watermark(sheet, stamp)
    return workbook_bytes(book)
