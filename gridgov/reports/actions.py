"""The one write path of reports and of the monthly meeting (style.md §1).

Generating a report stores a new version (the earlier ones stay, marked not latest); recording
a conclusion and adding an action item write their rows and an audit row in one transaction;
completing and reopening an action item are moves on the lifecycle kernel, declared here.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gridgov.accounts import scope
from gridgov.accounts.choices import Role
from gridgov.audit.log import record
from gridgov.geo.choices import AreaKind
from gridgov.geo.models import Area
from gridgov.lifecycle import IllegalMove, Move, NotAllowed
from gridgov.reports import snapshot
from gridgov.reports.choices import ActionItemEventKind, ActionItemStatus, ReportKind
from gridgov.reports.lifecycle import ITEMS, ItemAction
from gridgov.reports.models import ActionItem, ActionItemEvent, MeetingNote, Report, ReportFile
from gridgov.reports.periods import Period, last_complete

if TYPE_CHECKING:
    from gridgov.accounts.models import Membership, User

REPORTED_KINDS = (AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.GRID)
# What the schedule generates: every grid and community; a street's monthly analysis too, for
# the street's own meeting.
SCHEDULED = {
    ReportKind.WEEKLY: (AreaKind.COMMUNITY, AreaKind.GRID),
    ReportKind.MONTHLY: (AreaKind.STREET, AreaKind.COMMUNITY, AreaKind.GRID),
}
MAX_TEXT = 2000


def generate_report(area: Area, period: Period, *, acting_user: User | None = None) -> Report:
    """Build and store the report on `area` for `period`: a new version, the old ones kept."""
    if area.kind not in REPORTED_KINDS:
        raise IllegalMove(_("Reports are made for a street, a community or a grid."))
    content = snapshot.build(area, period)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                return _store(area, period, content, acting_user)
        except IntegrityError:  # two runs at once took the same version number: retry
            continue
    raise IllegalMove(_("The report could not be stored; try again."))


def _store(area: Area, period: Period, content: dict, acting_user: User | None) -> Report:
    same = Report.objects.filter(kind=period.kind, area=area, period=period.code)
    version = (same.aggregate(v=Max("version"))["v"] or 0) + 1
    same.filter(is_latest=True).update(is_latest=False)
    ReportFile.objects.filter(report__in=same).delete()  # stored downloads of older versions
    report = Report.objects.create(
        kind=period.kind,
        area=area,
        area_path=area.path,
        period=period.code,
        period_start=period.first_day,
        period_end=period.last_day,
        version=version,
        is_latest=True,
        generated_at=timezone.now(),
        generated_by=acting_user,
        content=content,
    )
    record(
        "report.generated",
        actor=acting_user,
        actor_name="system" if acting_user is None else None,
        obj=report,
        object_repr=f"{area.name} {period.code}",
        detail={"kind": period.kind, "area": area.code, "period": period.code, "version": version},
    )
    return report


def generate_scheduled(kind: str, today: dt.date | None = None) -> int:
    """The Monday (weekly) or 1st-of-month (monthly) run: the last complete period, for every
    area of the scheduled kinds. Returns the number of reports made."""
    period = last_complete(kind, today)
    areas = Area.objects.filter(kind__in=SCHEDULED[ReportKind(kind)]).order_by("path")
    made = 0
    for area in areas.defer("boundary"):
        generate_report(area, period)
        made += 1
    return made


# ---------------------------------------------------------------------------------------------
# The monthly meeting


def _meeting_membership(user: User, report: Report) -> Membership:
    if not report.is_monthly:
        raise IllegalMove(_("Only a monthly analysis has a meeting."))
    found = scope.report_meeting_relations(user, report.area.kind, report.area_path)
    if not found:
        raise NotAllowed(_("You may not record this meeting."))
    return next(iter(found.values()))


def record_conclusion(report: Report, *, acting_user: User, text: str) -> MeetingNote:
    """A conclusion of the monthly analysis meeting."""
    membership = _meeting_membership(acting_user, report)
    text = (text or "").strip()
    if not text:
        raise IllegalMove(_("Write the conclusion."))
    if len(text) > MAX_TEXT:
        raise IllegalMove(_("At most %(n)s characters.") % {"n": MAX_TEXT})
    with transaction.atomic():
        note = MeetingNote.objects.create(
            area=report.area,
            area_path=report.area_path,
            period=report.period,
            report=report,
            text=text,
            author=acting_user,
            author_role=membership.role,
        )
        record(
            "report.conclusion_recorded",
            actor=acting_user,
            role=membership.role,
            obj=report,
            object_repr=f"{report.area.name} {report.period}",
            detail={"area": report.area.code, "period": report.period},
        )
    return note


def _may_own(user: User, area: Area) -> bool:
    """An owner is staff whose area lies inside the report's area or contains it."""
    for m in user.active_memberships:
        path = scope.membership_path(m)
        if (
            m.role in scope.REPORTS[scope.Action.VIEW]
            and path is not None
            and (path.startswith(area.path) or area.path.startswith(path))
        ):
            return True
    return False


def add_action_item(
    report: Report, *, acting_user: User, title: str, owner: User, deadline: dt.date
) -> ActionItem:
    """An action item decided at the meeting: a tracked task with an owner and a deadline."""
    membership = _meeting_membership(acting_user, report)
    title = (title or "").strip()
    if not title:
        raise IllegalMove(_("Describe the action."))
    if len(title) > 200:
        raise IllegalMove(_("At most %(n)s characters.") % {"n": 200})
    if deadline < timezone.localdate():
        raise IllegalMove(_("The deadline cannot be in the past."))
    if not owner.is_active or not _may_own(owner, report.area):
        raise IllegalMove(_("The owner must be staff of this area."))
    with transaction.atomic():
        item = ActionItem.objects.create(
            area=report.area,
            area_path=report.area_path,
            period=report.period,
            report=report,
            title=title,
            owner=owner,
            deadline=deadline,
            status=ActionItemStatus.OPEN,
            created_by=acting_user,
        )
        ActionItemEvent.objects.create(
            item=item,
            kind=ActionItemEventKind.CREATED,
            actor=acting_user,
            actor_role=membership.role,
            to_status=ActionItemStatus.OPEN,
            data={"owner": owner.pk, "deadline": deadline.isoformat()},
        )
        record(
            "action_item.created",
            actor=acting_user,
            role=membership.role,
            obj=item,
            object_repr=item.number,
            detail={"area": report.area.code, "period": report.period, "owner": owner.username},
        )
    return item


def meeting_owners(report: Report) -> list[User]:
    """Who may own an action item of this report's meeting (the form's choices), one query."""
    from gridgov.accounts.models import Membership

    memberships = Membership.objects.filter(
        is_active=True, user__is_active=True, role__in=scope.REPORTS[scope.Action.VIEW]
    ).select_related("user", "area", "organisation__area")
    owners: dict[int, User] = {}
    for m in memberships.order_by("user__username", "pk"):
        path = scope.membership_path(m)
        if path is not None and (
            path.startswith(report.area_path) or report.area_path.startswith(path)
        ):
            owners.setdefault(m.user_id, m.user)
    return list(owners.values())


STAFF = (Role.COMMUNITY_STAFF, Role.STREET_DISPATCHER, Role.LEADER, Role.GRID_WORKER)


@ITEMS.action(
    ItemAction.COMPLETE,
    label=_l("completed"),
    button=_l("Mark done"),
    path=1,
    sources=frozenset({ActionItemStatus.OPEN}),
    targets=frozenset({ActionItemStatus.DONE}),
    roles=STAFF,
)
def complete_item(move: Move, note: str = "") -> None:
    """The action was carried out."""
    move.obj.done_at = move.now
    move.save("done_at")
    move.event(ActionItemEventKind.COMPLETED, note)


@ITEMS.action(
    ItemAction.REOPEN,
    label=_l("reopened"),
    button=_l("Reopen"),
    rank=1,
    sources=frozenset({ActionItemStatus.DONE}),
    targets=frozenset({ActionItemStatus.OPEN}),
    roles=STAFF,
)
def reopen_item(move: Move, note: str = "") -> None:
    """Marked done too early: open again."""
    move.obj.done_at = None
    move.save("done_at")
    move.event(ActionItemEventKind.REOPENED, note)
