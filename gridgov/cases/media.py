"""Checks for uploaded photos: type by content, bounded size and pixel count.

Issue 4 adds EXIF handling and thumbnails; here a photo must be a real JPEG, PNG or WebP image
within the limits, or it is refused with a message and nothing is saved.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


class InvalidUpload(ValueError):
    """An upload that is refused; the message names the file and the reason."""


@dataclass(frozen=True)
class CheckedImage:
    file: UploadedFile
    content_type: str
    width: int
    height: int


def check_photo(upload: UploadedFile) -> CheckedImage:
    name = upload.name or _("the file")
    if upload.size is not None and upload.size > settings.UPLOAD_MAX_BYTES:
        raise InvalidUpload(
            _("%(name)s is %(size)s; a photo may be at most %(max)s.")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(settings.UPLOAD_MAX_BYTES),
            }
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            fmt = image.format or ""
            width, height = image.size
            if width * height > settings.UPLOAD_MAX_PIXELS:
                raise InvalidUpload(
                    _("%(name)s has %(mp).0f megapixels; at most %(max).0f are accepted.")
                    % {
                        "name": name,
                        "mp": width * height / 1e6,
                        "max": settings.UPLOAD_MAX_PIXELS / 1e6,
                    }
                )
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError):
        raise InvalidUpload(
            _("%(name)s is not a photo (JPEG, PNG or WebP).") % {"name": name}
        ) from None
    if fmt not in FORMATS:
        raise InvalidUpload(_("%(name)s is not a photo (JPEG, PNG or WebP).") % {"name": name})
    upload.seek(0)
    return CheckedImage(upload, FORMATS[fmt], width, height)
