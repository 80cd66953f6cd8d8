import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from gridgov.cases.choices import Status
from gridgov.cases.models import Case, CaseEvent
from tests.cases_helpers import drive, make_case
from tests.permissions import check_matrix
from tests.unit.test_rules_lifecycle import ALLOWED, STATUSES

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def api(world):
    def make(name):
        client = APIClient()
        client.force_authenticate(getattr(world.people, name))
        return client

    return make


def act(client, case, action, **data):
    return client.post(f"/api/v1/cases/{case.pk}/{action}/", data, format="json")


def test_the_whole_loop_through_the_api(world, api):
    staff = api("staff")
    created = staff.post(
        "/api/v1/cases/",
        {
            "channel": "hotline",
            "title": "井盖破损",
            "description": "河西路井盖破损，车辆经过危险。",
            "category": "0301",
            "building": "B-A1",
            "reporter_name": "李先生",
            "reporter_phone": "13700001111",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["status"], body["grid"], body["owner"]) == (
        "submitted",
        "222405001001001",
        "HX-SQ",
    )
    assert body["reporter"] == "李** 137****1111"
    assert set(body["actions"]) >= {"accept", "reject", "void"}
    case = Case.objects.get(pk=body["id"])
    steps = [
        ("staff", "accept", {}),
        ("staff", "escalate", {"note": "需街道协调"}),
        ("dispatcher", "dispatch", {"department": world.water.pk}),
        ("handler", "claim", {}),
        ("handler", "add-progress-note", {"note": "已到现场"}),
        ("handler", "resolve", {"result": "已更换井盖"}),
        ("worker_a", "verify", {"passed": True}),
        ("staff", "rate", {"solved": True, "satisfaction": 5, "comment": "回访：很快"}),
    ]
    for persona, action, data in steps:
        response = act(api(persona), case, action, **data)
        assert response.status_code == 200, (action, response.json())
    final = staff.get(f"/api/v1/cases/{case.pk}/").json()
    assert final["status"] == "closed" and final["satisfaction"] == 5
    assert [e["kind"] for e in final["events"]] == [
        "created",
        "accepted",
        "escalated",
        "dispatched",
        "claimed",
        "progress_note",
        "resolved",
        "verified",
        "rated",
    ]


def test_bad_input_gets_a_clear_400_and_changes_nothing(world, api):
    staff = api("staff")
    for payload, field in [
        ({"title": "x", "description": "y"}, "non_field_errors"),
        ({"title": "x", "description": "y", "lat": 42.7}, "non_field_errors"),
        ({"title": "", "description": "y", "building": "B-A1"}, "title"),
        ({"title": "x", "description": "y" * 5001, "building": "B-A1"}, "description"),
        ({"title": "x", "description": "y", "building": "NOPE"}, "building"),
        ({"title": "x", "description": "y", "building": "B-A1", "category": "03"}, "category"),
        ({"title": "x", "description": "y", "building": "B-A1", "urgency": "now"}, "urgency"),
    ]:
        response = staff.post("/api/v1/cases/", payload, format="json")
        assert response.status_code == 400 and field in response.json(), (payload, response.json())
    response = staff.post("/api/v1/cases/", "{not json", content_type="application/json")
    assert response.status_code == 400 and "detail" in response.json()
    assert Case.objects.count() == 0


def test_a_building_in_another_community_is_unknown_to_staff(world, api):
    response = api("staff").post(
        "/api/v1/cases/", {"title": "x", "description": "y", "building": "B-C1"}, format="json"
    )
    assert response.status_code == 400 and "building" in response.json()


def test_html_in_text_is_kept_as_text(world, api, client_for):
    case = make_case(world, title="<script>alert(1)</script>")
    assert api("staff").get(f"/api/v1/cases/{case.pk}/").json()["title"] == (
        "<script>alert(1)</script>"
    )
    html = client_for("staff").get(f"/cases/{case.number}/").content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_case_endpoints_permission_matrix(world, client_for):
    case = drive(world, make_case(world), Status.DISPATCHED)
    url = f"/api/v1/cases/{case.pk}/"
    check_matrix(
        client_for,
        "get",
        url,
        {
            "anonymous": 403,
            "staff": 200,
            "worker_a": 200,
            "worker_b": 404,
            "dispatcher": 200,
            "leader": 200,
            "handler": 200,
            "handler_urban": 404,
            "resident": 200,
            "other_staff": 404,
            "outsider": 404,
            "sysadmin": 404,
            "secadmin": 404,
            "mediator": 404,
        },
    )
    snapshot = lambda: list(Case.objects.values_list("status", "owner_id", "updated_at"))  # noqa: E731
    check_matrix(
        client_for,
        "post",
        f"{url}claim/",
        {
            "anonymous": 403,
            "handler_urban": 404,
            "outsider": 404,
            "staff": 403,
            "worker_a": 403,
            "dispatcher": 403,
            "resident": 403,
        },
        data={},
        content_type="application/json",
        state=snapshot,
    )
    check_matrix(
        client_for,
        "post",
        f"{url}claim/",
        {"handler": 200},
        data={},
        content_type="application/json",
    )


def test_list_endpoints_matrix(world, client_for):
    for url in ("/api/v1/cases/", "/api/v1/categories/", "/api/v1/organisations/"):
        check_matrix(client_for, "get", url, {"anonymous": 403, "staff": 200, "outsider": 200})


def test_categories_and_organisations(world, api):
    categories = api("staff").get("/api/v1/categories/").json()["results"]
    leaf = next(c for c in categories if c["code"] == "0301")
    assert leaf["default_department"] == "LJ-SW" and leaf["parent_code"] == "03"
    organisations = api("staff").get("/api/v1/organisations/", {"kind": "water"}).json()
    assert [o["code"] for o in organisations["results"]] == ["LJ-SW"]


# From the hand-written lifecycle table, not from the code's TRANSITIONS (issue #8, item 26).
ILLEGAL = [
    (status, action)
    for status in sorted(STATUSES)
    for action, allowed in sorted(ALLOWED.items())
    if not allowed[status]
]


@pytest.mark.parametrize(("status", "action"), ILLEGAL)
def test_every_illegal_move_is_refused_and_changes_nothing(world, status, action):
    from django.contrib.auth.models import AnonymousUser  # noqa: F401

    case = drive(world, make_case(world), status)
    before = (
        list(Case.objects.values_list("id", "status", "owner_id", "updated_at")),
        CaseEvent.objects.count(),
    )
    client = APIClient()
    client.force_authenticate(_superuser(world))
    response = client.post(f"/api/v1/cases/{case.pk}/{action}/", {}, format="json")
    assert response.status_code in (400, 409), response.json()
    if response.status_code == 409:
        assert "现在不能" in response.json()["detail"]
    after = (
        list(Case.objects.values_list("id", "status", "owner_id", "updated_at")),
        CaseEvent.objects.count(),
    )
    assert after == before


def _superuser(world):
    """A user who sees every case (the superuser flag no longer bypasses visibility, ADR 0003):
    a leader over the whole city."""
    from gridgov.accounts.choices import Role
    from gridgov.accounts.models import Membership, User

    user, created = User.objects.get_or_create(username="root")
    if created:
        Membership.objects.create(user=user, role=Role.LEADER, area=world.city)
    return user


def test_illegal_move_message_with_valid_input(world, api):
    case = drive(world, make_case(world), Status.CLOSED)
    response = act(api("dispatcher"), case, "dispatch", department=world.water.pk)
    assert response.status_code == 409
    assert response.json()["detail"] == "该工单当前状态为“已办结”，现在不能派单。"


def test_case_list_query_count_is_constant(world, api):
    make_case(world)
    api("leader").get("/api/v1/cases/")  # warm: the same user object serves both requests
    client = api("leader")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/v1/cases/").status_code == 200
    for n in range(12):
        make_case(world, building=world.building_b if n % 2 else world.building_a)
    with CaptureQueriesContext(connection) as many:
        body = client.get("/api/v1/cases/").json()
    assert body["count"] == 13
    assert len(many) == len(few)


def test_filters_on_the_api_list(world, api):
    make_case(world, title="井盖")
    drive(world, make_case(world, title="路灯", building=world.building_b), Status.ACCEPTED)
    client = api("staff")
    assert [
        c["title"] for c in client.get("/api/v1/cases/", {"status": "accepted"}).json()["results"]
    ] == ["路灯"]
    assert [c["title"] for c in client.get("/api/v1/cases/", {"q": "井盖"}).json()["results"]] == [
        "井盖"
    ]
    assert client.get("/api/v1/cases/", {"grid": world.grid_b.code}).json()["count"] == 1
    assert client.get("/api/v1/cases/", {"status": "bogus"}).status_code == 400


def test_issue_token_prints_a_working_token(world, capsys):
    from django.core.management import call_command

    call_command("issue_token", "staff")
    token = capsys.readouterr().out.strip()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/cases/").status_code == 200
