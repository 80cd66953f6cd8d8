import logging
import re

import pytest
from django.test import Client

from gridgov.accounts import sms
from gridgov.accounts.models import PhoneVerification, User
from gridgov.cases import actions
from gridgov.cases.choices import Channel, Status
from gridgov.cases.models import Case
from tests.cases_helpers import drive
from tests.media_helpers import jpeg_with_gps, wav

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def sign_up(client, world, caplog, phone="13511112222"):
    sent = client.post(
        "/accounts/signup/",
        {"phone": phone, "community": world.community_a.pk, "step": "send_code"},
    )
    assert sent.status_code == 200
    message = sms.outbox[-1]
    assert message.phone == phone and message.template == "signup_code"
    return re.search(r"\b(\d{6})\b", message.message).group(1)


def test_a_resident_signs_up_with_a_code_and_reports(world, caplog):
    client = Client()
    code = sign_up(client, world, caplog)
    assert "13511112222" not in caplog.text and PhoneVerification.objects.count() == 1
    assert code not in str(list(PhoneVerification.objects.values_list("code_hash", flat=True)))
    response = client.post(
        "/accounts/signup/",
        {
            "phone": "13511112222",
            "community": world.community_a.pk,
            "code": code,
            "full_name": "陈小红",
            "password": "Spring-river-2026",
            "step": "register",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(full_name="陈小红")
    assert user.phone == "13511112222" and user.roles == {"resident"}
    home = client.get("/")
    assert "我要反映问题" in home.content.decode()

    report = client.post(
        "/cases/report/",
        {"description": "楼道灯坏了", "building": world.building_a.pk, "idempotency_key": "k1"},
    )
    assert report.status_code == 302
    case = Case.objects.get()
    assert (case.channel, case.reporter_user, case.grid) == (
        Channel.RESIDENT_APP,
        user,
        world.grid_a,
    )
    assert case.reporter_phone == "13511112222"
    assert "楼道灯坏了" in client.get("/").content.decode()


def test_wrong_and_expired_codes_are_refused(world, caplog):
    client = Client()
    sign_up(client, world, caplog, phone="13600000000")
    for _ in range(5):
        wrong = client.post(
            "/accounts/signup/",
            {
                "phone": "13600000000",
                "community": world.community_a.pk,
                "code": "000000",
                "full_name": "x",
                "password": "Spring-river-2026",
                "step": "register",
            },
        )
        assert wrong.status_code == 400
    again = client.post(
        "/accounts/signup/",
        {
            "phone": "13600000000",
            "community": world.community_a.pk,
            "code": "000000",
            "full_name": "x",
            "password": "Spring-river-2026",
            "step": "register",
        },
    )
    assert "验证码错误次数过多" in again.content.decode()
    resend = client.post(
        "/accounts/signup/",
        {"phone": "13600000000", "community": world.community_a.pk, "step": "send_code"},
    )
    assert "一分钟" in resend.content.decode()
    assert not User.objects.filter(username="r13600000000").exists()


def test_anonymous_report_gets_a_tracking_code(world):
    client = Client()
    response = client.post(
        "/cases/report/",
        {
            "description": "小区门口井盖破损",
            "lat": "42.765",
            "lon": "129.415",
            "contact_phone": "13900001111",
            "idempotency_key": "anon-1",
        },
    )
    assert response.status_code == 302 and response.url == "/cases/report/done/"
    case = Case.objects.get()
    assert case.grid == world.grid_b and case.created_by is None and len(case.tracking_code) == 10
    done = client.get("/cases/report/done/")
    assert case.tracking_code in done.content.decode()
    tracked = Client().post("/cases/track/", {"code": case.tracking_code.lower()})
    assert tracked.status_code == 200 and "待受理" in tracked.content.decode()
    assert "13900001111" not in tracked.content.decode()
    assert Client().post("/cases/track/", {"code": "NOPE"}).status_code == 404


def test_a_retried_submission_makes_one_case(world):
    client = Client()
    data = {
        "description": "漏水",
        "lat": "42.765",
        "lon": "129.405",
        "contact_phone": "13900001111",
        "idempotency_key": "same-key",
    }
    first = client.post("/cases/report/", data, HTTP_ACCEPT="application/json")
    again = client.post("/cases/report/", data, HTTP_ACCEPT="application/json")
    assert first.status_code == again.status_code == 200
    assert first.json()["number"] == again.json()["number"]
    assert Case.objects.count() == 1


def test_a_photo_with_gps_is_enough_to_place_the_report(world):
    photo = jpeg_with_gps(42.765, 129.425)
    response = Client().post(
        "/cases/report/",
        {"photos": [photo], "contact_phone": "13900001111", "idempotency_key": "gps-1"},
    )
    assert response.status_code == 302
    assert Case.objects.get().grid == world.grid_c


def test_a_voice_only_report_is_accepted(world):
    response = Client().post(
        "/cases/report/",
        {
            "voice": wav(1.0),
            "lat": "42.765",
            "lon": "129.405",
            "contact_phone": "13900001111",
            "idempotency_key": "voice-1",
        },
    )
    assert response.status_code == 302
    assert Case.objects.get().attachments.get().kind == "voice"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"description": "", "lat": "42.765", "lon": "129.405"}, "请描述问题"),
        ({"description": "x"}, "请告诉我们位置"),
        ({"description": "长" * 20_000, "lat": "42.765", "lon": "129.405"}, "2000"),
        ({"description": "x", "lat": "42.765", "lon": "129.405", "contact_phone": "123"}, "11位"),
    ],
)
def test_bad_reports_are_refused_and_nothing_saved(world, data, message):
    payload = {"contact_phone": "13900001111", "idempotency_key": "bad", **data}
    response = Client().post("/cases/report/", payload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Case.objects.count() == 0


def test_bad_media_are_refused_with_a_message(world, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    base = {
        "description": "x",
        "lat": "42.765",
        "lon": "129.405",
        "contact_phone": "13900001111",
        "idempotency_key": "m",
    }
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a jpeg", "image/jpeg")
    assert (
        "不是照片" in Client().post("/cases/report/", {**base, "photos": [fake]}).content.decode()
    )
    settings.VOICE_MAX_SECONDS = 1
    long_voice = Client().post("/cases/report/", {**base, "voice": wav(2.0)})
    assert long_voice.status_code == 400 and "语音最长 1 秒" in long_voice.content.decode()
    unknown = SimpleUploadedFile("v.xyz", b"\x00\x01\x02" * 50, "audio/x-unknown")
    assert (
        "不是可播放的语音"
        in Client().post("/cases/report/", {**base, "voice": unknown}).content.decode()
    )
    assert Case.objects.count() == 0


def test_html_in_a_report_is_shown_as_text(world, client_for):
    Client().post(
        "/cases/report/",
        {
            "description": "<b>x</b><script>alert(1)</script>",
            "lat": "42.765",
            "lon": "129.405",
            "contact_phone": "13900001111",
            "idempotency_key": "h",
        },
    )
    case = Case.objects.get()
    html = client_for("staff").get(f"/cases/{case.number}/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_a_resident_rates_their_own_case_once(world, client_for):
    case = drive(
        world,
        actions.create_case(
            acting_user=world.people.resident,
            channel=Channel.RESIDENT_APP,
            title="t",
            description="d",
            building=world.building_a,
            reporter_user=world.people.resident,
        ),
        Status.AWAITING_FEEDBACK,
    )
    resident = client_for("resident")
    page = resident.get(f"/cases/{case.number}/")
    assert [form.action for form in page.context["actions"]] == ["rate"]
    ok = resident.post(f"/cases/{case.number}/rate/", {"solved": "true", "satisfaction": "4"})
    assert ok.status_code == 302
    twice = resident.post(f"/cases/{case.number}/rate/", {"solved": "true", "satisfaction": "5"})
    assert twice.status_code == 409
    assert Case.objects.get(pk=case.pk).satisfaction == 4


def test_the_reporter_is_asked_to_rate_in_app_by_email_and_by_sms(
    world, caplog, mailoutbox, django_capture_on_commit_callbacks
):
    from gridgov.inbox.models import Notification

    resident = world.people.resident
    resident.email = "resident@example.invalid"
    resident.save()
    resident.phone = "13512345678"
    resident.save()
    case = actions.create_case(
        acting_user=resident,
        channel=Channel.RESIDENT_APP,
        title="t",
        description="d",
        building=world.building_a,
        reporter_user=resident,
        reporter_phone="13512345678",
    )
    case = drive(world, case, Status.RESOLVED)
    with (
        caplog.at_level(logging.WARNING, logger="gridgov.sms"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.verify_case(case, acting_user=world.people.worker_a, passed=True)
    assert Notification.objects.filter(user=resident, message__contains=case.number).exists()
    assert len(mailoutbox) == 1 and case.number in mailoutbox[0].body
    (text,) = sms.outbox
    assert text.phone == "13512345678" and case.number in text.message
    assert text.template == "case_resolved"


def test_an_anonymous_reporter_gets_the_tracking_code_by_sms(
    world, caplog, django_capture_on_commit_callbacks
):
    case = actions.create_case(
        acting_user=None,
        channel=Channel.RESIDENT_APP,
        title="t",
        description="d",
        lat=42.765,
        lon=129.405,
        reporter_phone="13700009999",
    )
    case = drive(world, case, Status.RESOLVED)
    with (
        caplog.at_level(logging.WARNING, logger="gridgov.sms"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.verify_case(case, acting_user=world.people.worker_a, passed=True)
    (text,) = sms.outbox
    assert text.phone == "13700009999" and case.tracking_code in text.message
    assert text.params == {"number": case.number, "code": case.tracking_code}


def test_a_resident_report_outside_every_grid_goes_to_their_community_as_unclear(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for("resident")
    form = client.get("/cases/report/").context["form"]
    assert form["community"].value() == world.community_a.pk
    response = client.post(
        "/cases/report/",
        {
            "description": "河边护栏断了",
            "lat": "42.90",
            "lon": "129.90",
            "community": world.community_a.pk,
            "idempotency_key": "unclear-1",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.grid is None and case.area == world.community_a
    assert case.events.get().data["location_unclear"] is True
    staff_queue = client_for("staff").get("/cases/", {"queue": "new"})
    assert [c.number for c in staff_queue.context["page"]] == [case.number]


def test_the_reporter_hears_when_the_case_moves(world, django_capture_on_commit_callbacks):
    from gridgov.inbox.models import Notification

    resident = world.people.resident
    with django_capture_on_commit_callbacks(execute=True):
        case = actions.create_case(
            acting_user=resident,
            channel=Channel.RESIDENT_APP,
            title="t",
            description="d",
            building=world.building_a,
            reporter_user=resident,
        )
        drive(world, case, Status.DISPATCHED)
    messages = list(Notification.objects.filter(user=resident).values_list("message", flat=True))
    assert any("河西社区居委会受理" in m for m in messages), messages
    assert any("龙井市水务局" in m for m in messages)


def test_a_resident_picks_a_building_and_unit(world, client_for):
    from gridgov.registry.models import Unit

    unit = Unit.objects.create(building=world.building_a, number=2)
    client = client_for("resident")
    page = client.get("/cases/report/").content.decode()
    assert f'data-building="{world.building_a.pk}"' in page
    response = client.post(
        "/cases/report/",
        {
            "description": "2单元楼道灯坏",
            "building": world.building_a.pk,
            "unit": unit.pk,
            "community": world.community_a.pk,
            "idempotency_key": "unit-1",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.building, case.unit, case.grid) == (world.building_a, unit, world.grid_a)


def test_a_report_without_an_idempotency_key_is_still_accepted(world):
    response = Client().post(
        "/cases/report/",
        {
            "description": "垃圾堆放",
            "lat": "42.765",
            "lon": "129.405",
            "contact_phone": "13900001111",
        },
    )
    assert response.status_code == 302 and Case.objects.get().idempotency_key == ""
