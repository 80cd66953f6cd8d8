# ruff: noqa: E501 — the dispute table below keeps one dispute per line
"""Demo mediation: this year's 23 disputes of 河西社区 at every level and outcome, made through
the mediation actions (so every event, assignment and audit row is real), then moved back in
time to the day each happened (as the hazard demo moves deadlines), so the year reads like one.

Disputes referred from the demo's cases and talk points are registered by the outbox and count
among the 23; the rest are applications. Idempotent: nothing is done once an application of
the community exists.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from gridgov.accounts.choices import Role
from gridgov.cases.models import Case
from gridgov.core.identity import check_digit
from gridgov.demo.cases import _member
from gridgov.geo.models import Area
from gridgov.mediation import actions, deadlines
from gridgov.mediation.models import (
    JudicialConfirmation,
    MediationAgreement,
    MediationCase,
    MediationEvent,
    MediationExtension,
    MediationFollowUp,
    MediationSession,
    MediatorAssignment,
)

TOTAL = 23


@dataclass(frozen=True)
class Dispute:
    title: str
    kind: str  # DisputeType value
    summary: str
    applicant: str
    respondent: str
    target: str  # what happens to it (see _play)
    age: int  # days ago it was registered
    grid: int | None = 0  # index of the grid; None: registered at the community (level 2)


D = Dispute
# fmt: off
DISPUTES = [
    # Open, recent: what the workbenches show today.
    D("楼上卫生间漏水殃及楼下", "neighbour", "楼上卫生间防水失效，楼下天花板渗水发霉。", "王建国", "李秀英", "new", 1, 0),
    D("邻居装修噪音扰民", "neighbour", "邻居夜间装修，噪音影响老人休息。", "孙桂兰", "周强", "new", 2, 3),
    D("物业费上涨争议", "property_management", "物业费单方上调，业主拒缴。", "赵丽", "河西物业服务有限公司", "new", 3, None),
    D("楼道堆放杂物引发口角", "neighbour", "楼道长期堆放纸箱，邻居多次争吵。", "陈梅", "刘洋", "accepted", 4, None),
    D("空调外机噪音纠纷", "neighbour", "空调外机正对邻居卧室窗户。", "张伟", "吴敏", "mediating1", 12, 0),
    D("共用水管维修费用分摊", "neighbour", "单元共用水管破裂，维修费分摊有争议。", "杨帆", "黄丽", "mediating1_yellow", 27, 4),
    D("电梯维修费用分摊", "property_management", "电梯大修费用如何在业主间分摊。", "郑秀珍", "河西物业服务有限公司", "mediating2", 9, 5),
    D("兄弟赡养老人分歧", "family", "兄弟二人对母亲赡养费用分担意见不一。", "林建华", "林建军", "mediating2_risk", 16, 6),
    D("宠物狗咬伤邻居", "neighbour", "邻居家犬只未拴绳咬伤儿童。", "何晓燕", "马超", "mediating2_overdue", 35, 7),
    D("车位被长期占用", "property_management", "业主车位被他人长期占用。", "罗军", "谢芳", "mediating2_extended", 40, 8),
    D("房屋继承纠纷", "family", "父母遗留房屋的继承份额争议。", "高明", "高红", "mediating3", 20, 0),
    # Agreed, under follow-up.
    D("阳台晾晒滴水纠纷", "neighbour", "楼上阳台晾衣滴水弄脏楼下衣物。", "徐丽娟", "朱海", "agreed1_written", 6, 1),
    D("外墙渗水维修责任", "property_management", "外墙渗水，物业与业主互相推诿。", "宋雨", "河西物业服务有限公司", "agreed2_follow_up_due", 22, 2),
    D("楼上漏水赔偿", "neighbour", "楼上水管爆裂，楼下家具受损。", "韩冬", "冯磊", "agreed2_confirmation_closing", 26, 3),
    # Closed.
    D("树木遮挡采光", "neighbour", "院内树木遮挡一楼住户采光。", "董玉兰", "袁刚", "closed_oral", 70, 4),
    D("垃圾桶摆放位置争议", "neighbour", "垃圾桶摆放位置影响门前卫生。", "曹静", "邓勇", "closed_oral", 95, 5),
    D("夫妻分居财产分割", "family", "分居期间共同存款使用争议。", "许娜", "傅斌", "closed_oral", 130, 6),
    D("暖气不热退费纠纷", "property_management", "冬季暖气温度不达标，要求退费。", "沈红", "河西物业服务有限公司", "closed_written", 150, 7),
    D("相邻通行权纠纷", "neighbour", "院门通道被邻居砌墙阻断。", "曾伟", "彭丽", "closed_written_confirmed", 60, 8),
    D("拖欠装修工钱", "labour", "装修工人工钱被拖欠两个月。", "吕强", "苏建国", "closed_advise_suit", 110, 0),
    # Ended without agreement.
    D("院内车辆剐蹭赔偿", "other", "院内停车剐蹭，对赔偿金额争执不下。", "蒋涛", "蔡敏", "failed", 80, 1),
    D("出租屋押金退还", "housing_land", "租期届满房东拒退押金。", "贾琳", "丁浩", "failed", 45, 2),
    D("小区广场舞噪音", "neighbour", "广场舞音响过大，住户要求限时。", "魏秀英", "广场舞队", "not_accepted", 50, 3),
]
# fmt: on


def _id(n: int) -> str:
    first17 = f"222405{1960 + n % 40:04d}{1 + n % 12:02d}{1 + n % 28:02d}{100 + n:03d}"
    return first17 + check_digit(first17)


def seed_mediation(community_code: str) -> int:
    community = Area.objects.get(code=community_code)
    cases = MediationCase.objects.filter(community=community)
    if cases.exclude(source="referral").exists():
        return 0
    grids = list(Area.objects.grids().filter(parent=community).order_by("code"))
    people = {
        "mediator": _member(Role.MEDIATOR, organisation__code="HX-TWH"),
        "judicial": _member(Role.JUDICIAL_OFFICER, organisation__code="LY-SFS"),
    }
    # Referred cases become mediation cases when the outbox delivers, which may be after this
    # seed's transaction: count the referrals, not the mediation cases made of them so far.
    referred = Case.objects.filter(community=community, mediation_referred_at__isnull=False).count()
    made = 0
    # The referred disputes wait to be accepted: they take the place of the first new ones.
    for n, dispute in enumerate(DISPUTES[min(referred, 3) :][: max(0, TOTAL - referred)]):
        area = community if dispute.grid is None else grids[dispute.grid % len(grids)]
        worker = _member(Role.GRID_WORKER, area=grids[(dispute.grid or 0) % len(grids)])
        registrar = people["mediator"] if dispute.grid is None else worker
        mediation = actions.register_mediation(
            acting_user=registrar,
            area=area,
            source="oral" if n % 3 else "written",
            dispute_type=dispute.kind,
            title=dispute.title,
            summary=dispute.summary,
            parties=[
                {
                    "side": "applicant",
                    "name": dispute.applicant,
                    "phone": f"139{4330000 + n * 7:08d}",
                    "id_number": _id(2 * n),
                    "address": f"{area.name}{n + 1}号楼{101 + n}室",
                },
                {
                    "side": "respondent",
                    "name": dispute.respondent,
                    "phone": f"138{4330000 + n * 11:08d}",
                    "id_number": "" if "公司" in dispute.respondent else _id(2 * n + 1),
                    "address": f"{area.name}{n + 2}号楼{201 + n}室",
                },
            ],
        )
        _play(mediation, dispute, worker, people)
        _backdate(mediation, dispute.age)
        made += 1
    return made


def _statements(mediation: MediationCase, a: str, b: str) -> dict[int, tuple[str, bool]]:
    applicant, respondent = mediation.parties.order_by("side", "pk")
    return {applicant.pk: (a, True), respondent.pk: (b, True)}


def _session(mediation: MediationCase, user: Any, outcome: str, *, formal: bool) -> MediationCase:
    return actions.record_session(
        mediation,
        acting_user=user,
        held_at=timezone.now() - dt.timedelta(minutes=30),
        place="河西社区人民调解室" if formal else "网格员工作站",
        attendees="双方当事人、调解员",
        rights_explained=True,
        rights_text="standard" if formal else "short",
        evidence="现场照片、双方提供的票据。" if formal else "",
        outcome=outcome,
        statements=_statements(mediation, "陈述了纠纷经过和诉求。", "陈述了自己的理由。"),
    )


def _written(mediation: MediationCase, user: Any, dispute: Dispute) -> MediationCase:
    today = timezone.localdate()
    return actions.agree_written(
        mediation,
        acting_user=user,
        main_facts=dispute.summary,
        points_in_dispute=f"{dispute.title}的责任与费用承担。",
        responsibilities=f"{dispute.respondent}负主要责任，{dispute.applicant}负次要责任。",
        terms=f"{dispute.respondent}在约定期限内消除妨害并补偿{dispute.applicant}人民币贰仟元。",
        performance_method="现场整改，补偿款以银行转账一次付清。",
        signed_on=today,
        performance_due=today + dt.timedelta(days=7),
    )


def _play(mediation: MediationCase, dispute: Dispute, worker: Any, people: dict[str, Any]) -> None:
    """Take the dispute to its target through the actions."""
    target = dispute.target
    mediator, judicial = people["mediator"], people["judicial"]
    if target == "new":
        return
    if target == "not_accepted":
        actions.not_accept(mediation, acting_user=worker, reason="被申请人明确拒绝调解。")
        return
    level1 = dispute.grid is not None
    first = worker if level1 else mediator
    mediation = actions.accept(mediation, acting_user=first, note="双方同意调解。")
    if target == "accepted":
        return
    if target.startswith("mediating1") or target in ("agreed1_written", "closed_oral"):
        mediation = _session(mediation, worker, "初步沟通，双方仍有分歧。", formal=False)
        if target == "agreed1_written":
            _written(mediation, worker, dispute)
        elif target == "closed_oral":
            mediation = actions.agree_oral(
                mediation,
                acting_user=worker,
                terms=f"{dispute.respondent}同意一周内整改。",
                agreed_on=timezone.localdate(),
            )
            actions.follow_up(mediation, acting_user=worker, result="performed", note="已整改。")
        return
    # Level 2: a grid worker's case is escalated after a failed first session.
    if level1:
        mediation = _session(mediation, worker, "分歧较大，网格员调解未成。", formal=False)
        mediation = actions.escalate(
            mediation, acting_user=worker, reason="分歧较大，需专职调解员。", mediator=mediator
        )
    mediation = _session(mediation, mediator, "释法说理，双方立场有所接近。", formal=True)
    if target == "mediating2_risk":
        actions.flag_risk(mediation, acting_user=mediator, reason="双方情绪激动，曾有肢体冲突。")
    elif target == "mediating2_extended":
        parties = list(mediation.parties.values_list("pk", flat=True))
        assert mediation.due_on is not None
        actions.extend(
            mediation,
            acting_user=mediator,
            new_due_on=mediation.due_on + dt.timedelta(days=15),
            consents={pk: True for pk in parties},
            note="双方书面同意延长调解期限。",
        )
    elif target == "mediating3":
        actions.escalate(
            mediation,
            acting_user=mediator,
            reason="涉及继承法律问题，需司法所指导。",
            mediator=judicial,
        )
    elif target == "failed":
        actions.fail(
            mediation,
            acting_user=mediator,
            reason="双方对赔偿金额分歧过大，调解不成。",
            routes=["litigation", "arbitration"] if dispute.kind == "labour" else ["litigation"],
        )
    elif target.startswith(("agreed2", "closed_written", "closed_advise")):
        mediation = _written(mediation, mediator, dispute)
        if target == "closed_written":
            actions.follow_up(mediation, acting_user=mediator, result="performed", note="已履行。")
        elif target == "closed_advise_suit":
            actions.follow_up(
                mediation,
                acting_user=mediator,
                result="not_performed",
                next_step="advise_suit",
                note="对方拒不履行，告知可向法院起诉。",
            )
        elif target == "closed_written_confirmed":
            today = timezone.localdate()
            mediation = actions.apply_confirmation(
                mediation, acting_user=mediator, applied_on=today, court="龙井市人民法院"
            )
            mediation = actions.record_court_acceptance(
                mediation, acting_user=judicial, accepted=True, decided_on=today
            )
            mediation = actions.record_confirmation_result(
                mediation, acting_user=judicial, result="confirmed", result_on=today
            )
            actions.follow_up(mediation, acting_user=mediator, result="performed", note="已履行。")


def _backdate(mediation: MediationCase, days: int) -> None:
    """Move the whole case `days` back, as if it had happened then; the time limit is computed
    again from the acceptance day (holidays move it), plus any extension."""
    if days <= 0:
        return
    delta = dt.timedelta(days=days)

    def back(value: Any) -> Any:
        return value - delta if value is not None else None

    row = MediationCase.objects.get(pk=mediation.pk)
    fields = {
        "created_at": back(row.created_at),
        "accepted_at": back(row.accepted_at),
        "concluded_at": back(row.concluded_at),
        "closed_at": back(row.closed_at),
        "risk_flagged_at": back(row.risk_flagged_at),
    }
    if row.accepted_at is not None:
        due = deadlines.due_date(timezone.localdate(fields["accepted_at"]))
        extension = MediationExtension.objects.filter(mediation=row).order_by("-pk").first()
        if extension is not None:
            due += extension.new_due_on - extension.old_due_on
            MediationExtension.objects.filter(pk=extension.pk).update(
                old_due_on=extension.old_due_on - delta, new_due_on=due
            )
        fields["due_on"] = due
    MediationCase.objects.filter(pk=row.pk).update(**fields)
    for event in MediationEvent.objects.filter(mediation=row):
        MediationEvent.objects.filter(pk=event.pk).update(created_at=back(event.created_at))
    for s in MediationSession.objects.filter(mediation=row):
        MediationSession.objects.filter(pk=s.pk).update(held_at=back(s.held_at))
    for a in MediatorAssignment.objects.filter(mediation=row):
        MediatorAssignment.objects.filter(pk=a.pk).update(
            assigned_at=back(a.assigned_at), ended_at=back(a.ended_at)
        )
    for g in MediationAgreement.objects.filter(mediation=row):
        MediationAgreement.objects.filter(pk=g.pk).update(
            signed_on=back(g.signed_on), performance_due=back(g.performance_due)
        )
    for f in MediationFollowUp.objects.filter(mediation=row):
        MediationFollowUp.objects.filter(pk=f.pk).update(
            due_on=back(f.due_on), done_at=back(f.done_at)
        )
    for c in JudicialConfirmation.objects.filter(mediation=row):
        JudicialConfirmation.objects.filter(pk=c.pk).update(
            applied_on=back(c.applied_on),
            accepted_on=back(c.accepted_on),
            result_on=back(c.result_on),
        )
