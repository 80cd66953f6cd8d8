"""The case page's buttons: the red one is the next step of the normal path (issue #8 item 17),
and residents read plain words (item 18).

The expectations are written by hand from domain.md §3 (群众点单、社区接单、街道派单、部门领单):
they are not derived from the action specs.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from gridgov.cases import actions
from gridgov.cases.actions import CASES, CaseAction
from gridgov.cases.choices import Satisfaction, Status
from tests.cases_helpers import drive, make_case

pytestmark = pytest.mark.django_db

BUTTON = re.compile(r'<summary class="button( primary)?">([^<]*)</summary>')


def situation(world, name):
    p = world.people
    case = make_case(world)
    if name == "community_work":
        case = drive(world, case, Status.ACCEPTED)
        return actions.handle_locally(case, acting_user=p.staff)
    if name == "extension_asked":
        case = drive(world, case, Status.IN_PROGRESS)
        until = timezone.now() + dt.timedelta(days=60)
        return actions.request_extension(case, acting_user=p.handler, until=until, reason="待采购")
    if name == "closed_unhappy":
        case = drive(world, case, Status.AWAITING_FEEDBACK)
        return actions.rate_case(
            case, acting_user=p.resident, solved=False, satisfaction=Satisfaction.DISSATISFIED
        )
    return drive(world, case, name)


def buttons(client, case):
    response = client.get(f"/cases/{case.number}/")
    assert response.status_code == 200
    return [(label, bool(primary)) for primary, label in BUTTON.findall(response.content.decode())]


# (situation, persona) → the label of the red button, or None when no step of the normal path
# is theirs to take now.
PRIMARY = {
    ("submitted", "staff"): "受理",
    ("submitted", "worker_a"): None,
    ("submitted", "dispatcher"): None,
    ("submitted", "leader"): None,
    ("submitted", "resident"): None,
    ("accepted", "staff"): "上报街道",
    ("accepted", "worker_a"): None,
    ("accepted", "dispatcher"): None,
    ("escalated", "dispatcher"): "派单",
    ("escalated", "staff"): None,
    ("escalated", "leader"): None,
    ("dispatched", "handler"): "签收",
    ("dispatched", "dispatcher"): None,
    ("dispatched", "staff"): None,
    ("return_requested", "dispatcher"): "审核退单",
    ("return_requested", "staff"): None,
    ("in_progress", "handler"): "反馈办理结果",
    ("in_progress", "dispatcher"): None,
    ("in_progress", "staff"): None,
    ("extension_asked", "dispatcher"): "同意延期",
    ("extension_asked", "handler"): "反馈办理结果",
    ("community_work", "staff"): "反馈办理结果",
    ("community_work", "worker_a"): "反馈办理结果",
    ("resolved", "worker_a"): "核查",
    ("resolved", "staff"): "核查",
    ("awaiting_feedback", "resident"): "评价",
    ("awaiting_feedback", "staff"): "录入评价",
    ("closed_unhappy", "resident"): None,
    ("closed_unhappy", "staff"): None,
    ("in_mediation", "staff"): None,
    ("in_mediation", "worker_a"): None,
}


@pytest.mark.parametrize(("name", "persona"), list(PRIMARY))
def test_the_primary_button_is_the_next_step_of_the_normal_path(world, client_for, name, persona):
    case = situation(world, name)
    shown = buttons(client_for(persona), case)

    primaries = [label for label, primary in shown if primary]
    expected = PRIMARY[(name, persona)]
    assert primaries == ([expected] if expected else []), shown
    if expected:
        assert shown[0] == (expected, True), "the primary button comes first"


# The whole row for the pages the issue names: rarely used moves come after the next step.
ORDER = {
    ("accepted", "staff"): ["上报街道", "社区自办", "填写进展", "转入调解", "合并到…", "作废"],
    ("dispatched", "handler"): ["签收", "填写进展", "申请延期", "退单"],
    ("in_progress", "handler"): ["反馈办理结果", "填写进展", "申请延期", "退单"],
    ("awaiting_feedback", "staff"): ["录入评价", "填写进展", "办结（未评价）"],
    # With the mediation committee (ADR 0016): a note only, no step of the loop.
    ("in_mediation", "staff"): ["填写进展"],
}


@pytest.mark.parametrize(("name", "persona"), list(ORDER))
def test_rarely_used_moves_come_after_the_next_step(world, client_for, name, persona):
    case = situation(world, name)

    assert [label for label, _primary in buttons(client_for(persona), case)] == ORDER[
        (name, persona)
    ]


def test_the_page_order_names_every_action_once():
    ordered = [spec.name for spec in CASES.ordered()]
    assert sorted(ordered) == sorted(CaseAction) and len(ordered) == 23
    keys = [spec.sort_key() for spec in CASES.ordered()]
    assert len(set(keys)) == len(keys)  # no two actions share a place


def test_a_resident_rates_their_case_in_plain_words(world, client_for):
    case = situation(world, "awaiting_feedback")

    page = client_for("resident").get(f"/cases/{case.number}/").content.decode()

    assert "录入评价" not in page
    assert "确认：评价" in page
    response = client_for("resident").post(
        f"/cases/{case.number}/rate/", {"solved": "true", "satisfaction": "5"}, follow=True
    )
    assert "操作成功：评价。" in response.content.decode()


def test_residents_choose_and_filter_categories_by_name_not_code(world, client_for):
    resident = client_for("resident")

    for url in ("/cases/", "/cases/report/"):
        page = resident.get(url).content.decode()
        assert ">突发漏水/水管破裂</option>" in page, url
        # The code never shows beside the name (a bare "0301" may occur in a random token).
        assert "0301 突发" not in page, url
        assert ">0301" not in page, url
    # Staff keep the codes they work with.
    assert ">0301 突发漏水/水管破裂</option>" in client_for("staff").get("/cases/").content.decode()


def test_a_failed_verification_says_the_case_went_back(world, client_for):
    case = situation(world, "resolved")

    response = client_for("worker_a").post(
        f"/cases/{case.number}/verify/", {"passed": "false", "note": "仍在漏水"}, follow=True
    )

    assert "操作成功：核查。工单现为：办理中。" in response.content.decode()
