"""Demo notices: three published notices with read receipts and "told in person" marks.

The demo residents' accounts are given the phones of registered people of the first two grids,
so their receipts count in the read rates (the registry is the audience of record)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gridgov.accounts.choices import Role
from gridgov.accounts.models import User
from gridgov.geo.models import Area
from gridgov.notices.actions import create_notice, mark_read, mark_told
from gridgov.notices.audience import unread_in_grids
from gridgov.notices.lifecycle import publish_notice
from gridgov.notices.models import Notice, NoticeRead
from gridgov.registry.choices import PersonStatus
from gridgov.registry.models import Building, Person

HEATING = "关于今冬供暖和用电安全的通知"
VISITS = "十二月网格员入户走访工作安排"
LIFT = "3号楼电梯改造停运公告"


def _link_residents(grids: list[Area]) -> list[User]:
    """Give resident01…18 the phones of adults registered in the first two grids."""
    residents = list(User.objects.filter(memberships__role=Role.RESIDENT).order_by("username"))
    people = Person.objects.filter(
        grid__in=grids[:2], status=PersonStatus.LIVING, birth_date__year__lt=2000
    ).order_by("grid__code", "pk")[: len(residents)]
    for user, person in zip(residents, people, strict=False):
        if user.phone_index != person.phone_index:
            user.phone = person.phone
            user.save(update_fields=["phone_encrypted", "phone_index"])
    return residents


def _publish(notice: Notice, author: User, days_ago: int) -> Notice:
    notice = publish_notice(notice, acting_user=author)
    Notice.objects.filter(pk=notice.pk).update(
        published_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    return notice


def seed_notices(community_code: str) -> int:
    if Notice.objects.filter(title=HEATING).exists():
        return Notice.objects.count()
    community = Area.objects.get(code=community_code)
    street = community.parent
    assert street is not None
    grids = list(Area.objects.grids().filter(parent=community).order_by("code"))
    staff = User.objects.get(username="hx_staff")
    leader = User.objects.get(username="ly_leader")
    worker = User.objects.get(username="gw01")
    residents = _link_residents(grids)

    heating = create_notice(
        acting_user=staff,
        owner_area=community,
        title=HEATING,
        body="<p>今冬供暖自11月15日起。请居民注意：</p><ul><li>不私拉乱接电线；</li>"
        "<li>电动自行车不进楼道、不入户充电；</li><li>家中无人时关闭电暖器。</li></ul>"
        "<p>如有问题请联系本网格网格员。</p>",
        important=True,
        areas=[community],
    )
    heating = _publish(heating, staff, 10)
    visits = create_notice(
        acting_user=leader,
        owner_area=street,
        title=VISITS,
        body="<p>各网格员本月须完成辖区<strong>独居老人、困难家庭</strong>全覆盖走访，"
        "并在系统中更新居民电子档案。</p>",
        for_residents=False,
        for_staff=True,
        areas=[street],
    )
    visits = _publish(visits, leader, 6)
    lift = Building.objects.filter(grid=grids[0]).order_by("code").first()
    lift_notice = create_notice(
        acting_user=staff,
        owner_area=community,
        title=LIFT,
        body="<p>本楼电梯将于12月5日至12月20日停运改造，给您带来不便，敬请谅解。</p>",
        areas=[grids[1]],
        buildings=[lift] if lift else [],
    )
    lift_notice = _publish(lift_notice, staff, 3)

    # Receipts: two thirds of the residents read the heating notice, a third the lift notice;
    # the grid workers read the visiting plan; gw01 tells three people of grid 1 in person.
    for n, user in enumerate(residents):
        if n % 3 != 2:
            mark_read(heating, user)
        if n % 3 == 0:
            mark_read(lift_notice, user)
    for worker_account in User.objects.filter(memberships__role=Role.GRID_WORKER).order_by(
        "username"
    )[:7]:
        mark_read(visits, worker_account)
    for person in list(unread_in_grids(heating, worker)[:3]):
        mark_told(heating, person, acting_user=worker)
    NoticeRead.objects.filter(notice__in=[heating, visits, lift_notice]).update(
        read_at=timezone.now() - dt.timedelta(days=2)
    )
    return Notice.objects.count()
