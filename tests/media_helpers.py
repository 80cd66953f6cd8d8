"""Generated media for tests: JPEGs with EXIF GPS and orientation, WAV recordings."""

from __future__ import annotations

import math
import struct
import wave
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


def jpeg_with_gps(
    lat: float, lon: float, *, size=(64, 32), orientation: int = 6, name: str = "gps.jpg"
) -> SimpleUploadedFile:
    """A JPEG whose EXIF says where it was taken and that it must be turned 90°."""
    image = Image.new("RGB", size, (200, 60, 60))
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "TestCam"  # camera make: personal-ish metadata that must not survive
    gps = exif.get_ifd(0x8825)
    gps[1], gps[3] = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
    gps[2] = _dms(abs(lat))
    gps[4] = _dms(abs(lon))
    buffer = BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60, 4)
    return (float(degrees), float(minutes), seconds)


def wav(seconds: float, *, name: str = "voice.wav", rate: int = 8000) -> SimpleUploadedFile:
    """A mono 16-bit WAV with a 440 Hz tone."""
    buffer = BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = b"".join(
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * n / rate)))
            for n in range(int(seconds * rate))
        )
        out.writeframes(frames)
    return SimpleUploadedFile(name, buffer.getvalue(), "audio/wav")


def browser_webm(seconds: float = 2.0, name: str = "voice.webm") -> SimpleUploadedFile:
    """A WebM/Opus stream like MediaRecorder makes: no duration in its header."""
    import subprocess

    from gridgov.cases.media import ffmpeg

    result = subprocess.run(
        [
            ffmpeg(),
            "-hide_banner",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency=440:duration={seconds}",
            "-c:a",
            "libopus",
            "-f",
            "webm",
            "pipe:1",
        ],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return SimpleUploadedFile(name, result.stdout, "audio/webm")


def photo_as(fmt: str, *, size=(48, 32), name: str = "") -> SimpleUploadedFile:
    """A small photo saved by Pillow (HEIC through pillow-heif) in the given format."""
    if fmt == "HEIF":
        from pillow_heif import register_heif_opener

        register_heif_opener()
    extension = {"JPEG": "jpg", "HEIF": "heic"}.get(fmt, fmt.lower())
    buffer = BytesIO()
    Image.new("RGB", size, (30, 160, 90)).save(buffer, fmt)
    return SimpleUploadedFile(name or f"photo.{extension}", buffer.getvalue(), f"image/{extension}")
