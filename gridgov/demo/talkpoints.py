"""Demo talk points: one per building of 河西社区, serving all its units (full coverage), each
with sessions; a few sessions raise issues, which become cases, one of them a dispute.

Made through the real actions, so audit rows and case events are real. Idempotent: a building
whose talk point exists is skipped.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from gridgov.accounts.choices import Role
from gridgov.accounts.models import Membership, User
from gridgov.geo.models import Area
from gridgov.registry.models import Building
from gridgov.talkpoints import actions
from gridgov.talkpoints.models import TalkPoint

SCHEDULES = ["每周六 9:00—11:00", "每周三 19:00—20:30", "每月第一个周日 15:00—17:00"]
PLACES = ["1单元楼门口", "楼前小广场凉亭", "单元楼道议事角"]
MINUTES = [
    "居民反映楼道杂物堆放、电动车充电等问题，网格员现场讲解消防安全知识。",
    "围绕小区停车、垃圾分类收集点位置进行讨论，居民意见已记录。",
    "宣传高龄补贴和医保缴费政策，解答居民咨询，无新增诉求。",
]
# (building index within its grid, title, description, dispute)
ISSUES = [
    ("楼顶防水层破损漏雨", "顶楼住户反映下雨时屋顶渗水，墙皮脱落。", False),
    ("单元门禁损坏", "单元门禁系统损坏一周，外来人员随意进出。", False),
    ("邻里噪音纠纷", "楼上住户夜间装修噪音，与楼下多次争吵，请求调解。", True),
]


def seed_talk_points(community_code: str, rng: random.Random) -> int:
    """Open a talk point at every building of the community's grids; returns how many exist."""
    community = Area.objects.get(code=community_code)
    staff = (
        Membership.objects.filter(
            role=Role.COMMUNITY_STAFF, is_active=True, organisation__area=community
        )
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    if staff is None:
        return 0
    today = timezone.localdate()
    issue_rows = iter(ISSUES)
    buildings = (
        Building.objects.filter(grid__parent=community)
        .select_related("grid")
        .prefetch_related("units")
        .order_by("code")
    )
    for building in buildings:
        if TalkPoint.objects.filter(units__building=building).exists():
            continue
        assert building.grid is not None
        worker = _worker(building.grid)
        units = list(building.units.all())
        if worker is None or not units:
            continue
        point = actions.open_talk_point(
            acting_user=staff.user,
            name=f"{building.name}百姓说事点",
            units=units,
            host=worker,
            schedule=rng.choice(SCHEDULES),
            place=rng.choice(PLACES),
        )
        for weeks_ago in (3, 1):
            session = actions.record_session(
                point,
                acting_user=worker,
                held_on=today - dt.timedelta(days=7 * weeks_ago + rng.randrange(3)),
                attendance=rng.randint(6, 25),
                minutes=rng.choice(MINUTES),
            )
            if weeks_ago == 1 and building.code.endswith("B01"):
                row = next(issue_rows, None)
                if row is not None:
                    title, description, dispute = row
                    actions.raise_issue(
                        session,
                        acting_user=worker,
                        title=title,
                        description=description,
                        unit=units[-1],
                        dispute=dispute,
                    )
    return TalkPoint.objects.filter(grid__parent=community).count()


def _worker(grid: Area) -> User | None:
    membership = (
        Membership.objects.filter(area=grid, role=Role.GRID_WORKER, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None
