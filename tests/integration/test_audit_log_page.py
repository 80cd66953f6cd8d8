"""The audit log reads as words to a Chinese audit office: actions, roles, details, links."""

import re
from io import BytesIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from openpyxl import load_workbook

from gridgov.audit.log import record
from gridgov.audit.models import AuditEntry
from gridgov.audit.readable import action_label
from gridgov.audit.views import object_links
from gridgov.cases.choices import EventKind
from tests.cases_helpers import make_case

pytestmark = pytest.mark.django_db
SOURCE = Path(__file__).resolve().parents[2] / "gridgov"


def cells(html: str, testid: str) -> list[str]:
    found = re.findall(rf'data-testid="{testid}">(.*?)</td>', html, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", c).split()) for c in found]


def test_actions_roles_and_details_are_shown_in_chinese_words(world, client_for):
    staff = world.people.staff
    record("auth.login", actor=staff, obj=staff, object_repr="staff")
    record(
        "registry.person.unmask",
        actor=staff,
        object_repr="王**",
        detail={"reason": "核对住址", "fields": ["id_number", "phone"]},
    )
    record(
        "registry.person.update",
        actor=staff,
        detail={
            "changes": {"phone": ["139****5678", "138****0000"], "status": ["living", "moved_out"]}
        },
    )
    record("admin.update", actor=staff, detail={"change": [{"changed": {"fields": ["Name"]}}]})
    record("case.claimed", actor=staff, detail={"from": "dispatched", "to": "in_progress"})

    page = client_for("auditadmin").get("/audit/?actor=staff").content.decode()

    assert cells(page, "action") == [
        "工单：已签收",
        "后台修改",
        "修改居民信息",
        "查看完整身份证号和手机号",
        "登录",
    ]
    assert set(cells(page, "role")) == {"社区工作人员"}
    details = cells(page, "detail")
    assert details[0] == "原状态 已派单 新状态 办理中"
    assert details[1] == "变更内容 已修改姓名。"
    assert details[2] == "变更内容 手机号码：139****5678 → 138****0000；状态：在住 → 迁出"
    assert details[3] == "理由 核对住址 字段 公民身份号码、手机号码"
    # No codes or Python dicts as text (codes stay in a title for searching).
    assert "{'" not in page and ">auth.login<" not in page and "community_staff<" not in page


def recorded_actions() -> set[str]:
    """Every action string written anywhere: literals like `app.verb` that are not model labels."""
    found = set()
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for literal in re.findall(r'"([a-z_]+\.[a-z_]+(?:\.[a-z_]+)?)"', path.read_text()):
            if literal.split(".")[0] not in {"auth", "audit", "admin", "registry", "case", "cases"}:
                continue
            if literal in settings.OUTBOX_HANDLERS:
                continue  # an outbox topic ("cases.rating_sms"), not an audit action
            try:
                apps.get_model(literal)  # an object type such as "registry.person"
            except (LookupError, ValueError):
                found.add(literal)
    return found


def test_every_action_recorded_anywhere_has_a_chinese_label():
    actions = recorded_actions()
    assert {"auth.login", "registry.person.unmask", "registry.grant.create"} <= actions
    missing = sorted(a for a in actions if action_label(a) == a)
    assert missing == []
    unlabelled_moves = [k for k in EventKind.values if action_label(f"case.{k}") == f"case.{k}"]
    assert unlabelled_moves == []
    assert action_label("case.resolved") == "工单：已办结"
    assert action_label("case.resolved_on_spot") == "工单：现场自处理"


def test_an_unknown_action_is_shown_as_its_code():
    assert action_label("test.thing") == "test.thing"


def test_english_users_get_english_words(world, client_for):
    record("registry.person.unmask", actor=world.people.staff, detail={"reason": "check"})
    client = client_for("auditadmin")
    client.cookies["django_language"] = "en"
    page = client.get("/audit/?actor=staff").content.decode()
    assert cells(page, "action") == ["Full ID number and phone shown"]
    assert cells(page, "role") == ["Community staff"]
    assert cells(page, "detail") == ["Reason check"]


def test_each_row_links_to_the_history_of_its_object(world, client_for):
    case = make_case(world)
    client = client_for("auditadmin")
    page = client.get("/audit/?actor=staff").content.decode()
    history = f"?object_type=cases.case&amp;object_id={case.pk}"
    assert f'href="{history}"' in page
    followed = client.get("/audit/" + history.replace("&amp;", "&")).content.decode()
    assert cells(followed, "action") == ["工单：已创建"]
    assert cells(followed, "detail") == ["原状态 — 新状态 待受理"]
    # The auditor holds no area role (三权分立): no link into the case itself.
    assert f"/cases/{case.number}/" not in page


def test_object_links_follow_what_the_viewer_may_see(world):
    case = make_case(world)
    record("case.created", obj=case, object_repr=case.number)
    rows = list(AuditEntry.objects.filter(object_type="cases.case"))
    assert object_links(rows, world.people.worker_a) == {
        ("cases.case", str(case.pk)): f"/cases/{case.number}/"
    }
    assert object_links(rows, world.people.worker_b) == {}
    assert object_links(rows, world.people.auditadmin) == {}


def test_the_log_page_queries_do_not_grow_with_rows(world, client_for, django_assert_num_queries):
    client = client_for("auditadmin")
    case = make_case(world)
    client.get("/audit/")  # settle the session
    with django_assert_num_queries(8):
        client.get("/audit/")
    for _ in range(40):
        record("case.claimed", actor=world.people.staff, obj=case, detail={"to": "in_progress"})
        record("registry.person.update", actor=world.people.worker_a, detail={"changes": {}})
    with django_assert_num_queries(8):
        assert client.get("/audit/").status_code == 200


def test_the_export_has_words_and_key_value_details(world, client_for):
    record(
        "registry.person.unmask",
        actor=world.people.staff,
        detail={"reason": "核对住址", "fields": ["id_number", "phone"]},
    )
    response = client_for("auditadmin").get("/audit/export.xlsx?actor=staff")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(r for r in rows if r and r[0] == "#")
    row = dict(zip(header, rows[rows.index(header) + 1], strict=True))
    assert row["操作"] == "查看完整身份证号和手机号"
    assert row["操作代码"] == "registry.person.unmask"
    assert row["角色"] == "社区工作人员"
    assert row["详情"] == "理由：核对住址\n字段：公民身份号码、手机号码"
