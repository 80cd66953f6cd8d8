"""Hostile uploads for photos and voice messages, built at test time (nothing binary committed).

Each sample says what it is and what must happen to it: refused with a message (nothing stored),
or accepted and neutralised (the display copy holds pixels only; the name is never used)."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from io import BytesIO

from PIL import Image

SCRIPT = b"<script>alert(document.cookie)</script>"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x90" * 400


@dataclass(frozen=True)
class Sample:
    id: str
    field: str  # "photos" or "voice"
    name: str
    content: bytes
    content_type: str
    refused: str = ""  # the message (zh-Hans) a refusal contains; "" = accepted and neutralised


def jpeg(size: tuple[int, int] = (64, 48), **save: object) -> bytes:
    buffer = BytesIO()
    Image.new("RGB", size, (40, 120, 200)).save(buffer, "JPEG", **save)
    return buffer.getvalue()


def noisy_jpeg(size: tuple[int, int] = (320, 240)) -> bytes:
    """A JPEG whose entropy-coded data is long enough to cut in the middle."""
    import random

    rng = random.Random(8)
    pixels = bytes(rng.randrange(256) for _ in range(size[0] * size[1] * 3))
    image = Image.frombytes("RGB", size, pixels)
    buffer = BytesIO()
    image.save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def polyglot() -> bytes:
    """A valid JPEG that is also an HTML page: a comment segment, an APP segment and trailing
    bytes after the end-of-image marker all carry a script."""
    body = jpeg(comment=b"<html>" + SCRIPT)
    app15 = b"\xff\xef" + struct.pack(">H", len(SCRIPT) + 2) + SCRIPT
    return body[:2] + app15 + body[2:] + b"<html><body>" + SCRIPT + b"</body></html>"


def huge_exif() -> bytes:
    """A JPEG whose EXIF fills a whole APP1 segment (~64 KB of description and camera text)."""
    exif = Image.Exif()
    exif[0x010E] = "A" * 60_000 + SCRIPT.decode()  # ImageDescription
    exif[0x010F] = "EvilCam"
    return jpeg(exif=exif)


def huge_exif_png() -> bytes:
    """A PNG whose eXIf chunk holds 5 MB of description (PNG has no 64 KB segment limit)."""
    exif = Image.Exif()
    exif[0x010E] = "A" * 5_000_000 + SCRIPT.decode()
    exif[0x010F] = "EvilCam"
    buffer = BytesIO()
    Image.new("RGB", (64, 48), (90, 90, 200)).save(buffer, "PNG", exif=exif)
    return buffer.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def bomb_png(width: int, height: int) -> bytes:
    """A few kilobytes that claim width × height pixels (greyscale, one bit each)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * (1 + (width + 7) // 8) * 64, 9)  # only the first rows
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", rows)
        + _png_chunk(b"IEND", b"")
    )


SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)

NOT_A_PHOTO = "不是照片"
DAMAGED = "已损坏或不完整"
TOO_MANY_PIXELS = "百万像素"
NOT_VOICE = "不是可播放的语音"
NOT_AUDIO = "无法识别为音频"


def samples() -> list[Sample]:
    truncated = noisy_jpeg()
    return [
        Sample("polyglot-jpeg-html", "photos", "polyglot.jpg", polyglot(), "image/jpeg"),
        Sample("svg-renamed-jpg", "photos", "photo.jpg", SVG, "image/jpeg", NOT_A_PHOTO),
        Sample("html-as-jpg", "photos", "a.jpg", b"<html>" + SCRIPT, "image/jpeg", NOT_A_PHOTO),
        Sample(
            "bomb-png-900-megapixels",
            "photos",
            "bomb.png",
            bomb_png(30_000, 30_000),
            "image/png",
            TOO_MANY_PIXELS,
        ),
        Sample(
            "bomb-png-64-megapixels",
            "photos",
            "bomb.png",
            bomb_png(8_000, 8_000),
            "image/png",
            TOO_MANY_PIXELS,
        ),
        Sample(
            "truncated-jpeg",
            "photos",
            "cut.jpg",
            truncated[: len(truncated) * 6 // 10],
            "image/jpeg",
            DAMAGED,
        ),
        Sample("huge-exif-jpeg", "photos", "exif.jpg", huge_exif(), "image/jpeg"),
        Sample("huge-exif-png", "photos", "exif.png", huge_exif_png(), "image/png"),
        Sample("elf-renamed-jpg", "photos", "photo.jpg", ELF, "image/jpeg", NOT_A_PHOTO),
        Sample("dotdot-name", "photos", "../../../etc/cron.d/x.jpg", jpeg(), "image/jpeg"),
        Sample("rtl-override-name", "photos", "photo\u202egpj.exe", jpeg(), "image/jpeg"),
        Sample("rtl-name-refused", "photos", "cv\u202egpj.exe", ELF, "image/jpeg", NOT_A_PHOTO),
        Sample("elf-renamed-webm", "voice", "voice.webm", ELF, "audio/webm", NOT_VOICE),
        Sample(
            "elf-with-webm-magic",
            "voice",
            "voice.webm",
            b"\x1aE\xdf\xa3" + ELF,
            "audio/webm",
            NOT_AUDIO,
        ),
        Sample("dotdot-voice-name", "voice", "..\\..\\voice.webm", ELF, "audio/webm", NOT_VOICE),
    ]
