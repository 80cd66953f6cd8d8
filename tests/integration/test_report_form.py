"""The resident report form and the track page: idempotency bound to the reporter, plain-language
limits, and a merged report's trail (issue #8, items 3, 19, 21)."""

import pytest
from django.test import Client

from gridgov.cases import actions
from gridgov.cases.models import Case

pytestmark = pytest.mark.django_db

REPORT = {
    "description": "小区门口井盖破损",
    "lat": "42.765",
    "lon": "129.415",
    "contact_phone": "13900001111",
    "idempotency_key": "k-0001",
}


def test_a_replayed_key_from_another_session_never_finds_the_first_case(world):
    first, other = Client(), Client()
    first.get("/cases/report/")
    first.post("/cases/report/", REPORT)
    mine = Case.objects.get()
    other.get("/cases/report/")
    replay = other.post("/cases/report/", {**REPORT, "contact_phone": "13900002222"})
    assert replay.status_code == 302
    assert Case.objects.count() == 2
    theirs = Case.objects.exclude(pk=mine.pk).get()
    done = other.get("/cases/report/done/").content.decode()
    assert theirs.tracking_code in done and mine.tracking_code not in done
    assert mine.idempotency_key != theirs.idempotency_key
    assert "k-0001" not in (mine.idempotency_key, theirs.idempotency_key)


def test_the_same_session_retrying_gets_its_first_case_back(world):
    client = Client()
    client.get("/cases/report/")
    first = client.post("/cases/report/", REPORT, HTTP_ACCEPT="application/json")
    again = client.post(
        "/cases/report/",
        {**REPORT, "lat": "", "lon": "", "community": world.community_b.pk},
        HTTP_ACCEPT="application/json",
    )
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    case = Case.objects.get()
    assert case.grid == world.grid_b  # the first submission's location, not the retry's
    assert case.tracking_code in client.get("/cases/report/done/").content.decode()


def test_a_signed_in_users_key_is_theirs_alone(world, client_for):
    signed_in = {k: v for k, v in REPORT.items() if k != "contact_phone"}
    assert client_for("resident").post("/cases/report/", signed_in).status_code == 302
    anonymous = Client()
    anonymous.get("/cases/report/")
    assert anonymous.post("/cases/report/", REPORT).status_code == 302
    assert Case.objects.count() == 2
    assert Case.objects.filter(tracking_code="").get().reporter_user == world.people.resident


def test_a_too_long_description_is_refused_in_plain_words(world):
    response = Client().post("/cases/report/", {**REPORT, "description": "长" * 50_000})
    assert response.status_code == 400
    page = response.content.decode()
    assert "最多 2000 字，现在有 50000 字，请删减后再提交。" in page
    assert "变量" not in page
    assert Case.objects.count() == 0


def test_the_description_box_does_not_cut_a_paste_and_shows_the_limit(world):
    page = Client().get("/cases/report/").content.decode()
    assert 'maxlength="2000"' not in page  # the browser would cut a long paste silently
    assert 'data-max="2000"' in page
    assert "最多 2000 字" in page


def test_a_too_long_description_is_refused_in_english_too(world, settings):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/cases/report/", {**REPORT, "description": "x" * 2001})
    assert "At most 2000 characters; this has 2001. Please shorten it." in response.content.decode()


def test_a_merged_anonymous_report_shows_the_surviving_cases_progress(world):
    client = Client()
    client.post("/cases/report/", REPORT)
    mine = Case.objects.get()
    staff = world.people.staff
    survivor = actions.create_case(
        acting_user=staff,
        channel="hotline",
        title="井盖破损（王先生 13911112222）",
        description="河西路井盖破损",
        building=world.building_b,
        reporter_name="王先生",
        reporter_phone="13911112222",
    )
    actions.accept_case(mine, acting_user=staff)
    actions.accept_case(survivor, acting_user=staff)
    actions.merge_case(Case.objects.get(pk=mine.pk), acting_user=staff, target=survivor)
    page = Client().post("/cases/track/", {"code": mine.tracking_code}).content.decode()
    assert 'data-testid="survivor"' in page and "您的反映已与以下工单合并办理" in page
    assert survivor.number in page
    assert "已受理" in page  # the survivor's status
    for private in ("王先生", "13911112222", "139****2222", "井盖破损（"):
        assert private not in page


def test_ten_photos_are_refused_naming_the_limit_of_nine(world, settings, tmp_path):
    from rest_framework.test import APIClient

    from tests.media_helpers import photo_as

    settings.MEDIA_ROOT = tmp_path
    message = "您选了 10 张照片，最多只能上传 9 张，请去掉 1 张。"
    form = Client().post(
        "/cases/report/", {**REPORT, "photos": [photo_as("JPEG") for _ in range(10)]}
    )
    assert form.status_code == 400 and message in form.content.decode()
    api = APIClient()
    api.force_authenticate(world.people.staff)
    response = api.post(
        "/api/v1/cases/",
        {
            "channel": "hotline",
            "title": "楼道堆物",
            "description": "楼道堆物",
            "building": "B-A1",
            "photos": [photo_as("PNG") for _ in range(10)],
        },
        format="multipart",
    )
    assert response.status_code == 400 and message in str(response.json())
    assert Case.objects.count() == 0 and list(tmp_path.rglob("*.*")) == []
