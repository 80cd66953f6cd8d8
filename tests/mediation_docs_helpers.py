"""A neighbour water-leak dispute taken through the mediation actions for the document and
workbench tests: level 1 fails, level 2 agrees in writing, followed up, judicially confirmed."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

from django.utils import timezone

from gridgov.mediation import actions
from gridgov.mediation.models import MediationCase

APPLICANT_ID = "222405198003150024"
RESPONDENT_ID = "222405197511200038"


def register_leak(world: Any) -> MediationCase:
    return actions.register_mediation(
        acting_user=world.people.worker_a,
        area=world.grid_a,
        source="oral",
        dispute_type="neighbour",
        title="楼上卫生间漏水致楼下天花板受损",
        summary="甲1号楼502室卫生间防水层老化，漏水至402室，天花板霉变脱落。",
        parties=[
            {
                "side": "applicant",
                "name": "王建国",
                "phone": "13804331234",
                "id_number": APPLICANT_ID,
                "address": "甲1号楼402室",
            },
            {
                "side": "respondent",
                "name": "李秀英",
                "phone": "13904335678",
                "id_number": RESPONDENT_ID,
                "address": "甲1号楼502室",
            },
        ],
    )


def statements(mediation: MediationCase, first: str, second: str) -> dict[int, tuple[str, bool]]:
    applicant, respondent = mediation.parties.order_by("side", "pk")
    return {applicant.pk: (first, True), respondent.pk: (second, True)}


def leak_through_level_2(world: Any, *, confirm: bool = True) -> SimpleNamespace:
    """Registered at level 1 by worker_a, a failed level-1 session, escalated to `mediator`,
    a formal session, a written agreement; then (confirm=True) the follow-up and the judicial
    confirmation."""
    people = world.people
    mediation = register_leak(world)
    now = timezone.now()
    today = timezone.localdate()
    mediation = actions.accept(mediation, acting_user=people.worker_a, note="双方同意调解")
    mediation = actions.record_session(
        mediation,
        acting_user=people.worker_a,
        held_at=now - dt.timedelta(hours=3),
        place="第一网格网格员工作站",
        attendees="王建国、李秀英、网格员",
        rights_explained=True,
        rights_text="short",
        outcome="双方对赔偿金额分歧较大，未能达成一致。",
        statements=statements(mediation, "要求赔偿修复费用五千元。", "只愿意承担一千元。"),
    )
    mediation = actions.escalate(
        mediation,
        acting_user=people.worker_a,
        reason="赔偿金额分歧大，需专职调解员介入",
        mediator=people.mediator,
    )
    mediation = actions.record_session(
        mediation,
        acting_user=people.mediator,
        held_at=now - dt.timedelta(hours=1),
        place="河西社区人民调解室",
        attendees="王建国、李秀英、人民调解员",
        rights_explained=True,
        rights_text="standard",
        evidence="402室天花板照片6张；维修报价单1份。",
        outcome="经释法说理，双方同意按维修报价分担费用。",
        statements=statements(mediation, "同意降低赔偿数额。", "同意修复防水层并赔偿。"),
    )
    mediation = actions.agree_written(
        mediation,
        acting_user=people.mediator,
        main_facts="502室卫生间防水层老化，致402室天花板渗水霉变。",
        points_in_dispute="漏水责任及402室天花板修复费用的承担。",
        responsibilities="李秀英对漏水负主要责任；王建国对损失扩大负次要责任。",
        terms="李秀英修复502室卫生间防水层，并赔偿王建国修复费用人民币叁仟元。",
        performance_method="防水层由李秀英委托施工；赔偿款以银行转账方式一次付清。",
        signed_on=today,
        performance_due=today + dt.timedelta(days=10),
    )
    agreement = mediation.agreements.get()
    if confirm:
        mediation = actions.follow_up(
            mediation, acting_user=people.mediator, result="performed", note="防水已修复，款已付"
        )
        mediation = actions.apply_confirmation(
            mediation, acting_user=people.mediator, applied_on=today, court="龙井市人民法院"
        )
        mediation = actions.record_court_acceptance(
            mediation, acting_user=people.mediator, accepted=True, decided_on=today
        )
        mediation = actions.record_confirmation_result(
            mediation, acting_user=people.mediator, result="confirmed", result_on=today
        )
    return SimpleNamespace(mediation=mediation, agreement=agreement)
