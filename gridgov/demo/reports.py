"""Demo reports: last week's summaries and last month's analyses for 河西社区, its grids and the
street, made through the real generation; the community's analysis gets a conclusion and an
action item as its meeting would. Idempotent: an area and period already reported is skipped."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gridgov.accounts.choices import Role
from gridgov.demo.cases import _member
from gridgov.geo.models import Area
from gridgov.reports.actions import add_action_item, generate_report, record_conclusion
from gridgov.reports.choices import ReportKind
from gridgov.reports.models import Report
from gridgov.reports.periods import last_complete


def seed_reports(community_code: str) -> int:
    community = Area.objects.get(code=community_code)
    areas = [community, community.parent, *community.children.order_by("code")]
    made = 0
    for kind in (ReportKind.WEEKLY, ReportKind.MONTHLY):
        period = last_complete(kind)
        for area in areas:
            if (
                area is None
                or Report.objects.filter(kind=kind, area=area, period=period.code).exists()
            ):
                continue
            report = generate_report(area, period)
            made += 1
            if area == community and kind == ReportKind.MONTHLY:
                staff = _member(Role.COMMUNITY_STAFF, organisation__area=community)
                record_conclusion(
                    report, acting_user=staff, text="甲区楼道堆物反复出现，下月开展集中清理。"
                )
                add_action_item(
                    report,
                    acting_user=staff,
                    title="组织物业集中清理楼道堆物",
                    owner=staff,
                    deadline=timezone.localdate() + dt.timedelta(days=14),
                )
    return made
