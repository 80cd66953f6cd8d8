"""The .xlsx container, checked before any XML is parsed (issue 8, item 6).

An .xlsx is a zip: a 1 MB upload can unpack to 1 GB. check_archive() reads only the central
directory (part count, names, unpacked sizes, compression ratio); BoundedZipFile then serves
each part through a stream that stops at the part's declared size, since the directory is the
file's own claim. A 20,000-row people file unpacks to ~16 MB at ~14:1.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _


class SheetError(ValueError):
    """The file as a whole cannot be read: wrong type, wrong template, too many rows."""


@dataclass(frozen=True)
class ArchiveLimits:
    """Bounds on what an .xlsx may unpack to (settings REGISTRY_IMPORT_MAX_*). A zip bomb of
    1 MB of zip and 1 GB of spaces has a ratio near 1000:1; real workbooks stay under 20:1."""

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


def unreadable(error: Exception) -> SheetError:
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
