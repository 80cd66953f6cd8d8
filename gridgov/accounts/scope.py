"""One scope module: what part of the platform a user reaches, per action (ADR 0011).

Every rule about "where" a user may view, change or create lives here, written once as a
predicate on a membership, and everything else reads through it: the `visible_to(user, action)`
querysets, the permission checks of cases and the registry, the create rules and the lists.
(NetBox's `restrict(user, action)`; style.md §7.) Nothing here is a bypass: the superuser flag
reaches no data (ADR 0003).

Three reaches, each a set of area subtrees ("paths") drawn from the user's active memberships:

- the area tree and places (areas, buildings, units, houses, households, organisations): every
  role but the security and audit administrators, each within its membership's area;
- the registry (people): grid workers, community staff and leaders view; grid workers and
  community staff change and register (`REGISTRY`);
- cases: see `case_condition` and `case_relations` — by area for grid workers, community staff,
  street dispatchers and leaders; by department for handlers; by referral for mediation; the
  reporter their own; the creator what they registered while they may still register there.

Models are known here only by their field names (geo and cases import this module, never the
reverse), so the predicates return `Q` objects and booleans over plain attributes.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from gridgov.accounts.choices import ROLES_WITHOUT_AREA_ACCESS, Role

if TYPE_CHECKING:
    from gridgov.accounts.models import Membership, Organisation, User


class Action(StrEnum):
    """What a user wants to do with an object; `visible_to(user, action)` takes one."""

    VIEW = "view"
    CHANGE = "change"
    CREATE = "create"


# The registry: for each action, the roles that reach people in their area (minimum necessary:
# departments, dispatchers, mediators and administrators have no need for it).
REGISTRY: dict[Action, tuple[str, ...]] = {
    Action.VIEW: (Role.GRID_WORKER, Role.COMMUNITY_STAFF, Role.LEADER),
    # The owning grid's worker and its community's staff: edit, the wider ID mask, unmask.
    Action.CHANGE: (Role.GRID_WORKER, Role.COMMUNITY_STAFF),
    Action.CREATE: (Role.GRID_WORKER, Role.COMMUNITY_STAFF),
}

# The hazard register (隐患台账): the street and its leaders follow it; the grid worker and the
# community staff keep it (report, inspect, rectify; verification is the staff's, per action).
HAZARDS: dict[Action, tuple[str, ...]] = {
    Action.VIEW: (Role.GRID_WORKER, Role.COMMUNITY_STAFF, Role.STREET_DISPATCHER, Role.LEADER),
    Action.CHANGE: (Role.GRID_WORKER, Role.COMMUNITY_STAFF),
    Action.CREATE: (Role.GRID_WORKER, Role.COMMUNITY_STAFF),
}

# Cases: roles that view and act on cases by area (their membership's subtree).
CASE_AREA_ROLES = frozenset(
    {Role.GRID_WORKER, Role.COMMUNITY_STAFF, Role.STREET_DISPATCHER, Role.LEADER}
)
# Roles that see the cases of their area once referred to mediation (and act on none yet).
MEDIATION_ROLES = frozenset({Role.MEDIATOR, Role.JUDICIAL_OFFICER})
# Roles that register cases for any community inside their area.
CASE_CREATE_ROLES = frozenset({Role.COMMUNITY_STAFF, Role.STREET_DISPATCHER, Role.LEADER})


# ---------------------------------------------------------------------------------------------
# Paths: the subtrees a user's memberships reach


def membership_path(m: Membership) -> str | None:
    """The path of the area a membership reaches: its own area, else its organisation's."""
    area = m.scope_area
    return area.path if area is not None else None


def _outermost(paths: set[str]) -> tuple[str, ...]:
    """Drop a subtree already inside another: it adds nothing to a prefix match."""
    return tuple(sorted(p for p in paths if not any(p != q and p.startswith(q) for q in paths)))


def role_paths(user: User, roles: Any) -> tuple[str, ...]:
    """The subtrees reached by the user's active memberships in any of `roles`."""
    paths = {
        path
        for m in user.active_memberships
        if m.role in roles and (path := membership_path(m)) is not None
    }
    return _outermost(paths)


def area_paths(user: User) -> tuple[str, ...]:
    """The subtrees of the area tree (and the places in it) the user may view."""
    paths = {
        path
        for m in user.active_memberships
        if m.role not in ROLES_WITHOUT_AREA_ACCESS and (path := membership_path(m)) is not None
    }
    return _outermost(paths)


def registry_paths(user: User, action: str = Action.VIEW) -> tuple[str, ...]:
    """The subtrees in which the user may view, change or register people."""
    return role_paths(user, REGISTRY[Action(action)])


def hazard_paths(user: User, action: str = Action.VIEW) -> tuple[str, ...]:
    """The subtrees whose hazard sites and hazards the user may view, change or report."""
    return role_paths(user, HAZARDS[Action(action)])


def hazard_relations(user: User, area_path: str) -> dict[str, Membership]:
    """The user's roles that keep the hazard register at this path, with their membership."""
    found: dict[str, Membership] = {}
    for m in user.active_memberships:
        if m.role in HAZARDS[Action.CHANGE] and covers(_paths_of(m), area_path):
            found.setdefault(m.role, m)
    return found


def _paths_of(m: Membership) -> tuple[str, ...]:
    path = membership_path(m)
    return (path,) if path is not None else ()


def under(paths: tuple[str, ...], field: str = "path") -> Q:
    """Q: `field` (a path column) lies in one of the subtrees; nothing when there are none."""
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{field}__startswith": path})
    return condition


def covers(paths: tuple[str, ...], path: str | None) -> bool:
    """The Python twin of `under`: `path` lies in one of the subtrees."""
    return path is not None and any(path.startswith(p) for p in paths)


def ancestor_paths(path: str) -> list[str]:
    """The paths above `path`, root first (a community's street and city)."""
    codes = [code for code in path.split("/") if code]
    return ["/".join(codes[:i]) + "/" for i in range(1, len(codes))]


# ---------------------------------------------------------------------------------------------
# Need-to-know grants (special groups): area scope alone never shows a special-group record


def _grants(user: User) -> list[tuple[str, str]]:
    """The user's active grants as (group, area path), read once per user object."""
    cached = getattr(user, "_scope_grants", None)
    if cached is None:
        cached = [
            (grant.group, grant.area.path)
            for grant in user.need_to_know_grants.active().select_related("area")
        ]
        user._scope_grants = cached  # type: ignore[attr-defined]
    return cached


def granted_groups(user: User, grid_path: str | None = None) -> set[str]:
    """The special groups the user holds a grant for (over `grid_path`, when given)."""
    return {
        group for group, path in _grants(user) if grid_path is None or grid_path.startswith(path)
    }


def grant_condition(user: User, grid_path_field: str) -> Q:
    """Q over special-group records: the record's group is granted over its person's grid."""
    condition = Q(pk__in=[])
    for group, path in _grants(user):
        condition |= Q(group=group, **{f"{grid_path_field}__startswith": path})
    return condition


# ---------------------------------------------------------------------------------------------
# Departments: where a case may be dispatched


def is_dispatch_target(organisation: Organisation) -> bool:
    """An active department (部门领单): the only organisations a case is dispatched to."""
    return organisation.is_department and organisation.is_active


# ---------------------------------------------------------------------------------------------
# Cases


def _case_reach(m: Membership, action: Action) -> Q | None:
    """Q over cases for one membership and action; None when the membership reaches none."""
    path = membership_path(m)
    if m.role in CASE_AREA_ROLES and path is not None:
        return Q(area_path__startswith=path)
    if m.role == Role.DEPARTMENT_HANDLER and m.organisation_id is not None:
        return Q(department_id=m.organisation_id)
    if action == Action.VIEW and m.role in MEDIATION_ROLES and path is not None:
        return Q(area_path__startswith=path, mediation_referred_at__isnull=False)
    return None


def _case_reaches(m: Membership, case: Any, action: Action) -> bool:
    """The Python twin of `_case_reach` for one case already in memory."""
    path = membership_path(m)
    if m.role in CASE_AREA_ROLES and path is not None:
        return case.area_path.startswith(path)
    if m.role == Role.DEPARTMENT_HANDLER and m.organisation_id is not None:
        return bool(m.organisation_id == case.department_id)
    if action == Action.VIEW and m.role in MEDIATION_ROLES and path is not None:
        return case.mediation_referred_at is not None and case.area_path.startswith(path)
    return False


def _create_path(m: Membership) -> str | None:
    """The subtree whose communities this membership registers cases for, or None.

    Community staff, dispatchers and leaders: their area. A grid worker: their grid's whole
    community (a finding on patrol may lie across the grid line). Residents: see below."""
    path = membership_path(m)
    if path is None:
        return None
    if m.role in CASE_CREATE_ROLES:
        return path
    if m.role == Role.GRID_WORKER:
        parents = ancestor_paths(path)
        return parents[-1] if parents else path
    return None


def case_create_paths(user: User) -> tuple[str, ...]:
    """The subtrees whose communities the user may register cases for (residents aside)."""
    return _outermost({p for m in user.active_memberships if (p := _create_path(m)) is not None})


def case_create_membership(user: User, community: Any) -> Membership | None:
    """The membership under which the user may register a case in this community, or None."""
    resident = None
    for m in user.active_memberships:
        if m.role == Role.RESIDENT:
            resident = resident or m  # residents may report a problem wherever they see it
            continue
        path = _create_path(m)
        if path is not None and community.path.startswith(path):
            return m  # staff first: a staff member who also lives here registers as staff
    return resident


def case_place_condition(user: User, grid_path_field: str = "grid__path") -> Q:
    """Q over places (buildings) the user may name on a new case: those in their area scope,
    and those of the communities they register cases for (a grid worker: the next grid)."""
    return under(area_paths(user) + case_create_paths(user), grid_path_field)


def case_reach(user: User, roles: Any) -> Q:
    """Q over the cases the user's memberships in `roles` act on (a workbench queue's base)."""
    condition = Q(pk__in=[])
    for m in user.active_memberships:
        if m.role in roles and (reach := _case_reach(m, Action.CHANGE)) is not None:
            condition |= reach
    return condition


def case_condition(user: User, action: str = Action.VIEW) -> Q:
    """Q over cases the user may view, or act on ("change").

    Viewing adds: a reporter's own reports, and the cases a user registered while they may
    still register cases there (a grid worker's finding in the next grid of their community).
    Acting as the reporter needs a resident membership (`case_relations`)."""
    action = Action(action)
    condition = Q(pk__in=[])
    for m in user.active_memberships:
        reach = _case_reach(m, action)
        if reach is not None:
            condition |= reach
    if action == Action.VIEW:
        condition |= Q(reporter_user_id=user.pk)
        creatable = case_create_paths(user)
        if creatable:
            condition |= Q(created_by_id=user.pk) & under(creatable, "area_path")
    elif user.has_role(Role.RESIDENT):
        condition |= Q(reporter_user_id=user.pk)
    return condition


def case_relations(user: User, case: Any) -> dict[str, Membership]:
    """The user's roles that may act on this case, each with the membership that grants it.

    The Python twin of `case_condition(user, "change")` for one case in memory."""
    found: dict[str, Membership] = {}
    for m in user.active_memberships:
        if _case_reaches(m, case, Action.CHANGE):
            found.setdefault(m.role, m)
    if case.reporter_user_id is not None and case.reporter_user_id == user.pk:
        reporter = next((m for m in user.active_memberships if m.role == Role.RESIDENT), None)
        if reporter is not None:
            found.setdefault(Role.RESIDENT, reporter)
    return found


# ---------------------------------------------------------------------------------------------
# Talk points (百姓说事点): seen by the area's staff, kept by the grid and the community

TALK_POINTS: dict[Action, tuple[str, ...]] = {
    Action.VIEW: (
        Role.GRID_WORKER,
        Role.COMMUNITY_STAFF,
        Role.STREET_DISPATCHER,
        Role.LEADER,
    ),
    # Recording sessions and raising their issues: the grid's worker and the community's staff.
    Action.CHANGE: (Role.GRID_WORKER, Role.COMMUNITY_STAFF),
    # Opening, re-hosting and closing talk points: the community's staff (domain.md §1).
    Action.CREATE: (Role.COMMUNITY_STAFF,),
}


def talk_point_paths(user: User, action: str = Action.VIEW) -> tuple[str, ...]:
    """The subtrees whose talk points the user may view, record sessions at, or manage."""
    return role_paths(user, TALK_POINTS[Action(action)])


# ---------------------------------------------------------------------------------------------
# Reports (每周汇总, 每月研判): seen by the area's staff; the monthly meeting is held by the
# community staff for a community or a grid, by the street's dispatchers and leaders for a street

REPORTS: dict[Action, tuple[str, ...]] = {
    Action.VIEW: (Role.GRID_WORKER, Role.COMMUNITY_STAFF, Role.STREET_DISPATCHER, Role.LEADER),
}
REPORT_MEETING_ROLES = {
    "grid": (Role.COMMUNITY_STAFF,),
    "community": (Role.COMMUNITY_STAFF,),
    "street": (Role.STREET_DISPATCHER, Role.LEADER),
}


def report_paths(user: User, action: str = Action.VIEW) -> tuple[str, ...]:
    """The subtrees whose reports the user may read."""
    return role_paths(user, REPORTS[Action(action)])


def report_meeting_condition(user: User, path_field: str = "area_path") -> Q:
    """Q over reports (and their meeting rows): those whose meeting the user may record."""
    condition = Q(pk__in=[])
    for kind, roles in REPORT_MEETING_ROLES.items():
        paths = role_paths(user, roles)
        if paths:
            condition |= Q(area__kind=kind) & under(paths, path_field)
    return condition


def report_meeting_relations(user: User, area_kind: str, area_path: str) -> dict[str, Membership]:
    """The user's roles that record the meeting of a report on this area, with the membership."""
    found: dict[str, Membership] = {}
    roles = REPORT_MEETING_ROLES.get(area_kind, ())
    for m in user.active_memberships:
        if m.role in roles and covers(_paths_of(m), area_path):
            found.setdefault(m.role, m)
    return found


# ---------------------------------------------------------------------------------------------
# Mediation cases (人民调解, ADR 0016): need-to-know, never by area alone for other roles

# The committee (people's mediators) and the judicial office see and act on the mediation cases
# of their area; the grid worker those of their grid while at level 1; an assigned mediator the
# cases they mediate (current) or mediated (past, to view). Everyone else: 404.
MEDIATION_AREA_ROLES = frozenset({Role.MEDIATOR, Role.JUDICIAL_OFFICER})
MEDIATION_ASSIGNED = "assigned_mediator"  # the relation of the current assignee


def mediation_condition(user: User, action: str, assigned: Any) -> Q:
    """Q over mediation cases the user may view or act on; `assigned` holds the ids of the cases
    the user is (change) or was (view) assigned to."""
    action = Action(action)
    condition = under(role_paths(user, MEDIATION_AREA_ROLES), "area_path")
    grids = role_paths(user, (Role.GRID_WORKER,))
    if grids:
        condition |= Q(level=1) & under(grids, "area_path")
    if action in (Action.VIEW, Action.CHANGE):
        condition |= Q(pk__in=assigned)
    return condition


def mediation_relations(
    user: User, area_path: str, level: int, assigned: bool
) -> dict[str, Membership | None]:
    """The user's roles on one mediation case (the Python twin of `mediation_condition`)."""
    found: dict[str, Membership | None] = {}
    if assigned:
        found[MEDIATION_ASSIGNED] = None
    for m in user.active_memberships:
        paths = _paths_of(m)
        by_area = m.role in MEDIATION_AREA_ROLES
        by_grid = m.role == Role.GRID_WORKER and level == 1
        if (by_area or by_grid) and covers(paths, area_path):
            found.setdefault(m.role, m)
    return found


def mediation_register_membership(user: User, area_path: str) -> Membership | None:
    """The membership under which the user may register a mediation case at this area."""
    for m in user.active_memberships:
        if m.role in (*MEDIATION_AREA_ROLES, Role.GRID_WORKER) and covers(_paths_of(m), area_path):
            return m
    return None
