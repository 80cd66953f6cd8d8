from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from gridgov.cases.choices import Status
from gridgov.cases.models import Case, CaseAttachment
from gridgov.inbox.models import Notification
from tests.cases_helpers import drive, make_case
from tests.permissions import check_matrix

pytestmark = pytest.mark.django_db


def jpeg(name="p.jpg", size=(40, 30)):
    buffer = BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def hotline(world, **overrides):
    data = {
        "title": "路灯不亮",
        "description": "5号楼门前路灯不亮。",
        "category": world.category.pk,
        "building": world.building_a.pk,
        "urgency": "normal",
        "channel": "hotline",
        "reporter_name": "赵先生",
        "reporter_phone": "13600001234",
    }
    data.update(overrides)
    return data


def test_hotline_entry_registers_a_case_with_photos(world, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client_for("staff").post(
        "/cases/new/", {**hotline(world), "photos": [jpeg("a.jpg"), jpeg("b.jpg")]}
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert response.url == f"/cases/{case.number}/"
    assert (case.grid, case.channel, case.reporter_phone) == (
        world.grid_a,
        "hotline",
        "13600001234",
    )
    assert case.attachments.count() == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "该字段是必填项"),
        ({"description": "长" * 5001}, "5000"),
        ({"building": "", "community": ""}, "请选择楼栋或社区"),
        ({"reporter_phone": "abc"}, "请只输入数字"),
    ],
)
def test_hotline_bad_input_is_refused_with_a_message(world, client_for, overrides, message):
    response = client_for("staff").post("/cases/new/", hotline(world, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("fake.jpg", b"this is not an image", "image/jpeg"), "不是照片"),
        (SimpleUploadedFile("doc.gif", b"GIF89a" + b"\x00" * 30, "image/gif"), "不是照片"),
    ],
)
def test_a_non_image_upload_is_refused_and_nothing_saved(world, client_for, upload, message):
    response = client_for("staff").post("/cases/new/", {**hotline(world), "photos": [upload]})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Case.objects.count() == 0 and CaseAttachment.objects.count() == 0


def test_an_oversized_photo_is_refused(world, client_for, settings):
    settings.UPLOAD_MAX_BYTES = 1000
    response = client_for("staff").post(
        "/cases/new/", {**hotline(world), "photos": [jpeg(size=(400, 400))]}
    )
    assert (response.status_code == 400 and "最大" in response.content.decode()) or (
        "at most" in response.content.decode()
    )
    assert Case.objects.count() == 0


def test_too_many_pixels_are_refused(world, client_for, settings):
    settings.UPLOAD_MAX_PIXELS = 100
    response = client_for("staff").post("/cases/new/", {**hotline(world), "photos": [jpeg()]})
    assert response.status_code == 400 and Case.objects.count() == 0


def test_case_page_shows_exactly_the_allowed_buttons(world, client_for):
    case = make_case(world)

    def buttons(persona):
        page = client_for(persona).get(f"/cases/{case.number}/")
        return (
            [form.action for form in page.context["actions"]]
            if page.status_code == 200
            else page.status_code
        )

    assert buttons("staff") == [
        "accept",
        "add_progress_note",
        "refer_to_mediation",
        "merge_into",
        "reject",
        "void",
    ]
    assert buttons("worker_a") == ["add_progress_note", "handle_on_spot", "refer_to_mediation"]
    assert buttons("dispatcher") == ["add_progress_note", "supervise"]
    assert buttons("leader") == ["supervise"]
    assert buttons("resident") == []
    assert buttons("handler") == 404
    assert buttons("worker_b") == 404


def test_a_button_press_through_the_page(world, client_for):
    case = make_case(world)
    response = client_for("staff").post(f"/cases/{case.number}/accept/", {"note": "受理"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED
    again = client_for("staff").post(f"/cases/{case.number}/accept/", {"note": "受理"})
    assert again.status_code == 409
    assert "不能" in again.content.decode()
    assert case.events.filter(kind="accepted").count() == 1


def test_page_action_matrix_changes_nothing_when_refused(world, client_for):
    case = make_case(world)
    snapshot = lambda: list(Case.objects.values_list("status", "updated_at"))  # noqa: E731
    check_matrix(
        client_for,
        "post",
        f"/cases/{case.number}/accept/",
        {
            "anonymous": 302,
            "worker_a": 403,
            "dispatcher": 403,
            "resident": 403,
            "handler": 404,
            "other_staff": 404,
            "outsider": 404,
        },
        data={},
        state=snapshot,
    )
    check_matrix(
        client_for, "post", f"/cases/{case.number}/fly/", {"staff": 404}, data={}, state=snapshot
    )


def test_a_missing_required_field_on_a_page_action_is_a_400(world, client_for):
    case = make_case(world)
    response = client_for("staff").post(f"/cases/{case.number}/reject/", {"reason": ""})
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_workbench_queues_per_role(world, client_for):
    fresh = make_case(world)
    dispatched = drive(world, make_case(world, building=world.building_b), Status.DISPATCHED)

    def listed(persona, queue=""):
        page = client_for(persona).get("/cases/", {"queue": queue})
        return [c.number for c in page.context["page"]]

    assert listed("staff", "new") == [fresh.number]
    assert listed("handler", "to_claim") == [dispatched.number]
    assert listed("handler_urban", "to_claim") == []
    assert listed("worker_a", "my_grid") == [fresh.number]
    assert listed("worker_b", "my_grid") == [dispatched.number]
    assert sorted(listed("leader", "open")) == sorted([fresh.number, dispatched.number])
    assert listed("other_staff", "all") == []


def test_workbench_query_count_is_constant(world, client_for):
    client = client_for("leader")
    make_case(world)
    client.get("/cases/?queue=open")
    with CaptureQueriesContext(connection) as few:
        client.get("/cases/?queue=open")
    for _ in range(10):
        make_case(world, building=world.building_b)
    with CaptureQueriesContext(connection) as many:
        page = client.get("/cases/?queue=open")
    assert len(page.context["page"]) == 11
    assert len(many) == len(few)


def test_workbench_filters_and_search(world, client_for):
    make_case(world, title="井盖破损")
    make_case(world, title="路灯不亮")
    page = client_for("staff").get("/cases/", {"queue": "all", "q": "井盖"})
    assert [c.title for c in page.context["page"]] == ["井盖破损"]
    htmx = client_for("staff").get("/cases/", {"queue": "all", "q": "路灯"}, HTTP_HX_REQUEST="true")
    assert "路灯不亮" in htmx.content.decode() and "<html" not in htmx.content.decode()


def test_confidential_reporter_is_hidden_below_the_community(world, client_for):
    case = drive(world, make_case(world, confidential=True), Status.DISPATCHED)
    handler_page = client_for("handler").get(f"/cases/{case.number}/").content.decode()
    staff_page = client_for("staff").get(f"/cases/{case.number}/").content.decode()
    assert "王**" not in handler_page and "保密" in handler_page
    assert "王** 139****5678" in staff_page


def test_notifications_reach_the_next_actor_and_the_bell_counts(
    world, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = drive(world, make_case(world), Status.DISPATCHED)
    assert Notification.objects.filter(user=world.people.handler).count() == 1
    page = client_for("handler").get("/")
    assert page.context["unread_count"] == 1
    note = Notification.objects.get(user=world.people.handler)
    opened = client_for("handler").get(f"/inbox/{note.pk}/")
    assert opened.url == f"/cases/{case.number}/"
    assert client_for("handler").get("/").context["unread_count"] == 0
    check_matrix(client_for, "get", f"/inbox/{note.pk}/", {"staff": 404, "outsider": 404})


def test_a_result_sent_with_the_photo_field_left_empty_is_saved(world, client_for):
    """A browser sends an empty file part for an empty photo input; the optional photo was
    refused as "结果照片：0" (the list field's error keyed by index) before."""
    case = drive(world, make_case(world), "in_progress")
    boundary = "gridgov-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="result"\r\n\r\n已更换水管\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="photos"; filename=""\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n\r\n--{boundary}--\r\n"
    ).encode()
    response = client_for("handler").post(
        f"/cases/{case.number}/resolve/",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
        follow=True,
    )
    assert response.status_code == 200
    assert "操作成功" in response.content.decode()
    case.refresh_from_db()
    assert (case.status, case.attachments.count()) == ("resolved", 0)


@pytest.mark.parametrize("persona", ["resident", "handler", "mediator", "auditadmin", "outsider"])
def test_the_hotline_form_is_refused_to_those_who_register_nowhere(world, client_for, persona):
    """A resident posting the staff form forged hotline cases in another name (each retry another
    one); departments, mediators and administrators filled it in only to be refused."""
    client = client_for(persona)
    assert client.get("/cases/new/").status_code == 403
    response = client.post(
        "/cases/new/",
        {
            "community": world.community_a.pk,
            "channel": "hotline",
            "description": "楼道灯坏了",
            "reporter_name": "李四",
            "reporter_phone": "13900001234",
        },
    )
    assert response.status_code == 403
    assert "工作人员" in response.content.decode()
    assert Case.objects.count() == 0


def test_staff_still_register_hotline_cases(world, client_for):
    assert client_for("staff").get("/cases/new/").status_code == 200
    assert client_for("worker_a").get("/cases/new/").status_code == 200


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("handler", 403),
        ("mediator", 403),
        ("auditadmin", 403),
        ("resident", 200),
        ("staff", 200),
        ("worker_a", 200),
    ],
)
def test_the_report_form_says_at_once_who_cannot_report(world, client_for, persona, status):
    """Departments, mediators and administrators filled in the whole report form before being
    told "您无权为该社区登记诉求"."""
    response = client_for(persona).get("/cases/report/")
    assert response.status_code == status
    if status == 403:
        assert "请先退出登录" in response.content.decode()
