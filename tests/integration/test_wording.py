"""Chinese punctuation in the Chinese UI (reviewer's walk, item 4): label and value are joined by
a full-width colon, a "…" button is not echoed as "…。", and the admin index's column headers
(Django's own msgids, missing from its zh_Hans catalog) are in Chinese."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from gridgov.audit.log import record
from gridgov.cases import actions
from gridgov.cases.choices import Status
from tests.cases_helpers import drive, make_case
from tests.registry_helpers import make_person

pytestmark = pytest.mark.django_db

CONFIRM = re.compile(r'<button type="submit" class="button primary">([^<]*)</button>')


def test_confirm_buttons_use_the_full_width_colon_and_no_ellipsis(world, client_for):
    case = make_case(world)
    page = client_for("staff").get(f"/cases/{case.number}/").content.decode()
    confirms = CONFIRM.findall(page)
    assert "确认：受理" in confirms
    assert "确认：合并到" in confirms
    assert not [c for c in confirms if ": " in c or "…" in c]


def test_the_merge_message_names_the_case_merged_into(world, client_for):
    duplicate, survivor = make_case(world), make_case(world)
    survivor = drive(world, survivor, Status.ACCEPTED)
    client = client_for("staff")
    answer = client.post(
        f"/cases/{duplicate.number}/merge_into/", {"target": survivor.number}, follow=True
    )
    page = answer.content.decode()
    assert f"操作成功：合并到 {survivor.number}。" in page
    assert "…。" not in page


def test_a_refused_field_is_named_with_a_full_width_colon(world, client_for):
    case = make_case(world)
    page = client_for("staff").post(
        f"/cases/{case.number}/merge_into/", {"target": ""}, follow=True
    )
    assert "合并到的工单编号：" in page.content.decode()


def test_an_english_page_keeps_the_ascii_colon(world, client_for):
    case = make_case(world)
    client = client_for("staff")
    client.cookies["django_language"] = "en"
    page = client.get(f"/cases/{case.number}/").content.decode()
    assert "Confirm: Merge into<" in page


def test_the_admin_index_headers_are_in_chinese(world, client_for):
    page = client_for("secadmin").get("/admin/").content.decode()
    for english in ("Model name", "Add link", "Change or view list link"):
        assert english not in page
    for chinese in ("数据类型", "新增链接", "修改或查看列表链接"):
        assert f'<th scope="col">{chinese}</th>' in page


def test_the_extension_hint_uses_the_full_width_colon(world, client_for):
    case = drive(world, make_case(world), Status.IN_PROGRESS)
    until = timezone.now() + dt.timedelta(days=30)
    actions.request_extension(case, acting_user=world.people.handler, until=until, reason="待采购")
    page = client_for("dispatcher").get(f"/cases/{case.number}/").content.decode()
    assert "申请延期至：" in page and "申请延期至:" not in page


def test_the_registry_history_uses_the_full_width_colon(world, client_for):
    person = make_person(world.building_a, name="王小明", phone="13912345678")
    record(
        "registry.person.update",
        actor=world.people.worker_a,
        obj=person,
        detail={"changes": {"phone": ["139****5678", "137****2222"]}},
    )
    page = client_for("worker_a").get(f"/registry/people/{person.pk}/").content.decode()
    assert '手机号码：<span class="mono">139****5678</span>' in page
