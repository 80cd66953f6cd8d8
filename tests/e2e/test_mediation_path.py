"""Three-level mediation in the browser: a neighbour water-leak dispute referred from a case;
the grid worker fails at level 1 and escalates, the people's mediator reaches a written
agreement at level 2, its PDF is downloaded and read back, the follow-up and the judicial
confirmation are recorded, and the referring case ends resolved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.e2e.conftest import screenshot, sign_in
from tests.pdf_helpers import pdf_plain_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RESPONDENT_ID = "222405197511200038"


@pytest.fixture
def desktop(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, locale="zh-CN", accept_downloads=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def act(page, slug: str, *, fill=None, select=None, check=None) -> None:
    """Open the action `slug` on the case page, fill its form and submit it."""
    box = page.locator(f"details.action-{slug}")
    box.locator("summary").click()
    form = box.locator("form")
    for name, value in (fill or {}).items():
        form.locator(f"[name={name}]").fill(value)
    for name, value in (select or {}).items():
        form.locator(f"select[name={name}]").select_option(value)
    for name, value in (check or {}).items():
        form.locator(f"input[name={name}][value={value}]").check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_a_water_leak_dispute_through_three_level_mediation(world, live_server, phone, desktop):
    from django.utils import timezone

    from gridgov.cases import actions as case_actions
    from gridgov.cases.choices import Status
    from gridgov.cases.models import Case
    from gridgov.mediation import actions
    from gridgov.mediation.models import JudicialConfirmation, MediationCase
    from tests.cases_helpers import drive, make_case

    people = world.people
    case = drive(world, make_case(world, title="楼上卫生间漏水邻里纠纷"), Status.ACCEPTED)
    case_actions.refer_to_mediation(case, acting_user=people.worker_a, note="邻里纠纷，转调解")
    mediation = MediationCase.objects.get(case=case)  # registered by the outbox on commit
    actions.add_party(
        mediation,
        acting_user=people.worker_a,
        side="respondent",
        name="李秀英",
        phone="13904335678",
        id_number=RESPONDENT_ID,
        address="甲1号楼502室",
    )
    applicant, respondent = mediation.parties.order_by("side", "pk")
    now = timezone.localtime()
    today = timezone.localdate()

    # Level 1: the grid worker, on a phone, finds the case in the level-1 list.
    sign_in(phone, live_server, "worker_a")
    phone.goto(f"{live_server.url}/mediation/workbench/")
    assert "楼上卫生间漏水邻里纠纷" in phone.locator("[data-testid=workbench-list]").inner_text()
    screenshot(phone, "mediation-workbench-grid-worker-390")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.goto(f"{live_server.url}/mediation/{mediation.pk}/")
    act(phone, "accept")
    act(
        phone,
        "record_session",
        fill={
            "held_at": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "place": "第一网格网格员工作站",
            "attendees": "王女士、李秀英、网格员",
            "outcome": "双方对赔偿金额分歧较大，未能达成一致。",
            f"statement_{applicant.pk}": "要求赔偿修复费用五千元。",
            f"statement_{respondent.pk}": "只愿意承担一千元。",
        },
        select={"rights_text": "short"},
        check={
            "rights_explained": "true",
            f"signed_{applicant.pk}": "true",
            f"signed_{respondent.pk}": "true",
        },
    )
    mediation.refresh_from_db()
    assert mediation.status == "mediating", phone.locator("main").inner_text()[:1500]
    act(
        phone,
        "escalate",
        fill={"reason": "赔偿金额分歧大，需专职调解员介入"},
        select={"mediator": str(people.mediator.pk)},
    )
    mediation.refresh_from_db()
    assert (mediation.level, mediation.status) == (2, "mediating")
    screenshot(phone, "mediation-case-after-escalation-390")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # Level 2: the people's mediator at a desk.
    sign_in(desktop, live_server, "mediator", tap=False)
    desktop.goto(f"{live_server.url}/mediation/workbench/?queue=awaiting_agreement")
    assert "楼上卫生间漏水邻里纠纷" in desktop.locator("[data-testid=workbench-list]").inner_text()
    assert desktop.locator("[data-testid=mediation-nav-count]").inner_text() == "1"
    screenshot(desktop, "mediation-workbench-mediator-1280")
    desktop.goto(f"{live_server.url}/mediation/{mediation.pk}/")
    act(
        desktop,
        "agree_written",
        fill={
            "main_facts": "502室卫生间防水层老化，致402室天花板渗水霉变。",
            "points_in_dispute": "漏水责任及天花板修复费用的承担。",
            "responsibilities": "李秀英对漏水负主要责任。",
            "terms": "李秀英修复卫生间防水层，并赔偿修复费用人民币叁仟元。",
            "performance_method": "赔偿款以银行转账方式一次付清。",
            "performance_due": (today + dt.timedelta(days=10)).isoformat(),
            "signed_on": today.isoformat(),
        },
    )
    mediation.refresh_from_db()
    assert mediation.status == "agreed"
    # The referring case was resolved through its own action.
    assert Case.objects.get(pk=case.pk).status == Status.RESOLVED

    # The agreement as a PDF, read back.
    with desktop.expect_download() as download:
        desktop.locator("[data-testid=agreement-pdf]").click()
    text = pdf_plain_text(Path(download.value.path()).read_bytes())
    assert "人民调解协议书" in text
    assert "李秀英修复卫生间防水层，并赔偿修复费用人民币叁仟元。" in text
    assert RESPONDENT_ID in text  # the parties sign it: IDs in full
    assert "本协议书一式三份，双方当事人、人民调解委员会各执一份" in text

    # Follow-up, then judicial confirmation.
    act(desktop, "follow_up", select={"result": "performed"}, fill={"note": "防水已修复，款已付"})
    act(
        desktop,
        "apply_confirmation",
        fill={"applied_on": today.isoformat(), "court": "龙井市人民法院"},
    )
    act(
        desktop,
        "record_court_acceptance",
        check={"accepted": "true"},
        fill={"decided_on": today.isoformat()},
    )
    act(
        desktop,
        "record_confirmation_result",
        select={"result": "confirmed"},
        fill={"result_on": today.isoformat()},
    )
    confirmation = JudicialConfirmation.objects.get(mediation=mediation)
    assert (confirmation.court, confirmation.accepted, confirmation.result) == (
        "龙井市人民法院",
        True,
        "confirmed",
    )
    mediation.refresh_from_db()
    assert mediation.status == "closed"
    screenshot(desktop, "mediation-case-closed-1280")
    phone.goto(f"{live_server.url}/mediation/{mediation.pk}/")
    screenshot(phone, "mediation-case-closed-390")
    assert Case.objects.get(pk=case.pk).status == Status.RESOLVED
