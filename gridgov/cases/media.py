"""Checks for uploads: photos and voice messages are untrusted (domain.md §8).

A photo must be a real JPEG, PNG, WebP or HEIC image (by content, not by name) within the size
and pixel limits; its EXIF GPS position is read here, before any derivative strips it. A voice
message must be a recording in a format browsers and phones produce (WebM/Ogg Opus, MP4/AAC, AMR,
MP3, WAV), within the size and duration limits. Anything else is refused with a message that names
the file, and nothing is saved.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import unicodedata
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp", "HEIF": "image/heic"}
GPS_IFD = 0x8825


@cache
def _register_heif() -> bool:
    try:
        from pillow_heif import register_heif_opener
    except ImportError:  # HEIC support is optional
        return False
    register_heif_opener()
    return True


class InvalidUpload(ValueError):
    """An upload that is refused; the message names the file and the reason."""


@dataclass(frozen=True)
class CheckedImage:
    file: UploadedFile
    content_type: str
    width: int
    height: int
    gps: tuple[float, float] | None = None  # (lat, lon) from EXIF, WGS-84


@dataclass(frozen=True)
class CheckedVoice:
    file: UploadedFile
    content_type: str
    duration: float


def _name(upload: UploadedFile) -> str:
    """The file's name as safe to show: no folders, no invisible or direction-changing characters
    (a U+202E right-to-left override makes "gpj.exe" read as "exe.jpg"), at most 60 characters."""
    base = re.split(r"[\\/]", upload.name or "")[-1]
    shown = "".join(c for c in base if unicodedata.category(c)[0] != "C")[:60].strip()
    return shown or _("the file")


def _check_size(upload: UploadedFile, limit: int, what: str) -> None:
    if upload.size is not None and upload.size > limit:
        raise InvalidUpload(
            _("%(name)s is %(size)s; %(what)s may be at most %(max)s.")
            % {
                "name": _name(upload),
                "size": filesizeformat(upload.size),
                "what": what,
                "max": filesizeformat(limit),
            }
        )


def check_photo(upload: UploadedFile) -> CheckedImage:
    """Open the photo by content, check its size and pixels from the header, then decode it fully.

    The full decode (within the pixel limit) refuses truncated and corrupt files here, with a
    message, rather than in the background task after the case was saved."""
    _register_heif()
    name = _name(upload)
    _check_size(upload, settings.UPLOAD_MAX_BYTES, _("a photo"))
    not_a_photo = _("%(name)s is not a photo (JPEG, PNG, WebP or HEIC).") % {"name": name}
    upload.seek(0)
    fmt = ""
    try:
        with Image.open(upload, formats=list(FORMATS)) as image:
            fmt = image.format or ""
            width, height = image.size
            _check_pixels(name, width, height)
            image.load()
            gps = _gps(image)
    except InvalidUpload:
        raise
    except Image.DecompressionBombError:
        raise InvalidUpload(_too_many_pixels(name, settings.UPLOAD_MAX_PIXELS + 1)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise InvalidUpload(
            _("%(name)s is damaged or incomplete; take or choose the photo again.") % {"name": name}
            if fmt in FORMATS
            else not_a_photo
        ) from None
    if fmt not in FORMATS:
        raise InvalidUpload(not_a_photo)
    upload.seek(0)
    return CheckedImage(upload, FORMATS[fmt], width, height, gps)


def _too_many_pixels(name: str, pixels: int) -> str:
    return _("%(name)s has %(mp).0f megapixels; at most %(max).0f are accepted.") % {
        "name": name,
        "mp": pixels / 1e6,
        "max": settings.UPLOAD_MAX_PIXELS / 1e6,
    }


def _check_pixels(name: str, width: int, height: int) -> None:
    if width * height > settings.UPLOAD_MAX_PIXELS:
        raise InvalidUpload(_too_many_pixels(name, width * height))


def check_photos(uploads: list[UploadedFile]) -> list[CheckedImage]:
    """Check a set of photos (at most CASE_MAX_PHOTOS); the first bad one refuses them all."""
    if len(uploads) > settings.CASE_MAX_PHOTOS:
        raise InvalidUpload(too_many_photos(len(uploads)))
    return [check_photo(upload) for upload in uploads]


def too_many_photos(count: int) -> str:
    return _("You chose %(count)s photos; at most %(n)s can be attached. Remove %(extra)s.") % {
        "count": count,
        "n": settings.CASE_MAX_PHOTOS,
        "extra": count - settings.CASE_MAX_PHOTOS,
    }


def _gps(image: Image.Image) -> tuple[float, float] | None:
    """The EXIF GPS position as WGS-84 (lat, lon), or None if absent or nonsense."""
    try:
        info = image.getexif().get_ifd(GPS_IFD)
    except (AttributeError, KeyError, ValueError, OSError):
        return None
    try:
        lat = _degrees(info[2], info.get(1, "N"), "S")
        lon = _degrees(info[4], info.get(3, "E"), "W")
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return round(lat, 7), round(lon, 7)


def _degrees(dms: tuple, ref: str, negative: str) -> float:
    d, m, s = (float(v) for v in dms)
    value = d + m / 60 + s / 3600
    return -value if str(ref).upper().startswith(negative) else value


# Voice -----------------------------------------------------------------------------------------


def _voice_type(head: bytes) -> str | None:
    if head.startswith(b"\x1aE\xdf\xa3"):
        return "audio/webm"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head[4:8] == b"ftyp":
        return "audio/mp4"
    if head.startswith(b"#!AMR"):
        return "audio/amr"
    if head.startswith(b"ID3") or head[:2] in (b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"):
        return "audio/mpeg"
    if head.startswith(b"RIFF") and head[8:12] == b"WAVE":
        return "audio/wav"
    return None


def ffmpeg() -> str:
    """The ffmpeg executable: the system one if installed, else the one imageio-ffmpeg ships."""
    import shutil

    found = shutil.which("ffmpeg")
    if found:
        return found
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


_DURATION = re.compile(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)")
_DECODED = re.compile(r"time=(\d+):(\d\d):(\d\d(?:\.\d+)?)")


def _seconds(match: re.Match[str]) -> float:
    hours, minutes, seconds = match.groups()
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def probe_duration(path: str) -> float | None:
    """Seconds of audio in the file, read by ffmpeg, or None if it cannot be read as audio.

    Browser recordings (MediaRecorder WebM) carry no duration in their header: those are
    decoded once, without output, to measure them."""
    header = subprocess.run(  # noqa: S603 - a fixed executable and our own temp file
        [ffmpeg(), "-hide_banner", "-i", path],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if "Audio:" not in header.stderr:
        return None
    match = _DURATION.search(header.stderr)
    if match:
        return _seconds(match)
    decoded = subprocess.run(  # noqa: S603
        [
            ffmpeg(),
            "-hide_banner",
            "-nostats",
            "-stats_period",
            "60",
            "-i",
            path,
            "-vn",
            "-f",
            "null",
            "-progress",
            "pipe:2",
            "-",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    times = list(_DECODED.finditer(decoded.stderr))
    if decoded.returncode != 0 or not times:
        return None
    return _seconds(times[-1])


def check_voice(upload: UploadedFile) -> CheckedVoice:
    name = _name(upload)
    _check_size(upload, settings.VOICE_MAX_BYTES, _("a voice message"))
    upload.seek(0)
    content_type = _voice_type(upload.read(16))
    if content_type is None:
        raise InvalidUpload(
            _("%(name)s is not a voice recording we can play (WebM, Ogg, M4A, AMR, MP3, WAV).")
            % {"name": name}
        )
    upload.seek(0)
    with tempfile.NamedTemporaryFile(suffix=".audio") as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        duration = probe_duration(copy.name)
    upload.seek(0)
    if duration is None:
        raise InvalidUpload(_("%(name)s could not be read as audio.") % {"name": name})
    if duration > settings.VOICE_MAX_SECONDS:
        raise InvalidUpload(
            _("%(name)s lasts %(seconds)d seconds; a voice message may last at most %(max)d.")
            % {"name": name, "seconds": duration, "max": settings.VOICE_MAX_SECONDS}
        )
    return CheckedVoice(upload, content_type, duration)
