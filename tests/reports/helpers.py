"""A hand-built month for the report tests: October 2026 (and September before it) in 河西社区.

Cases are made and moved through the real actions; then their times are set to known instants
(the history a month of work would have left), so every figure can be counted by hand.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from gridgov.analytics.rollups import rebuild
from gridgov.cases import actions
from gridgov.cases.choices import Channel, EventKind, Status
from gridgov.cases.models import Case, CaseEvent, Category
from tests.cases_helpers import drive, make_case

SH = ZoneInfo("Asia/Shanghai")
FAR = dt.datetime(2027, 6, 1, tzinfo=SH)


def at(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=SH)


def _place(case: Case, created: dt.datetime, due: dt.datetime = FAR) -> Case:
    Case.objects.filter(pk=case.pk).update(created_at=created, handle_due_at=due)
    CaseEvent.objects.filter(case=case).update(created_at=created)
    case.refresh_from_db()
    return case


def _event_at(case: Case, kind: str, when: dt.datetime) -> None:
    CaseEvent.objects.filter(case=case, kind=kind).update(created_at=when)


def october(world) -> SimpleNamespace:
    """The cases (see the comments for what each one is there to count)."""
    p = world.people
    environment = Category.objects.create(code="04", name="市容环境")
    noise = Category.objects.create(code="0406", name="噪音扰民", parent=environment)
    # c1–c3: the same building and category three times in October → a recurring problem
    c1 = _place(make_case(world), at(10, 3))
    c2 = _place(make_case(world), at(10, 10))
    c3 = _place(
        make_case(world, title="甲1号楼水管破裂 电话13912345678"), at(10, 20), due=at(10, 25)
    )  # open past its due → overdue
    # c4: another building, another channel; due after the month → not overdue
    c4 = _place(
        make_case(world, building=world.building_b, channel=Channel.RESIDENT_APP),
        at(10, 15),
        due=at(11, 5),
    )
    # c5: no building, an address; the last half hour of October (inside the month)
    c5 = _place(
        make_case(
            world,
            building=None,
            community=world.community_a,
            address="河西路12号",
            channel=Channel.GRID_WORKER,
        ),
        at(10, 31, 23, 30),
    )
    # c10: the same building as c1–c3 but another category: a hot spot, not the recurring one
    c10 = _place(make_case(world, category=noise, channel=Channel.HOTLINE), at(10, 8))
    # c6: ten minutes into November (outside); c7, c8: September (the previous period)
    c6 = _place(make_case(world), at(11, 1, 0, 10))
    c7 = _place(make_case(world), at(9, 30, 23, 50))
    c8 = _place(make_case(world), at(9, 12), due=at(9, 20))  # overdue in Sep and still in Oct
    # c9: the other community (never counted for 河西社区)
    c9 = _place(make_case(world, by=p.other_staff, building=world.building_c), at(10, 5))
    # c1 closed on 25 October; c7 closed on 2 October (closed in Oct, received in Sep)
    drive(world, c1, Status.CLOSED)
    _event_at(c1, EventKind.RATED, at(10, 25))
    Case.objects.filter(pk=c1.pk).update(resolved_at=at(10, 24), handle_due_at=FAR)
    drive(world, c7, Status.CLOSED)
    _event_at(c7, EventKind.RATED, at(10, 2))
    Case.objects.filter(pk=c7.pk).update(resolved_at=at(10, 1), handle_due_at=FAR)
    # c2 resolved, then its verification failed on 22 October → reworked once in October
    drive(world, c2, Status.RESOLVED)
    actions.verify_case(c2, acting_user=p.worker_a, passed=False, note="仍在漏水")
    _event_at(c2, EventKind.VERIFY_FAILED, at(10, 22))
    Case.objects.filter(pk=c2.pk).update(resolved_at=None, handle_due_at=FAR)
    rebuild()  # the analytics rollups follow the history as it now reads
    for case in (c1, c2, c3, c4, c5, c6, c7, c8, c9, c10):
        case.refresh_from_db()
    return SimpleNamespace(
        c1=c1, c2=c2, c3=c3, c4=c4, c5=c5, c6=c6, c7=c7, c8=c8, c9=c9, c10=c10, noise=noise
    )
