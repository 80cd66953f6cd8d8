"""The write path of talk points: open, change, close; record a session; raise an issue.

Each action checks the actor's reach itself (`scope.TALK_POINTS`), writes one audit row in its
transaction and refuses bad input with `IllegalMove` (a clear message, nothing changed) or a
missing right with `NotAllowed`. Talk points are not a lifecycle beyond active/closed, so they
do not pass the lifecycle kernel; the cases their issues become do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.accounts import scope
from gridgov.accounts.models import Membership, User
from gridgov.audit.log import record
from gridgov.cases.actions import create_case, refer_to_mediation
from gridgov.cases.choices import Channel
from gridgov.lifecycle import IllegalMove, NotAllowed
from gridgov.talkpoints.models import TalkIssue, TalkPoint, TalkSession

if TYPE_CHECKING:
    from gridgov.cases.models import Category
    from gridgov.geo.models import Area
    from gridgov.registry.models import Unit

MAX_ATTENDANCE = 999


def _require(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise IllegalMove(message)
    return value


def _check_reach(user: User, grid: Area, action: scope.Action) -> None:
    if not scope.covers(scope.talk_point_paths(user, action), grid.path):
        if action == scope.Action.CREATE:
            raise NotAllowed(_("Only the community's staff open, change and close talk points."))
        raise NotAllowed(_("Only the grid's worker and the community's staff record sessions."))


def host_candidates(grid: Area) -> list[User]:
    """Users who may host a talk point in this grid: its grid workers and community staff."""
    above = [*scope.ancestor_paths(grid.path), grid.path]  # the areas that contain the grid
    memberships = (
        Membership.objects.filter(
            is_active=True, user__is_active=True, role__in=scope.TALK_POINTS[scope.Action.CHANGE]
        )
        .filter(Q(area__path__in=above) | Q(area__isnull=True, organisation__area__path__in=above))
        .select_related("user")
    )
    users = {m.user_id: m.user for m in memberships}
    return sorted(users.values(), key=lambda u: (u.full_name, u.username))


def _check_units_and_host(
    units: list[Unit], host: User | None, exclude: TalkPoint | None = None
) -> Area:
    if not units:
        raise IllegalMove(_("Choose at least one building unit."))
    grids = {unit.building.grid_id for unit in units}
    if len(grids) != 1 or None in grids:
        raise IllegalMove(_("A talk point serves units of one grid only."))
    grid = units[0].building.grid
    assert grid is not None
    taken = TalkPoint.objects.active().filter(units__in=units)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    clash = taken.first()
    if clash is not None:
        raise IllegalMove(
            _("A unit you chose already has the active talk point %(name)s.") % {"name": clash}
        )
    if host is None or host.pk not in {u.pk for u in host_candidates(grid)}:
        raise IllegalMove(_("The host must be a grid worker or staff member of this community."))
    return grid


@transaction.atomic
def open_talk_point(
    *,
    acting_user: User,
    name: str,
    units: Iterable[Unit],
    host: User | None,
    schedule: str,
    place: str = "",
) -> TalkPoint:
    """Open a talk point at one or more units of one grid; a unit has one active talk point."""
    chosen = list(units)
    grid = _check_units_and_host(chosen, host, None)
    _check_reach(acting_user, grid, scope.Action.CREATE)
    assert host is not None
    point = TalkPoint.objects.create(
        name=_require(name, _("A name is required.")),
        grid=grid,
        host=host,
        schedule=_require(schedule, _("A schedule is required.")),
        place=place.strip(),
        created_by=acting_user,
    )
    point.units.set(chosen)
    record(
        "talkpoints.open",
        actor=acting_user,
        obj=point,
        object_repr=point.name,
        detail={"units": sorted(u.pk for u in chosen), "host": host.pk},
    )
    return point


@transaction.atomic
def change_talk_point(
    point: TalkPoint,
    *,
    acting_user: User,
    name: str,
    units: Iterable[Unit],
    host: User | None,
    schedule: str,
    place: str = "",
) -> TalkPoint:
    """Change a talk point's units, host, schedule or place (it stays in its grid)."""
    _check_reach(acting_user, point.grid, scope.Action.CREATE)
    chosen = list(units)
    grid = _check_units_and_host(chosen, host, point)
    if grid.pk != point.grid_id:
        raise IllegalMove(_("A talk point stays in its grid; open a new one in the other grid."))
    point.name = _require(name, _("A name is required."))
    point.schedule = _require(schedule, _("A schedule is required."))
    point.place = place.strip()
    assert host is not None
    point.host = host
    point.save()
    point.units.set(chosen)
    record(
        "talkpoints.change",
        actor=acting_user,
        obj=point,
        object_repr=point.name,
        detail={"units": sorted(u.pk for u in chosen), "host": host.pk},
    )
    return point


@transaction.atomic
def close_talk_point(point: TalkPoint, *, acting_user: User, note: str = "") -> TalkPoint:
    """Close a talk point: its units no longer count as covered; its sessions stay."""
    _check_reach(acting_user, point.grid, scope.Action.CREATE)
    changed = TalkPoint.objects.filter(pk=point.pk, is_active=True).update(
        is_active=False, closed_at=timezone.now()
    )
    if changed != 1:
        raise IllegalMove(_("This talk point is already closed."))
    point.refresh_from_db()
    record(
        "talkpoints.close",
        actor=acting_user,
        obj=point,
        object_repr=point.name,
        detail={"note": note.strip()} if note.strip() else {},
    )
    return point


@transaction.atomic
def record_session(
    point: TalkPoint,
    *,
    acting_user: User,
    held_on: dt.date,
    attendance: int,
    minutes: str,
) -> TalkSession:
    """Record a session held at an active talk point (not in the future)."""
    _check_reach(acting_user, point.grid, scope.Action.CHANGE)
    if not point.is_active:
        raise IllegalMove(_("This talk point is closed; sessions are no longer recorded."))
    if held_on > timezone.localdate():
        raise IllegalMove(_("A session cannot be recorded before it is held."))
    if not 0 <= attendance <= MAX_ATTENDANCE:
        raise IllegalMove(_("Give the attendance as a number from 0 to 999."))
    session = TalkSession.objects.create(
        talk_point=point,
        held_on=held_on,
        attendance=attendance,
        minutes=_require(minutes, _("The minutes are required.")),
        recorded_by=acting_user,
    )
    record(
        "talkpoints.session",
        actor=acting_user,
        obj=session,
        object_repr=str(session),
        detail={"attendance": attendance},
    )
    return session


@transaction.atomic
def raise_issue(
    session: TalkSession,
    *,
    acting_user: User,
    title: str,
    description: str,
    unit: Unit | None = None,
    category: Category | None = None,
    dispute: bool = False,
) -> TalkIssue:
    """An issue raised at a session becomes a case (channel "talk point") in one step, at the
    unit it concerns; a dispute is also referred to mediation through the case action."""
    point = session.talk_point
    _check_reach(acting_user, point.grid, scope.Action.CHANGE)
    units = list(point.units.select_related("building__grid"))
    if unit is None:
        unit = units[0] if units else None
    elif unit.pk not in {u.pk for u in units}:
        raise IllegalMove(_("Choose one of the talk point's units."))
    case = create_case(
        acting_user=acting_user,
        channel=Channel.TALK_POINT,
        title=title,
        description=description,
        category=category,
        unit=unit,
        building=unit.building if unit is not None else None,
        community=point.grid.parent,
    )
    if dispute:
        case = refer_to_mediation(
            case,
            acting_user=acting_user,
            note=_("Dispute raised at talk point %(name)s.") % {"name": point.name},
        )
    issue = TalkIssue.objects.create(
        session=session, case=case, is_dispute=dispute, raised_by=acting_user
    )
    record(
        "talkpoints.issue",
        actor=acting_user,
        obj=issue,
        object_repr=case.number,
        detail={"case": case.number, "dispute": dispute},
    )
    return issue
