"""Make the derivatives of an attachment (run as a task; safe to run twice).

Photos: turned upright from the EXIF orientation, then only the pixels kept (no EXIF,
comments, APP segments or trailing bytes of the upload), saved as a JPEG of at
most 1600 px and a 320 px thumbnail. Voice: transcoded with ffmpeg to AAC in MP4, which every
browser plays. The original stays untouched.
"""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import tempfile
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from PIL import Image, ImageOps

from gridgov.cases.media import _register_heif, ffmpeg
from gridgov.cases.models import AttachmentKind, CaseAttachment, MediaState

log = logging.getLogger(__name__)
DISPLAY_PX = 1600
THUMB_PX = 320


def process_attachment(attachment_id: int) -> str:
    attachment = CaseAttachment.objects.filter(pk=attachment_id).first()
    if attachment is None or attachment.state == MediaState.READY:
        return "skipped"
    try:
        if attachment.kind == AttachmentKind.VOICE:
            _voice(attachment)
        else:
            _photo(attachment)
    except Exception as error:  # a broken file must not lose the case: record and go on
        log.exception("media processing failed for attachment %s", attachment_id)
        CaseAttachment.objects.filter(pk=attachment_id).update(
            state=MediaState.FAILED, error=str(error)[:300]
        )
        return "failed"
    return "ready"


def _pixels_only(image: Image.Image) -> Image.Image:
    """A new image holding only the pixels: no EXIF, comment, ICC, XMP or any other `info`,
    which Pillow would otherwise write back (a JPEG comment survives a plain re-save)."""
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    return clean


def _jpeg(image: Image.Image, size: int) -> ContentFile:
    copy = _pixels_only(image)
    copy.thumbnail((size, size))
    buffer = BytesIO()
    copy.save(buffer, "JPEG", quality=82, optimize=True)
    return ContentFile(buffer.getvalue())


def _photo(attachment: CaseAttachment) -> None:
    _register_heif()
    with attachment.file.open("rb") as source, Image.open(source) as image:
        # JPEGs decode straight at a reduced scale (1/2, 1/4, 1/8) when that still covers the
        # display size: several times faster on phone photos.
        scale = DISPLAY_PX / max(image.size)
        if scale < 1:
            image.draft("RGB", (int(image.width * scale), int(image.height * scale)))
        upright = ImageOps.exif_transpose(image).convert("RGB")
    display, thumbnail = _jpeg(upright, DISPLAY_PX), _jpeg(upright, THUMB_PX)
    with transaction.atomic():
        attachment.display.save("display.jpg", display, save=False)
        attachment.thumbnail.save("thumb.jpg", thumbnail, save=False)
        attachment.width, attachment.height = upright.size
        attachment.state, attachment.error = MediaState.READY, ""
        attachment.save(update_fields=["display", "thumbnail", "width", "height", "state", "error"])


def _voice(attachment: CaseAttachment) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source, target = Path(folder) / "in", Path(folder) / "out.m4a"
        with attachment.file.open("rb") as original:
            source.write_bytes(original.read())
        result = subprocess.run(  # noqa: S603 - a fixed executable and our own temp files
            [
                ffmpeg(),
                "-hide_banner",
                "-loglevel",
                "error",
                "-y",
                "-i",
                str(source),
                "-vn",
                "-ac",
                "1",
                "-c:a",
                "aac",
                "-b:a",
                "48k",
                "-movflags",
                "+faststart",
                str(target),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        if result.returncode != 0 or not target.exists():
            raise RuntimeError(f"ffmpeg: {result.stderr.strip()[:200]}")
        playable = ContentFile(target.read_bytes())
    attachment.display.save("voice.m4a", playable, save=False)
    attachment.state, attachment.error = MediaState.READY, ""
    attachment.save(update_fields=["display", "state", "error"])


def queue(attachment_ids: list[int]) -> None:
    """Hand attachments to the workers (after commit: a task must find its row)."""
    from gridgov.cases.tasks import process_attachment as task

    if not attachment_ids:
        return

    def send() -> None:
        for pk in attachment_ids:
            task.delay(pk)

    transaction.on_commit(send)


def retry(attachment: CaseAttachment) -> bool:
    """Staff ask for a failed or stuck attachment to be processed again (with fresh tries)."""
    if not (attachment.state == MediaState.FAILED or attachment.is_stuck):
        return False
    with transaction.atomic():
        changed = CaseAttachment.objects.filter(
            pk=attachment.pk, state=attachment.state, queued_at=attachment.queued_at
        ).update(state=MediaState.PENDING, error="", tries=0, queued_at=timezone.now())
        if changed:
            queue([attachment.pk])
    return bool(changed)


def sweep_stuck_attachments() -> dict[str, int]:
    """Attachments pending past ATTACHMENT_STUCK_MINUTES (their worker died, or the queue lost
    them) are queued again, up to ATTACHMENT_MAX_TRIES times; after that they are marked failed
    with a reason, which shows staff the retry button. Each row is claimed with compare-and-set,
    so two sweeps running at once queue it once."""
    now = timezone.now()
    cutoff = now - dt.timedelta(minutes=settings.ATTACHMENT_STUCK_MINUTES)
    stuck = CaseAttachment.objects.filter(state=MediaState.PENDING).filter(
        Q(queued_at__lt=cutoff) | Q(queued_at__isnull=True, created_at__lt=cutoff)
    )
    requeued: list[int] = []
    failed = 0
    for pk, tries, queued_at in stuck.values_list("pk", "tries", "queued_at"):
        same = CaseAttachment.objects.filter(pk=pk, state=MediaState.PENDING, tries=tries)
        same = same.filter(queued_at=queued_at) if queued_at else same
        if tries < settings.ATTACHMENT_MAX_TRIES:
            if same.update(tries=F("tries") + 1, queued_at=now):
                requeued.append(pk)
        elif same.update(
            state=MediaState.FAILED,
            error=f"processing did not finish after {tries + 1} tries",
        ):
            log.warning("attachment %s stuck after %s tries: marked failed", pk, tries + 1)
            failed += 1
    with transaction.atomic():
        queue(requeued)
    return {"requeued": len(requeued), "failed": failed}
