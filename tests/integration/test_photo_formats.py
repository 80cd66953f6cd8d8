"""Every photo format the README promises is accepted through the report form and the API and
gets its display copy; any other format gets a clear 400 (issue #8, item 1: PNG gave a 500)."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from gridgov.cases.models import Case, CaseAttachment, MediaState
from tests.media_helpers import photo_as

pytestmark = pytest.mark.django_db

PROMISED = [
    ("JPEG", "image/jpeg"),
    ("PNG", "image/png"),
    ("WEBP", "image/webp"),
    ("HEIF", "image/heic"),
]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def through_form(photo):
    return Client().post(
        "/cases/report/",
        {
            "description": "路面塌陷",
            "lat": "42.765",
            "lon": "129.405",
            "contact_phone": "13900001111",
            "idempotency_key": "formats",
            "photos": [photo],
        },
    )


def through_api(world, photo):
    client = APIClient()
    client.force_authenticate(world.people.staff)
    return client.post(
        "/api/v1/cases/",
        {
            "channel": "hotline",
            "title": "路面塌陷",
            "description": "路面塌陷",
            "building": "B-A1",
            "photos": [photo],
        },
        format="multipart",
    )


@pytest.mark.parametrize("via", ["form", "api"])
@pytest.mark.parametrize(("fmt", "content_type"), PROMISED)
def test_every_promised_photo_format_is_accepted_and_displayed(
    world, via, fmt, content_type, django_capture_on_commit_callbacks
):
    photo = photo_as(fmt, size=(48, 32))
    with django_capture_on_commit_callbacks(execute=True):
        response = through_form(photo) if via == "form" else through_api(world, photo)
    assert response.status_code == (302 if via == "form" else 201)
    attachment = CaseAttachment.objects.get()
    assert (attachment.content_type, attachment.width, attachment.height) == (content_type, 48, 32)
    assert attachment.state == MediaState.READY


@pytest.mark.parametrize("via", ["form", "api"])
@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF"])
def test_other_image_formats_get_a_clear_400(world, via, fmt):
    photo = photo_as(fmt)
    response = through_form(photo) if via == "form" else through_api(world, photo)
    assert response.status_code == 400
    body = response.content.decode() if via == "form" else str(response.json())
    assert f"photo.{fmt.lower()} 不是照片（支持 JPEG、PNG、WebP、HEIC）。" in body
    assert Case.objects.count() == 0 and CaseAttachment.objects.count() == 0
