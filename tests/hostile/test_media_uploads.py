"""The hostile-upload corpus, through the resident report form and the case API: every sample is
refused with a message and nothing is stored, or accepted with a display copy of pixels only."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from rest_framework.test import APIClient

from gridgov.cases.models import Case, CaseAttachment, MediaState
from tests.hostile.media_corpus import SCRIPT, Sample, samples

pytestmark = pytest.mark.django_db

SAMPLES = samples()
REFUSED = [s for s in SAMPLES if s.refused]
ACCEPTED_PHOTOS = [s for s in SAMPLES if not s.refused and s.field == "photos"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(sample: Sample) -> SimpleUploadedFile:
    return SimpleUploadedFile(sample.name, sample.content, sample.content_type)


def post_form(sample: Sample):
    return Client().post(
        "/cases/report/",
        {
            "description": "楼道里有人堆放杂物",
            "lat": "42.765",
            "lon": "129.405",
            "contact_phone": "13900001111",
            "idempotency_key": f"hostile-{sample.id}",
            sample.field: upload(sample),
        },
    )


def post_api(world, sample: Sample):
    client = APIClient()
    client.force_authenticate(world.people.staff)
    return client.post(
        "/api/v1/cases/",
        {
            "channel": "hotline",
            "title": "楼道堆物",
            "description": "楼道里有人堆放杂物",
            "building": "B-A1",
            "photos": [upload(sample)],
        },
        format="multipart",
    )


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.parametrize("sample", REFUSED, ids=[s.id for s in REFUSED])
def test_a_hostile_upload_is_refused_on_the_form_and_nothing_is_stored(world, sample, media_root):
    response = post_form(sample)
    assert response.status_code == 400
    page = response.content.decode()
    assert sample.refused in page
    assert "\u202e" not in page  # a direction override would make "gpj.exe" read as "exe.jpg"
    assert Case.objects.count() == 0 and CaseAttachment.objects.count() == 0
    assert stored_files(media_root) == []


@pytest.mark.parametrize("sample", [s for s in REFUSED if s.field == "photos"], ids=lambda s: s.id)
def test_a_hostile_photo_is_refused_by_the_api_and_nothing_is_stored(world, sample, media_root):
    response = post_api(world, sample)
    assert response.status_code == 400
    assert sample.refused in str(response.json()) and "\u202e" not in str(response.json())
    assert Case.objects.count() == 0 and CaseAttachment.objects.count() == 0
    assert stored_files(media_root) == []


def jpeg_segments(data: bytes) -> tuple[list[int], bytes]:
    """The markers of a JPEG's header segments (up to the scan), and what follows its end."""
    assert data[:2] == b"\xff\xd8"
    markers, at = [], 2
    while True:
        marker = data[at + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    end = data.rindex(b"\xff\xd9")
    return markers, data[end + 2 :]


@pytest.mark.parametrize("via", ["form", "api"])
@pytest.mark.parametrize("sample", ACCEPTED_PHOTOS, ids=[s.id for s in ACCEPTED_PHOTOS])
def test_an_accepted_photo_is_neutralised(
    world, sample, via, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_form(sample) if via == "form" else post_api(world, sample)
    assert response.status_code in (201, 302)
    attachment = CaseAttachment.objects.get()
    assert attachment.state == MediaState.READY
    for name in (attachment.file.name, attachment.display.name, attachment.thumbnail.name):
        assert name.startswith("cases/") and ".." not in name and "\u202e" not in name
        assert "etc" not in name and "exe" not in name
    for derivative in (attachment.display, attachment.thumbnail):
        with derivative.open("rb") as handle:
            data = handle.read()
        assert b"<script" not in data.lower() and b"EvilCam" not in data
        markers, trailing = jpeg_segments(data)
        # Only JFIF (APP0), quantisation and Huffman tables, frame, scan: no APP1..15, no COM.
        assert [m for m in markers if 0xE1 <= m <= 0xEF or m == 0xFE] == []
        assert trailing == b""
    for stored in stored_files(media_root):
        assert stored.resolve().is_relative_to(media_root.resolve())


def test_the_polyglot_really_carries_its_script(world):
    """The corpus is honest: the polyglot's original bytes do hold the script three times."""
    polyglot = next(s for s in SAMPLES if s.id == "polyglot-jpeg-html")
    assert polyglot.content.count(SCRIPT) == 3


def test_a_refusal_shows_the_name_without_folders_or_direction_overrides():
    from gridgov.cases.media import InvalidUpload, check_photo

    upload = SimpleUploadedFile("x.jpg", b"MZ not a photo", "image/jpeg")
    upload.name = "..\\..\\cv\u202egpj.exe"  # as a caller other than Django's parser may pass it
    with pytest.raises(InvalidUpload) as refused:
        check_photo(upload)
    assert str(refused.value).startswith("cvgpj.exe ")
