"""Helpers to make cases and drive them to any status through the real actions."""

from __future__ import annotations

from gridgov.cases import actions
from gridgov.cases.choices import Channel, Satisfaction, Status
from gridgov.cases.models import Case


def make_case(world, *, by=None, **overrides) -> Case:
    fields = {
        "channel": Channel.HOTLINE,
        "title": "楼道水管破裂",
        "description": "3单元2楼水管破裂，水流到楼道。",
        "category": world.category,
        "building": world.building_a,
        "reporter_user": world.people.resident,
        "reporter_name": "王女士",
        "reporter_phone": "13912345678",
    }
    fields.update(overrides)
    return actions.create_case(acting_user=by or world.people.staff, **fields)


def drive(world, case: Case, status: str) -> Case:
    """Move a fresh case along the street route (or its branches) to `status`."""
    p = world.people
    if status == Status.SUBMITTED:
        return case
    if status in (Status.REJECTED,):
        return actions.reject_case(case, acting_user=p.staff, reason="不属于受理范围")
    if status == Status.VOIDED:
        return actions.void_case(case, acting_user=p.staff, reason="重复录入")
    case = actions.accept_case(case, acting_user=p.staff)
    if status == Status.ACCEPTED:
        return case
    if status == Status.IN_MEDIATION:
        return actions.refer_to_mediation(case, acting_user=p.staff, note="邻里纠纷")
    if status == Status.MERGED:
        other = make_case(world)
        return actions.merge_case(case, acting_user=p.staff, target=other)
    case = actions.escalate_case(case, acting_user=p.staff)
    if status == Status.ESCALATED:
        return case
    case = actions.dispatch_case(case, acting_user=p.dispatcher, department=world.water)
    if status == Status.DISPATCHED:
        return case
    if status == Status.RETURN_REQUESTED:
        return actions.return_case(
            case, acting_user=p.handler, reason="非本部门职责", basis="三定方案"
        )
    case = actions.claim_case(case, acting_user=p.handler)
    if status == Status.IN_PROGRESS:
        return case
    case = actions.resolve_case(case, acting_user=p.handler, result="已更换水管")
    if status == Status.RESOLVED:
        return case
    case = actions.verify_case(case, acting_user=p.worker_a, passed=True)
    if status == Status.AWAITING_FEEDBACK:
        return case
    return actions.rate_case(
        case, acting_user=p.resident, solved=True, satisfaction=Satisfaction.VERY_SATISFIED
    )
