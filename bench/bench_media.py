"""Resident reports with photos: time to accept a report with 3 phone-sized photos (request to
response, processing after commit excluded) and media-processing throughput (photos per second).

Runs on a scratch SQLite database under var/ with the demo seeded; photos are generated
4000 × 3000 JPEGs (about a phone camera's) with EXIF GPS.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = 10
PHOTOS = 3


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / 'bench-media.sqlite3'}"
    os.environ.setdefault("DEBUG", "1")
    os.environ["MEDIA_ROOT"] = tempfile.mkdtemp(prefix="gridgov-bench-media-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridgov.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from PIL import Image

    from gridgov.accounts.models import User
    from gridgov.cases.models import CaseAttachment
    from gridgov.cases.processing import process_attachment
    from tests.media_helpers import jpeg_with_gps

    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115

    template = jpeg_with_gps(42.7655, 129.4130, size=(4000, 3000)).read()
    noise = Image.effect_noise((4000, 3000), 40).convert("RGB")  # photo-like entropy
    buffer = BytesIO()
    noise.save(buffer, "JPEG", quality=85, exif=Image.open(BytesIO(template)).getexif())
    photo_bytes = buffer.getvalue()
    print(f"photo: 4000 × 3000 JPEG, {len(photo_bytes) / 1e6:.1f} MB, with EXIF GPS")

    from django.core.files.uploadedfile import SimpleUploadedFile

    from gridgov.cases.actions import _common

    queued: list[int] = []
    _common._process_later = queued.extend  # type: ignore[assignment]  # request time alone
    client = Client()
    client.force_login(User.objects.get(username="resident01"))
    timings = []
    for n in range(REPORTS):
        photos = [SimpleUploadedFile(f"p{i}.jpg", photo_bytes, "image/jpeg") for i in range(PHOTOS)]
        started = time.perf_counter()
        response = client.post(
            "/cases/report/",
            {
                "description": f"压测上报{n}",
                "photos": photos,
                "idempotency_key": f"bench-{time.time()}-{n}",
            },
        )
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 302, response.content[:500]
    print(
        f"report with {PHOTOS} photos accepted: p50 {statistics.median(timings):.0f} ms, "
        f"max {max(timings):.0f} ms ({REPORTS} reports)"
    )

    pending = list(CaseAttachment.objects.filter(pk__in=queued).values_list("pk", flat=True))
    started = time.perf_counter()
    for pk in pending:
        assert process_attachment(pk) == "ready"
    elapsed = time.perf_counter() - started
    print(
        f"media processing: {len(pending) / elapsed:.1f} photos/s "
        f"({len(pending)} photos: upright + EXIF-free 1600 px copy + 320 px thumbnail)"
    )


if __name__ == "__main__":
    main()
