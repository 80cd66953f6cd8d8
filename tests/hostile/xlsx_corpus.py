"""Hostile .xlsx uploads, generated in code (nothing large is committed).

Each maker returns the bytes of one file that the registry import must refuse with a message,
storing nothing. The zip bomb is assembled by hand from one compressed block repeated, so making
it costs ~1 s and ~2 MB, while it declares (and would unpack to) 1 GiB of spaces in a sheet.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib

from PIL import Image

from tests.registry_helpers import workbook

GIB = 1024**3
_CHUNK = 1024 * 1024


def _xlsx_parts() -> dict[str, bytes]:
    """The parts of a small, valid people workbook."""
    archive = zipfile.ZipFile(io.BytesIO(workbook([["张三", "110105194912310029"]])))
    return {name: archive.read(name) for name in archive.namelist()}


def _with_parts(extra: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in {**_xlsx_parts(), **extra}.items():
            archive.writestr(name, data)
    return out.getvalue()


def _raw_deflate(data: bytes) -> bytes:
    """A byte-aligned, non-final deflate segment that needs no earlier history."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


def _zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip from (name, deflated bytes, crc32, unpacked size) members, written by hand."""
    out = io.BytesIO()
    central = io.BytesIO()
    for name, packed, crc, size in members:
        encoded = name.encode()
        offset = out.tell()
        # Version 2.0, UTF-8 names, deflated, a fixed date (1980-01-01).
        common = (0x800, 8, 0, 0x21, crc, len(packed), size, len(encoded), 0)
        out.write(struct.pack("<I5H3I2H", 0x04034B50, 20, *common) + encoded + packed)
        central.write(
            struct.pack("<I6H3I5H2I", 0x02014B50, 20, 20, *common, 0, 0, 0, 0, offset) + encoded
        )
    start = out.tell()
    directory = central.getvalue()
    out.write(directory)
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), start, 0
        )
    )
    return out.getvalue()


@functools.cache
def zip_bomb(spaces: int = GIB) -> bytes:
    """A workbook whose sheet is one cell of `spaces` spaces (1 GiB by default), ~1 MB zipped."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        b'.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    )
    tail = b"</t></is></c></row></sheetData></worksheet>"
    block = b" " * _CHUNK
    segment = _raw_deflate(block)
    crc = zlib.crc32(head)
    for _ in range(spaces // _CHUNK):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    packed = (
        _raw_deflate(head)
        + segment * (spaces // _CHUNK)
        + _raw_deflate(tail)
        + zlib.compressobj(9, zlib.DEFLATED, -15).flush()
    )
    members = []
    for name, data in _xlsx_parts().items():
        if name == "xl/worksheets/sheet1.xml":
            members.append((name, packed, crc & 0xFFFFFFFF, len(head) + spaces + len(tail)))
        else:
            members.append((name, _raw_deflate(data) + b"\x03\x00", zlib.crc32(data), len(data)))
    return _zip(members)


def lying_sizes() -> bytes:
    """A workbook whose central directory declares every part to unpack to 10 bytes."""
    members = [
        (name, _raw_deflate(data) + b"\x03\x00", zlib.crc32(data), 10)
        for name, data in _xlsx_parts().items()
    ]
    return _zip(members)


def old_xls() -> bytes:
    """An Excel 97–2003 file's start: the Compound File Binary header (512-byte sector)."""
    magic = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header = magic + b"\x00" * 16 + struct.pack("<HHHH", 0x3E, 3, 0xFFFE, 9)
    return header.ljust(512, b"\x00") + b"\xff" * 512


def csv_file() -> bytes:
    return "姓名,公民身份号码,楼栋编号,单元,房号\n张三,110105194912310029,B-A1,1,101\n".encode()


def jpeg_file() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(out, "JPEG")
    return out.getvalue()


def plain_zip() -> bytes:
    """A zip holding a text file: not a workbook."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return out.getvalue()


def climbing_part() -> bytes:
    """A real workbook carrying a part named to escape the folder it is unpacked into."""
    return _with_parts({"../../etc/cron.d/gridgov": b"* * * * * root sh -c id\n"})


def reversed_part() -> bytes:
    """A real workbook with a part name hiding its spelling behind U+202E (RIGHT-TO-LEFT
    OVERRIDE): "xl/media/\u202egnp.exe" shows as "xl/media/exe.png"."""
    return _with_parts({"xl/media/\u202egnp.exe": b"MZ\x90\x00"})


def many_parts(count: int = 5000) -> bytes:
    return _with_parts({f"xl/media/p{n}.bin": b"" for n in range(count)})


def entity_bomb() -> bytes:
    """A workbook whose shared strings expand nested entities ("billion laughs")."""
    entities = '<!ENTITY a0 "hahahahahahahahahaha">' + "".join(
        f'<!ENTITY a{n} "{("&a" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    )
    sheet = (
        f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]><worksheet xmlns="http://'
        'schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" '
        't="inlineStr"><is><t>&a9;</t></is></c></row></sheetData></worksheet>'
    )
    return _with_parts({"xl/worksheets/sheet1.xml": sheet.encode()})


def external_entity() -> bytes:
    """A workbook whose cell names a file on the server as an external entity (XXE)."""
    sheet = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>&secret;</t></is></c></row></sheetData>'
        "</worksheet>"
    )
    return _with_parts({"xl/worksheets/sheet1.xml": sheet.encode()})


CORPUS = {
    "zip_bomb": zip_bomb,
    "lying_sizes": lying_sizes,
    "old_xls": old_xls,
    "csv_renamed": csv_file,
    "jpeg_renamed": jpeg_file,
    "plain_zip": plain_zip,
    "climbing_part": climbing_part,
    "reversed_part": reversed_part,
    "many_parts": many_parts,
    "entity_bomb": entity_bomb,
    "external_entity": external_entity,
}
