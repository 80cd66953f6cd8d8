import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gridgov.cases import actions
from gridgov.cases.choices import Channel
from gridgov.cases.media import InvalidUpload, check_photo, check_voice
from gridgov.cases.models import CaseAttachment, MediaState
from gridgov.cases.processing import process_attachment
from tests.media_helpers import jpeg_with_gps, wav
from tests.permissions import check_matrix

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def report(world, django_capture_on_commit_callbacks, **fields):
    data = {
        "channel": Channel.HOTLINE,
        "title": "拍照上报",
        "description": "楼道堆物",
        "category": world.category,
    }
    data.update(fields)
    with django_capture_on_commit_callbacks(execute=True):
        return actions.create_case(acting_user=world.people.staff, **data)


def test_exif_gps_fills_the_location_and_every_derivative_is_clean(
    world, django_capture_on_commit_callbacks
):
    photo = check_photo(jpeg_with_gps(42.765, 129.415))
    assert photo.gps == pytest.approx((42.765, 129.415), abs=1e-5)
    case = report(world, django_capture_on_commit_callbacks, photos=[photo])
    assert case.grid == world.grid_b and case.lat == pytest.approx(42.765, abs=1e-5)
    attachment = case.attachments.get()
    assert attachment.state == MediaState.READY
    assert (attachment.gps_lat, attachment.gps_lon) == pytest.approx((42.765, 129.415), abs=1e-5)
    for derivative in (attachment.display, attachment.thumbnail):
        with derivative.open("rb") as handle, Image.open(handle) as image:
            assert dict(image.getexif()) == {}
            assert image.size == (32, 64)  # turned upright from orientation 6
    with attachment.file.open("rb") as handle, Image.open(handle) as original:
        assert original.getexif()[0x010F] == "TestCam"  # the original is kept as evidence


def test_only_derivatives_are_served_and_only_to_who_may_see(
    world, client_for, django_capture_on_commit_callbacks
):
    case = report(
        world,
        django_capture_on_commit_callbacks,
        photos=[check_photo(jpeg_with_gps(42.765, 129.405))],
    )
    attachment = case.attachments.get()
    for url in (
        f"/cases/attachments/{attachment.pk}/",
        f"/cases/attachments/{attachment.pk}/thumb/",
    ):
        check_matrix(
            client_for,
            "get",
            url,
            {"staff": 200, "worker_a": 200, "worker_b": 404, "handler": 404, "anonymous": 302},
        )
    body = b"".join(
        client_for("staff").get(f"/cases/attachments/{attachment.pk}/").streaming_content
    )
    assert b"TestCam" not in body


def test_voice_is_kept_and_made_playable(world, client_for, django_capture_on_commit_callbacks):
    voice = check_voice(wav(1.5))
    assert voice.content_type == "audio/wav" and voice.duration == pytest.approx(1.5, abs=0.1)
    case = report(world, django_capture_on_commit_callbacks, building=world.building_a, voice=voice)
    attachment = case.attachments.get(kind="voice")
    assert attachment.state == MediaState.READY and attachment.duration == pytest.approx(1.5, 0.1)
    response = client_for("staff").get(f"/cases/attachments/{attachment.pk}/")
    assert response["Content-Type"] == "audio/mp4"
    assert b"ftyp" in b"".join(response.streaming_content)[:32]
    page = client_for("staff").get(f"/cases/{case.number}/").content.decode()
    assert f'<audio controls preload="metadata" src="/cases/attachments/{attachment.pk}/"' in page


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("x.jpg", b"not an image at all", "image/jpeg"), "is not a photo"),
        (SimpleUploadedFile("x.gif", b"GIF89a" + b"\0" * 40, "image/gif"), "is not a photo"),
    ],
)
def test_bad_photos_are_refused(upload, message):
    with pytest.raises(InvalidUpload, match=message):
        check_photo(upload)


def test_a_decompression_bomb_is_refused(settings):
    settings.UPLOAD_MAX_PIXELS = 1000
    with pytest.raises(InvalidUpload, match="megapixels"):
        check_photo(jpeg_with_gps(1, 1, size=(100, 100)))


def test_bad_voice_is_refused(settings):
    with pytest.raises(InvalidUpload, match="not a voice recording"):
        check_voice(SimpleUploadedFile("v.webm", b"\x00" * 64, "audio/webm"))
    with pytest.raises(InvalidUpload, match="could not be read as audio"):
        check_voice(SimpleUploadedFile("v.ogg", b"OggS" + b"\x00" * 200, "audio/ogg"))
    settings.VOICE_MAX_SECONDS = 2
    with pytest.raises(InvalidUpload, match="lasts 3 seconds"):
        check_voice(wav(3.0))
    settings.VOICE_MAX_BYTES = 100
    with pytest.raises(InvalidUpload, match="at most 100"):
        check_voice(wav(1.0))


def test_a_failed_processing_keeps_the_case_and_can_be_retried(
    world, client_for, django_capture_on_commit_callbacks, monkeypatch
):
    from gridgov.cases import processing

    def broken(_attachment):
        raise OSError("disk full")

    monkeypatch.setattr(processing, "_photo", broken)
    case = report(
        world,
        django_capture_on_commit_callbacks,
        photos=[check_photo(jpeg_with_gps(42.765, 129.405))],
    )
    attachment = case.attachments.get()
    assert attachment.state == MediaState.FAILED and "disk full" in attachment.error
    assert client_for("staff").get(f"/cases/attachments/{attachment.pk}/").status_code == 404
    page = client_for("staff").get(f"/cases/{case.number}/").content.decode()
    assert f"/cases/attachments/{attachment.pk}/retry/" in page
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client_for("staff").post(f"/cases/attachments/{attachment.pk}/retry/")
    assert CaseAttachment.objects.get(pk=attachment.pk).state == MediaState.READY
    assert process_attachment(attachment.pk) == "skipped"  # safe to run twice


def test_a_browser_recording_without_a_duration_header_is_measured(
    world, django_capture_on_commit_callbacks
):
    from tests.media_helpers import browser_webm

    voice = check_voice(browser_webm(2.0))
    assert voice.content_type == "audio/webm" and voice.duration == pytest.approx(2.0, abs=0.1)
    case = report(world, django_capture_on_commit_callbacks, building=world.building_a, voice=voice)
    assert case.attachments.get().state == MediaState.READY
