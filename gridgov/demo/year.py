"""The demo year (issue 12, ADR "year demo year"): a full calendar year of 河西社区 history whose
figures reproduce what the community published — 120+ opinions collected, 110+ services given,
5 sudden leaks solved, 10 environment problems fixed, 30 hazards rectified, 3 disputes through
the platform, completion rate 100 %; 10+ problems found on patrol, 30+ conflict risks screened,
23 complex disputes mediated at 98 % success.

The year is the last calendar year that ended at least 180 days ago (`demo_year`), so the
recent demo (cases in every state, this year's 23 disputes up to 150 days back) never falls in
it. Cases are planned here with chosen categories, channels and routes, and written through the
synthetic load's bulk insert (`analytics/load.py`); the rollups are rebuilt afterwards. Hazards
and mediation cases are made through their actions (every event real) and moved back in time,
as the rest of the demo does. Idempotent: each part is skipped once it exists.

`gridgov seed-demo` calls `seed_year()`; `gridgov generate-load --profile hexi-year` too.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from gridgov.accounts.choices import Role
from gridgov.accounts.models import Organisation, User
from gridgov.analytics import load, rollups
from gridgov.cases.choices import Channel, EventKind
from gridgov.cases.models import Case, CaseEvent, Category
from gridgov.geo.models import Area
from gridgov.registry.models import Building

K = EventKind
C = Channel
GAP_DAYS = 180  # the demo year ended at least this long ago
FIRST_DAY = (1, 3)  # cases are registered from 3 January …
LAST_DAY = (11, 30)  # … to 30 November, so every one is closed by the end of the year


def demo_year(today: dt.date | None = None) -> int:
    """The calendar year the demo's published figures belong to."""
    today = today or timezone.localdate()
    return (today - dt.timedelta(days=GAP_DAYS)).year - 1


@dataclass(frozen=True)
class Group:
    key: str
    codes: tuple[str, ...]  # subcategories, used in turn
    count: int
    channels: tuple[str, ...]  # used in turn


# The year's cases (ADR: how each published figure maps onto the platform's figures).
GROUPS = (
    Group(
        "opinions",
        ("0101", "0102", "0103", "0104"),
        124,
        (C.RESIDENT_APP, C.HOTLINE, C.TALK_POINT, C.CITY_PLATFORM, C.GRID_WORKER),
    ),
    Group(
        "services",
        ("0201", "0202", "0203", "0204", "0205", "0206", "0207"),
        113,
        (C.HOTLINE, C.RESIDENT_APP, C.GRID_WORKER, C.TALK_POINT),
    ),
    Group("leaks", ("0301",), 5, (C.HOTLINE, C.RESIDENT_APP)),
    Group(
        "environment",
        ("0401", "0402", "0403", "0404", "0405", "0406", "0407"),
        10,
        (C.RESIDENT_APP, C.HOTLINE, C.GRID_WORKER),
    ),
    Group("disputes", ("0701", "0702", "0703"), 3, (C.TALK_POINT, C.HOTLINE, C.GRID_WORKER)),
    Group("patrol", ("0601", "0602", "0603", "0605", "0801", "0805"), 12, (C.PATROL,)),
)
YEAR_CASES = sum(g.count for g in GROUPS)  # 267

STORIES = {
    "0101": ("建议增设小区休闲座椅", "小区广场附近没有座椅，老人散步累了没处休息，建议增设几组。"),
    "0102": ("咨询居住证办理流程", "外地来龙井务工，想咨询居住证需要哪些材料、在哪里办理。"),
    "0103": ("感谢网格员帮忙修好楼道门", "网格员当天就联系物业修好了单元门禁，特此感谢。"),
    "0104": ("举报早市占道经营影响通行", "河西路早市摊位占用人行道，早高峰行人只能走机动车道。"),
    "0201": ("独居老人申请助餐服务", "楼里独居的八旬老人行动不便，家属申请社区老年助餐。"),
    "0202": ("困难家庭申请临时救助", "家中主要劳动力因病住院，生活困难，申请临时救助。"),
    "0203": ("咨询灵活就业社保缴费", "失业后想以灵活就业人员身份继续缴纳养老保险。"),
    "0204": ("开具居住证明", "子女入学需要居住证明，请社区帮助开具。"),
    "0205": ("申请家庭医生签约上门", "卧床老人需要家庭医生签约并上门随访。"),
    "0206": ("残疾人辅具申领", "肢体残疾居民申请轮椅等辅助器具。"),
    "0207": ("微心愿：想要一台收音机", "独居老人希望有一台收音机听新闻和戏曲。"),
    "0301": ("单元水管爆裂漏水", "楼道水管突然爆裂，水流进一楼住户，请紧急处理。"),
    "0401": ("楼后堆放建筑垃圾", "装修后的建筑垃圾堆在楼后空地，一直没人清运。"),
    "0402": ("巷道路面脏乱", "小区北侧巷道落叶和垃圾无人清扫。"),
    "0403": ("绿地内垃圾较多", "楼前绿地里有塑料袋和饮料瓶，影响环境。"),
    "0404": ("下水道堵塞返臭", "单元门前下水道堵塞，污水外溢有臭味。"),
    "0405": ("夜间施工噪音扰民", "附近工地夜里十点后仍在施工，影响休息。"),
    "0406": ("楼道小广告泛滥", "楼道墙面贴满开锁、疏通小广告。"),
    "0407": ("犬只夜间吠叫扰民", "邻居家狗每晚吠叫，影响周边住户休息。"),
    "0701": ("邻里因占用楼道发生争执", "两户因楼道堆放杂物多次争吵，请社区协调。"),
    "0702": ("家庭赡养问题求助", "老人反映子女不履行赡养义务，请社区帮助沟通。"),
    "0703": ("业主与物业因停车收费争执", "业主对地面停车收费标准有异议，与物业发生争执。"),
    "0601": ("巡查发现楼道灯损坏", "网格员巡查发现3单元楼道灯不亮。"),
    "0602": ("巡查发现道路破损", "网格员巡查发现小区主路有一处坑洼。"),
    "0603": ("巡查发现井盖破损", "网格员巡查发现路口井盖破损松动。"),
    "0605": ("巡查发现健身器材损坏", "网格员巡查发现广场健身器材扶手断裂。"),
    "0801": ("巡查发现占道经营", "网格员巡查发现商户在人行道摆摊经营。"),
    "0805": ("巡查发现违章搭建", "网格员巡查发现一楼住户在院内私搭棚屋。"),
}
RESULTS = {
    "community": "社区已协调处理完毕，已电话告知居民。",
    "street": "承办部门已处理完毕，现场恢复正常。",
    "on_spot": "网格员现场处置完毕，拍照留存。",
}


@dataclass
class People:
    staff: User
    dispatcher: User
    residents: list[User]
    workers: dict[int, User]  # grid id → its worker
    handlers: dict[int, User]  # department id → a handler


def _people(community: Area) -> People:
    from gridgov.accounts.models import Membership
    from gridgov.demo.cases import _member

    workers = {
        m.area_id: m.user
        for m in Membership.objects.filter(
            role=Role.GRID_WORKER, area__parent=community, is_active=True
        ).select_related("user")
        if m.area_id is not None
    }
    handlers: dict[int, User] = {}
    for m in Membership.objects.filter(role=Role.DEPARTMENT_HANDLER, is_active=True).select_related(
        "user"
    ):
        if m.organisation_id is not None:
            handlers.setdefault(m.organisation_id, m.user)
    return People(
        staff=_member(Role.COMMUNITY_STAFF, organisation__code="HX-SQ"),
        dispatcher=_member(Role.STREET_DISPATCHER),
        residents=list(User.objects.filter(memberships__role=Role.RESIDENT).order_by("username")),
        workers=workers,
        handlers=handlers,
    )


def _days(category: Category) -> float:
    """The handling time limit in calendar days (working days counted as calendar days, and
    working hours as hours: a result within them is always on time)."""
    limit = float(category.handle_limit)
    if category.handle_unit in ("hours", "working_hours"):
        return limit / 24
    return limit


Event = tuple[str, dt.datetime, dict[str, Any], User | None, str]


def _history(
    rng: random.Random,
    created: dt.datetime,
    category: Category,
    channel: str,
    reporter: User,
    worker: User,
    people: People,
) -> tuple[list[Event], dict[str, Any]]:
    """One closed, on-time handling round: the events and the case's final fields."""
    t = created
    events: list[Event] = []
    fields: dict[str, Any] = {}

    def add(
        kind: str, hours: tuple[float, float], data: dict[str, Any], actor: User | None, role: str
    ) -> None:
        nonlocal t
        t = t + dt.timedelta(hours=rng.uniform(*hours))
        events.append((kind, t, data, actor, role))

    staff = people.staff
    if channel == C.RESIDENT_APP:
        add(K.CREATED, (0, 0), {}, reporter, Role.RESIDENT)
    elif channel in (C.GRID_WORKER, C.PATROL):
        add(K.CREATED, (0, 0), {}, worker, Role.GRID_WORKER)
    elif channel == C.CITY_PLATFORM:
        add(K.CREATED, (0, 0), {}, None, "")
    else:
        add(K.CREATED, (0, 0), {}, staff, Role.COMMUNITY_STAFF)
    street = category.default_level == "street"
    on_spot = not street and channel in (C.GRID_WORKER, C.PATROL) and rng.random() < 0.4
    limit = dt.timedelta(days=_days(category))
    if on_spot:
        add(K.RESOLVED, (0.3, 3), {"due": None, "on_spot": True}, worker, Role.GRID_WORKER)
        result = RESULTS["on_spot"]
    elif street:
        department = category.default_department or Organisation.objects.get(code="LJ-CG")
        handler = people.handlers.get(department.pk)
        add(K.ACCEPTED, (0.2, 2), {}, staff, Role.COMMUNITY_STAFF)
        add(K.ESCALATED, (0.2, 2), {}, staff, Role.COMMUNITY_STAFF)
        add(
            K.DISPATCHED,
            (0.2, 2),
            {"department": department.code},
            people.dispatcher,
            Role.STREET_DISPATCHER,
        )
        claim_due = t + dt.timedelta(hours=24)
        add(K.CLAIMED, (0.2, 6), {"due": claim_due.isoformat()}, handler, Role.DEPARTMENT_HANDLER)
        due = t + limit
        t += limit * rng.uniform(0.1, 0.7)
        add(K.RESOLVED, (0, 0), {"due": due.isoformat()}, handler, Role.DEPARTMENT_HANDLER)
        add(K.VERIFIED, (1, 20), {}, worker, Role.GRID_WORKER)
        fields.update(department_id=department.pk, handle_due_at=due, owner_id=department.pk)
        result = RESULTS["street"]
    else:
        add(K.ACCEPTED, (0.2, 2), {}, staff, Role.COMMUNITY_STAFF)
        add(K.HANDLED_LOCALLY, (0.2, 2), {}, staff, Role.COMMUNITY_STAFF)
        due = t + limit
        t += limit * rng.uniform(0.1, 0.7)
        add(K.RESOLVED, (0, 0), {"due": due.isoformat()}, staff, Role.COMMUNITY_STAFF)
        add(K.VERIFIED, (1, 20), {}, worker, Role.GRID_WORKER)
        fields["handle_due_at"] = due
        result = RESULTS["community"]
    fields.update(resolved_at=t, result=result)
    closing = rng.random()
    if closing < 0.8:
        level = rng.choice([5, 5, 5, 5, 5, 4, 4, 4, 3])
        proxy = channel != C.RESIDENT_APP
        add(
            K.RATED,
            (2, 48),
            {"solved": True, "satisfaction": level, "by_proxy": proxy},
            staff if proxy else reporter,
            Role.COMMUNITY_STAFF if proxy else Role.RESIDENT,
        )
        fields.update(solved=True, satisfaction=level, rated_at=t)
    elif closing < 0.95:
        add(K.AUTO_CLOSED, (7 * 24, 7 * 24 + 2), {"evaluated": False}, None, "")
    else:
        add(K.CLOSED, (2, 48), {"evaluated": False}, staff, Role.COMMUNITY_STAFF)
    fields["closed_at"] = t
    return events, fields


def _number(community_code: str, created: dt.datetime, n: int) -> str:
    return f"{community_code}-{timezone.localtime(created):%Y%m%d}-Y{n:03d}"


def seed_year_cases(community_code: str, year: int, *, seed: int = 12) -> int:
    """The year's cases: planned here, bulk-inserted through load.py, rollups rebuilt."""
    community = Area.objects.get(code=community_code)
    tz = timezone.get_current_timezone()
    made = Case.objects.filter(
        community=community,
        number__contains="-Y",
        created_at__gte=dt.datetime(year, 1, 1, tzinfo=tz),
        created_at__lt=dt.datetime(year + 1, 1, 1, tzinfo=tz),
    )
    if made.exists():
        return 0
    rng = random.Random(seed)
    people = _people(community)
    office = Organisation.objects.get(code="HX-SQ")
    categories = {c.code: c for c in Category.objects.filter(parent__isnull=False)}
    buildings = list(
        Building.objects.filter(grid__parent=community).select_related("grid").order_by("code")
    )
    first = dt.datetime(year, *FIRST_DAY, 8, tzinfo=tz)
    span = (dt.datetime(year, *LAST_DAY, 8, tzinfo=tz) - first).days
    plan = [
        (group, group.codes[i % len(group.codes)], group.channels[i % len(group.channels)])
        for group in GROUPS
        for i in range(group.count)
    ]
    rng.shuffle(plan)
    next_case = (Case.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    next_event = (CaseEvent.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    # Spread evenly over the year (a little jitter), in working hours.
    days = sorted(int(span * (i + rng.random()) / len(plan)) for i in range(len(plan)))
    cases: list[Case] = []
    rows: list[CaseEvent] = []
    for n, ((_group, code, channel), day) in enumerate(zip(plan, days, strict=True), start=1):
        category = categories[code]
        building = buildings[rng.randrange(len(buildings))]
        grid = building.grid
        assert grid is not None
        worker = people.workers[grid.pk]
        reporter = people.residents[n % len(people.residents)]
        created = first + dt.timedelta(days=day, hours=rng.uniform(0, 9))
        events, fields = _history(rng, created, category, channel, reporter, worker, people)
        title, text = STORIES[code]
        place = load.Place(grid.pk, community.pk, grid.path, office.pk)
        synth = load.Synth(
            created,
            channel,
            category.pk,
            place,
            [(k, at, d) for k, at, d, _a, _r in events],
            fields,
        )
        fields.setdefault("owner_id", place.office_id)
        fields["status"] = load.STATUS_AFTER[events[-1][0]]
        cases.append(
            Case(
                pk=next_case,
                number=_number(community_code, created, n),
                channel=synth.channel,
                category_id=synth.category_id,
                title=title,
                description=text,
                address=building.address,
                lat=building.lat,
                lon=building.lon,
                building_id=building.pk,
                community_id=place.community_id,
                grid_id=place.grid_id,
                area_id=place.grid_id,
                area_path=place.path,
                reporter_user=reporter if channel == C.RESIDENT_APP else None,
                reporter_name=reporter.full_name,
                created_by=events[0][3],
                created_at=created,
                updated_at=events[-1][1],
                **fields,
            )
        )
        previous = ""
        for kind, at, data, actor, role in events:
            to_status = load.STATUS_AFTER.get(kind, "")
            rows.append(
                CaseEvent(
                    pk=next_event,
                    case_id=next_case,
                    kind=kind,
                    actor=actor,
                    actor_role=role,
                    from_status=previous,
                    to_status=to_status,
                    data=data,
                    created_at=at,
                )
            )
            previous = to_status
            next_event += 1
        next_case += 1
    with transaction.atomic():
        load.write_instances(Case, cases)
        load.write_instances(CaseEvent, rows)
        load.reset_case_sequences()
    rollups.rebuild()
    return len(cases)


# -- hazards ----------------------------------------------------------------------------------

HAZARDS = [
    ("楼道内电动车充电", "high", "已劝离电动车，张贴禁充提示"),
    ("消防通道堆放杂物", "medium", "杂物已清理，通道畅通"),
    ("灭火器过期", "medium", "已更换新灭火器"),
    ("私拉电线给电瓶车充电", "major", "私拉电线已拆除，引导到充电棚充电"),
    ("配电箱门锁损坏", "low", "门锁已更换"),
    ("外墙瓷砖松动", "high", "松动瓷砖已铲除并修补"),
    ("河堤护坡局部塌陷", "high", "护坡已加固"),
    ("餐馆液化气瓶未固定", "high", "气瓶已固定并加装报警器"),
]
YEAR_HAZARDS = 30


def seed_year_hazards(community_code: str, year: int) -> int:
    """30 hazards found, rectified and verified in the year, through the hazard actions."""
    from gridgov.demo.cases import _member
    from gridgov.hazards import actions
    from gridgov.hazards.models import Hazard, HazardEvent

    community = Area.objects.get(code=community_code)
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    end = dt.datetime(year + 1, 1, 1, tzinfo=tz)
    scoped = Hazard.objects.filter(grid__parent=community)
    if scoped.filter(created_at__gte=start, created_at__lt=end).exists():
        return 0
    grids = list(Area.objects.grids().filter(parent=community).order_by("code"))
    staff = _member(Role.COMMUNITY_STAFF, organisation__code="HX-SQ")
    today = timezone.localdate()
    for index in range(YEAR_HAZARDS):
        grid = grids[index % len(grids)]
        worker = _member(Role.GRID_WORKER, area=grid)
        title, risk, done = HAZARDS[index % len(HAZARDS)]
        hazard = actions.report_hazard(
            acting_user=worker,
            grid=grid,
            title=title,
            risk_level=risk,
            description=f"{grid.name}巡查发现：{title}。",
            address=f"{grid.name}",
            deadline=today + dt.timedelta(days=7),
        )
        hazard = actions.start_rectification(hazard, acting_user=worker, note="已通知责任主体整改")
        hazard = actions.mark_rectified(hazard, acting_user=worker, note=done)
        actions.verify(hazard, acting_user=staff, note="现场复核，验收销号")
        # Found on a day of the year (11 to 12 days apart), rectified within the deadline.
        found = dt.datetime(year, 1, 8, 9, tzinfo=tz) + dt.timedelta(
            days=index * 11, hours=index % 7
        )
        moments = [
            found,
            found + dt.timedelta(hours=3),
            found + dt.timedelta(days=3),
            found + dt.timedelta(days=4),
        ]
        Hazard.objects.filter(pk=hazard.pk).update(
            created_at=found,
            updated_at=moments[3],
            deadline=timezone.localdate(found) + dt.timedelta(days=7),
            rectified_at=moments[2],
            verified_at=moments[3],
        )
        for event, at in zip(
            HazardEvent.objects.filter(hazard=hazard).order_by("pk"), moments, strict=False
        ):
            HazardEvent.objects.filter(pk=event.pk).update(created_at=at)
    return YEAR_HAZARDS


# -- mediation --------------------------------------------------------------------------------

DISPUTES = [
    ("楼上漏水殃及楼下", "neighbour", "楼上防水失效，楼下天花板渗水。"),
    ("邻居装修噪音", "neighbour", "邻居装修时间过长，噪音扰民。"),
    ("楼道堆物口角", "neighbour", "楼道堆放杂物，邻居多次争吵。"),
    ("物业服务收费争议", "property_management", "业主对物业收费标准有异议。"),
    ("赡养费用分担", "family", "子女对父母赡养费用分担意见不一。"),
    ("拖欠务工工钱", "labour", "务工人员工钱被拖欠。"),
    ("宅前空地使用争议", "housing_land", "相邻两户对宅前空地使用有争议。"),
    ("停车剐蹭赔偿", "other", "院内停车剐蹭，赔偿金额有争议。"),
]
# (how many, where registered, what happens): 50 mediations accepted in the year, 49 agreed.
MEDIATION_PLAN = (
    (26, "grid", "closed_oral"),  # level 1, the grid worker's oral agreement
    (1, "grid", "failed1"),  # level 1, ended without agreement
    (6, "grid", "closed_written"),  # escalated from level 1 to 2, written agreement
    (17, "community", "closed_written"),  # registered at level 2, written agreement
)


def seed_year_mediation(community_code: str, year: int) -> int:
    """The year's 50 mediations (33 registered by grid workers, 23 complex: levels 2–3)."""
    from gridgov.demo import mediation as demo
    from gridgov.demo.cases import _member
    from gridgov.demo.layout import person_name
    from gridgov.mediation import actions
    from gridgov.mediation.models import MediationCase

    community = Area.objects.get(code=community_code)
    tz = timezone.get_current_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    end = dt.datetime(year + 1, 1, 1, tzinfo=tz)
    if MediationCase.objects.filter(
        community=community, created_at__gte=start, created_at__lt=end
    ).exists():
        return 0
    rng = random.Random(year)
    grids = list(Area.objects.grids().filter(parent=community).order_by("code"))
    people = {
        "mediator": _member(Role.MEDIATOR, organisation__code="HX-TWH"),
        "judicial": _member(Role.JUDICIAL_OFFICER, organisation__code="LY-SFS"),
    }
    plan = [(where, target) for count, where, target in MEDIATION_PLAN for _ in range(count)]
    rng.shuffle(plan)
    today = timezone.localdate()
    for n, (where, target) in enumerate(plan):
        title, kind, summary = DISPUTES[n % len(DISPUTES)]
        grid = grids[n % len(grids)]
        area = grid if where == "grid" else community
        worker = _member(Role.GRID_WORKER, area=grid)
        registrar = worker if where == "grid" else people["mediator"]
        applicant, respondent = person_name(rng), person_name(rng)
        mediation = actions.register_mediation(
            acting_user=registrar,
            area=area,
            source="oral" if n % 3 else "written",
            dispute_type=kind,
            title=title,
            summary=summary,
            parties=[
                {
                    "side": "applicant",
                    "name": applicant,
                    "phone": f"137{4400000 + n * 7:08d}",
                    "id_number": demo._id(100 + 2 * n),
                    "address": f"{grid.name}{n % 9 + 1}号楼",
                },
                {
                    "side": "respondent",
                    "name": respondent,
                    "phone": f"136{4400000 + n * 11:08d}",
                    "id_number": demo._id(101 + 2 * n),
                    "address": f"{grid.name}{n % 7 + 2}号楼",
                },
            ],
        )
        dispute = demo.Dispute(
            title,
            kind,
            summary,
            applicant,
            respondent,
            target,
            0,
            None if where == "community" else n % len(grids),
        )
        if target == "failed1":
            mediation = actions.accept(mediation, acting_user=worker, note="双方同意调解。")
            mediation = demo._session(mediation, worker, "双方分歧较大。", formal=False)
            actions.fail(
                mediation,
                acting_user=worker,
                reason="双方对赔偿金额分歧过大，调解不成。",
                routes=["litigation"],
            )
        else:
            demo._play(mediation, dispute, worker, people)
        # Registered on a day of the year (about a week apart), concluded within the month.
        day = dt.date(year, 1, 6) + dt.timedelta(days=n * 7)
        demo._backdate(mediation, (today - day).days)
    return len(plan)


def settle_notifications(community_code: str, year: int) -> int:
    """The notifications the year's hazard and mediation actions sent (delivered after the
    seed's commit, dated today) are old news: dated at their object's last move, and read."""
    from gridgov.hazards.actions import hazard_url
    from gridgov.hazards.models import Hazard
    from gridgov.inbox.models import Notification
    from gridgov.mediation.actions import mediation_url
    from gridgov.mediation.models import MediationCase

    tz = timezone.get_current_timezone()
    start = dt.datetime(year, 1, 1, tzinfo=tz)
    end = dt.datetime(year + 1, 1, 1, tzinfo=tz)
    when: dict[str, dt.datetime] = {}
    for hazard in Hazard.objects.filter(
        grid__parent__code=community_code, created_at__gte=start, created_at__lt=end
    ):
        when[hazard_url(hazard)] = hazard.verified_at or hazard.created_at
    for mediation in MediationCase.objects.filter(
        community__code=community_code, created_at__gte=start, created_at__lt=end
    ):
        when[mediation_url(mediation)] = mediation.closed_at or mediation.created_at
    notes = Notification.objects.filter(url__in=list(when), read_at__isnull=True)
    settled = 0
    for pk, url in notes.values_list("pk", "url"):
        Notification.objects.filter(pk=pk).update(created_at=when[url], read_at=when[url])
        settled += 1
    return settled


def seed_year(community_code: str, year: int | None = None) -> dict[str, int]:
    """The whole demo year: cases, hazards and mediations (each part skipped when present)."""
    year = year or demo_year()
    if year >= timezone.localdate().year:
        raise ValueError("the demo year must be a past year")
    return {
        "year": year,
        "cases": seed_year_cases(community_code, year),
        "hazards": seed_year_hazards(community_code, year),
        "mediations": seed_year_mediation(community_code, year),
    }
