"""Excel in and out for the people registry (domain.md §9: community offices live in Excel).

The template's headers are in Chinese, as the offices use them. Reading checks the file is a
real .xlsx (an .xls or a CSV renamed .xlsx is named as such), that the header row is the
template's, and bounds the rows. Writing goes through `core.spreadsheets` (formula-safe
cells, the export stamp).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.reader.excel import ExcelReader

from gridgov.core.spreadsheets import safe_cell, styled_header, watermark, workbook_bytes

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


class SheetError(ValueError):
    """The file as a whole cannot be read: wrong type, wrong template, too many rows."""


@dataclass(frozen=True)
class ArchiveLimits:
    """Bounds on what an .xlsx (a zip) may unpack to, checked before any XML is parsed.

    A 20,000-row people file written by openpyxl unpacks to ~16 MB at a ratio of ~14:1; a zip
    bomb (1 MB of zip, 1 GB of spaces) has a ratio near 1000:1.
    """

    total_bytes: int
    member_bytes: int
    ratio: int
    members: int

    @classmethod
    def from_settings(cls) -> ArchiveLimits:
        return cls(
            total_bytes=settings.REGISTRY_IMPORT_MAX_UNPACKED_BYTES,
            member_bytes=settings.REGISTRY_IMPORT_MAX_PART_BYTES,
            ratio=settings.REGISTRY_IMPORT_MAX_RATIO,
            members=settings.REGISTRY_IMPORT_MAX_PARTS,
        )


# Parts this small are not ratio-checked one by one (a tiny styles part compresses well).
_RATIO_FLOOR = 1024 * 1024


def _sniff(data: bytes) -> None:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SheetError(_("This is an old Excel 97–2003 (.xls) file: save it as .xlsx first."))
    if not data.startswith(b"PK"):
        if _looks_like_text(data[:4096]):
            raise SheetError(
                _("This is not an Excel .xlsx file (it looks like text or CSV): use the template.")
            )
        raise SheetError(_("This is not an Excel .xlsx file: use the template."))


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _unreadable(error: Exception) -> SheetError:
    """A reading failure, in the user's words (the library's English text is no help)."""
    if isinstance(error, SheetError):
        return error
    if isinstance(error, (zipfile.BadZipFile, zlib.error, EOFError)):
        return SheetError(_("The file is damaged or not an .xlsx file."))
    return SheetError(
        _(
            "The workbook cannot be read (it is damaged or was not saved by Excel): open it in "
            "Excel, save it as .xlsx and upload it again."
        )
    )


def _unsafe_name(name: str) -> bool:
    """A part name that climbs out of the archive or hides its real spelling."""
    parts = name.replace("\\", "/").split("/")
    return (
        name.startswith("/")
        or "\\" in name
        or ":" in parts[0]
        or ".." in parts
        or any(unicodedata.category(ch) in ("Cc", "Cf") for ch in name)
    )


def check_archive(data: bytes, limits: ArchiveLimits) -> None:
    """Check the zip's central directory: part count, names, unpacked sizes and compression
    ratio, and that it is a workbook. Nothing is decompressed here. Raises SheetError."""
    _sniff(data)
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise SheetError(_("The file is damaged or not an .xlsx file.")) from error
    if len(infos) > limits.members:
        raise SheetError(
            _("The file holds %(n)d parts; an Excel workbook has far fewer. It is refused.")
            % {"n": len(infos)}
        )
    if any(_unsafe_name(info.filename) for info in infos):
        raise SheetError(
            _(
                "The file holds a part with an unsafe name (a path out of the file or hidden "
                "direction characters). It is refused: save the workbook again from Excel."
            )
        )
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    ratios = [total / max(packed, 1)] + [
        i.file_size / max(i.compress_size, 1) for i in infos if i.file_size > _RATIO_FLOOR
    ]
    if max(ratios) > limits.ratio:
        raise SheetError(
            _(
                "The file is compressed %(ratio)d times, far more than a real workbook (a "
                "possible zip bomb). It is refused."
            )
            % {"ratio": int(max(ratios))}
        )
    too_big = total > limits.total_bytes or any(i.file_size > limits.member_bytes for i in infos)
    if too_big:
        raise SheetError(
            _(
                "The file unpacks to %(size)d MB; at most %(limit)d MB can be imported. Split "
                "the file."
            )
            % {"size": total // 1048576, "limit": limits.total_bytes // 1048576}
        )
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise SheetError(_("This zip file is not an Excel workbook."))


class _BoundedStream(io.RawIOBase):
    """A part being read, refused once it yields more than its budget: the central directory
    can lie about sizes, so the bound holds while reading too."""

    def __init__(self, raw: IO[bytes], budget: int) -> None:
        super().__init__()
        self._raw = raw
        self._left = budget

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer)
        data = self._raw.read(min(len(view), self._left + 1))
        self._left -= len(data)
        if self._left < 0:
            raise SheetError(
                _("The file unpacks to more than it declares: it is damaged or hostile.")
            )
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


class BoundedZipFile(zipfile.ZipFile):
    """A ZipFile whose parts can each yield at most their declared size and the part limit
    (whose sum check_archive() has bounded)."""

    def __init__(self, data: bytes, limits: ArchiveLimits) -> None:
        super().__init__(io.BytesIO(data))
        self._limits = limits

    def open(self, name: Any, mode: Any = "r", *args: Any, **kwargs: Any) -> Any:
        stream = super().open(name, mode, *args, **kwargs)
        if mode != "r":
            return stream
        info = name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name)
        budget = min(info.file_size, self._limits.member_bytes)
        return io.BufferedReader(_BoundedStream(stream, budget))


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
        raise _unreadable(error) from error
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
        raise _unreadable(error) from error
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
            raise _unreadable(error) from error

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
