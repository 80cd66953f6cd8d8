"""Notice attachments are checked by content: PDF by its header, photos by decoding them."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from gridgov.lifecycle import IllegalMove

PDF_MAGIC = b"%PDF-"


def check_attachment(upload: UploadedFile) -> tuple[UploadedFile, str]:
    """(the upload, its content type) or IllegalMove with a message naming the file."""
    from gridgov.cases.media import InvalidUpload, check_photo

    name = upload.name or ""
    if (upload.size or 0) > settings.UPLOAD_MAX_BYTES:
        raise IllegalMove(_("%(name)s is too large.") % {"name": name})
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(PDF_MAGIC):
        return upload, "application/pdf"
    try:
        checked = check_photo(upload)
    except InvalidUpload:
        raise IllegalMove(
            _("%(name)s is neither a PDF nor a photo (JPEG, PNG, WebP or HEIC).") % {"name": name}
        ) from None
    return upload, checked.content_type
