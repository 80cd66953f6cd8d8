"""Demo cases in every state, made through the real actions (so every event is real).

A few open cases are then moved back in time, so the demo shows yellow, red and overdue work.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db.models import F

from gridgov.accounts.choices import Role
from gridgov.accounts.models import Membership, Organisation, User
from gridgov.analytics import rollups
from gridgov.cases import actions
from gridgov.cases.choices import Channel, Satisfaction, Status, Supervision
from gridgov.cases.models import Case, CaseEvent, Category
from gridgov.registry.models import Building

STORIES = [
    ("0301", "3号楼2单元水管爆裂", "楼道里水管爆裂，水已经流到一楼，请尽快派人维修。"),
    ("0503", "楼道里给电动车充电", "1单元一楼楼道有人拉线给电动车充电，存在火灾隐患。"),
    ("0401", "小区门口建筑垃圾堆放", "小区东门外堆放了大量装修垃圾，已经一周没人清运。"),
    ("0601", "楼道灯不亮", "2单元3到5楼楼道灯都不亮，老人晚上上下楼不安全。"),
    ("0405", "夜间施工噪音", "工地每天晚上十一点后还在施工，影响居民休息。"),
    ("0604", "电梯经常停运", "8号楼电梯这个月已经停了三次，楼上有行动不便的老人。"),
    ("0701", "楼上漏水引发邻里纠纷", "楼上卫生间漏水到楼下，两家协商不成，情绪激动。"),
    ("0603", "井盖破损", "河西路与新兴街交叉口的井盖破损，车辆经过很危险。"),
    ("0802", "消防通道被占", "小区消防通道长期停放私家车。"),
    ("0102", "咨询高龄补贴申请", "80岁老人想咨询高龄补贴怎么申请，需要哪些材料。"),
    ("0606", "暖气不热", "6号楼3单元暖气温度一直不达标，室内只有15度。"),
    ("0404", "下水道堵塞反水", "一楼下水道堵塞，污水反到屋里。"),
]

# The state each demo case ends in, in order; the street route unless marked.
TARGETS = [
    Status.SUBMITTED,
    Status.SUBMITTED,
    Status.ACCEPTED,
    Status.ESCALATED,
    Status.DISPATCHED,
    Status.RETURN_REQUESTED,
    Status.IN_PROGRESS,
    Status.IN_PROGRESS,
    Status.RESOLVED,
    Status.AWAITING_FEEDBACK,
    Status.CLOSED,
    Status.CLOSED,
    Status.REJECTED,
    Status.VOIDED,
    Status.MERGED,
    "local_in_progress",
    "on_spot",
    "reopened",
    "overdue_dispatched",
    "overdue_in_progress",
    "red_in_progress",
    "extension",
    Status.SUBMITTED,
    Status.CLOSED,
]


def _member(role: str, **where: object) -> User:
    membership = (
        Membership.objects.filter(role=role, is_active=True, **where)
        .select_related("user")
        .order_by("id")
        .first()
    )
    assert membership is not None, f"the demo has no {role} for {where}"
    return membership.user


def seed_cases(community_code: str) -> int:
    if Case.objects.filter(community__code=community_code).exists():
        return 0
    rng = random.Random(7)
    staff = _member(Role.COMMUNITY_STAFF, organisation__code="HX-SQ")
    dispatcher = _member(Role.STREET_DISPATCHER)
    leader = _member(Role.LEADER)
    residents = list(User.objects.filter(memberships__role=Role.RESIDENT).order_by("username"))
    buildings = list(
        Building.objects.filter(grid__parent__code=community_code)
        .select_related("grid")
        .order_by("code")
    )
    categories = {c.code: c for c in Category.objects.filter(parent__isnull=False)}
    made = 0
    for index, target in enumerate(TARGETS):
        code, title, text = STORIES[index % len(STORIES)]
        category = categories[code]
        building = buildings[(index * 7) % len(buildings)]
        reporter = residents[index % len(residents)]
        worker = _member(Role.GRID_WORKER, area=building.grid)
        channel = [Channel.HOTLINE, Channel.GRID_WORKER, Channel.TALK_POINT][index % 3]
        case = actions.create_case(
            acting_user=worker if channel == Channel.GRID_WORKER else staff,
            channel=channel,
            title=title,
            description=text,
            category=category,
            building=building,
            reporter_user=reporter,
            reporter_name=reporter.full_name,
            reporter_phone=reporter.phone,
            confidential=index % 5 == 0,
        )
        _drive(
            case,
            str(target),
            staff=staff,
            dispatcher=dispatcher,
            leader=leader,
            worker=worker,
            reporter=reporter,
            department=_department(category),
            rng=rng,
        )
        made += 1
    actions.sweep_time_limits()
    # _backdate moves cases and their events into the past with queryset updates, which the
    # rollups (kept from each event as it is written) never see: replay them from the events.
    rollups.rebuild()
    return made


def _department(category: Category) -> Organisation:
    return category.default_department or Organisation.objects.get(code="LJ-CG")


def _handler(department: Organisation) -> User:
    return _member(Role.DEPARTMENT_HANDLER, organisation=department)


def _drive(
    case: Case,
    target: str,
    *,
    staff: User,
    dispatcher: User,
    leader: User,
    worker: User,
    reporter: User,
    department: Organisation,
    rng: random.Random,
) -> None:
    if target == Status.SUBMITTED:
        return
    if target == Status.REJECTED:
        actions.reject_case(
            case, acting_user=staff, reason="属于司法诉讼范围，已告知当事人其他途径"
        )
        return
    if target == Status.VOIDED:
        actions.void_case(case, acting_user=staff, reason="测试录入")
        return
    if target == "on_spot":
        from gridgov.demo.media import demo_photo

        actions.handle_on_spot(
            case, acting_user=worker, result="已现场清理，拍照留存", photos=[demo_photo("on-spot")]
        )
        return
    case = actions.accept_case(case, acting_user=staff)
    if target == Status.ACCEPTED:
        return
    if target == Status.MERGED:
        target_case = (
            Case.objects.filter(
                status=Status.SUBMITTED, community=case.community, category=case.category
            )
            .exclude(pk=case.pk)
            .first()
        )
        if target_case is None:
            target_case = (
                Case.objects.exclude(pk=case.pk)
                .filter(status=Status.SUBMITTED, community=case.community)
                .first()
            )
        assert target_case is not None
        actions.merge_case(case, acting_user=staff, target=target_case, note="同一问题重复反映")
        return
    if target == "local_in_progress":
        actions.handle_locally(case, acting_user=staff, note="社区自行处理")
        return
    case = actions.escalate_case(case, acting_user=staff)
    if target == Status.ESCALATED:
        return
    case = actions.dispatch_case(case, acting_user=dispatcher, department=department)
    handler = _handler(department)
    if target == Status.DISPATCHED:
        return
    if target == "overdue_dispatched":
        _backdate(case, days=3)
        return
    if target == Status.RETURN_REQUESTED:
        actions.return_case(
            case, acting_user=handler, reason="不属于本部门职责", basis="部门权责清单第12条"
        )
        return
    case = actions.claim_case(case, acting_user=handler)
    if target == Status.IN_PROGRESS:
        actions.add_progress_note(case, acting_user=handler, note="已联系报告人，约定明天上门")
        return
    if target == "overdue_in_progress":
        _backdate(case, days=12)
        actions.supervise_case(
            case, acting_user=leader, level=Supervision.YELLOW, note="请加快办理"
        )
        return
    if target == "red_in_progress":
        _backdate(case, days=0, fraction=0.9)
        return
    if target == "extension":
        actions.request_extension(
            case,
            acting_user=handler,
            until=_later(case, days=5),
            reason="需要采购配件，预计五个工作日到货",
        )
        return
    from gridgov.demo.media import demo_photo

    case = actions.resolve_case(
        case, acting_user=handler, result="已完成维修，现场恢复正常", photos=[demo_photo("result")]
    )
    if target == Status.RESOLVED:
        return
    case = actions.verify_case(case, acting_user=worker, passed=True, note="网格员现场核实")
    if target == Status.AWAITING_FEEDBACK:
        return
    if target == "reopened":
        case = actions.rate_case(
            case,
            acting_user=reporter,
            solved=False,
            satisfaction=Satisfaction.DISSATISFIED,
            comment="问题没有解决",
        )
        actions.reopen_case(case, acting_user=reporter, reason="维修后第二天又坏了")
        return
    actions.rate_case(
        case,
        acting_user=reporter,
        solved=True,
        satisfaction=rng.choice([Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED]),
        comment="处理及时，谢谢",
    )


def _later(case: Case, *, days: int) -> dt.datetime:
    assert case.step_due_at is not None
    return case.step_due_at + dt.timedelta(days=days)


def _backdate(case: Case, *, days: int, fraction: float | None = None) -> None:
    """Move an open case's clock into the past so that its step is late."""
    case.refresh_from_db()
    assert case.step_started_at is not None and case.step_due_at is not None
    span = case.step_due_at - case.step_started_at
    shift = span * fraction if fraction is not None else span + dt.timedelta(days=days)
    Case.objects.filter(pk=case.pk).update(
        created_at=F("created_at") - shift,
        step_started_at=F("step_started_at") - shift,
        step_due_at=F("step_due_at") - shift,
        handle_due_at=F("handle_due_at") - shift if case.handle_due_at else None,
    )
    CaseEvent.objects.filter(case=case).update(created_at=F("created_at") - shift)
