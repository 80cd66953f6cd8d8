"""Who reaches plans, rounds and tracks (the scope rules of patrols, on gridgov.accounts.scope).

- Plans, rounds, check-ins and compliance: the worker their own; community staff, street
  dispatchers and leaders by area.
- Tracks (行踪轨迹, PIPL sensitive personal information) are narrower: the worker, leaders whose
  area covers the round's grid, and audit administrators. Every view is audited (`tracks.py`).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from gridgov.accounts import scope
from gridgov.accounts.choices import Role

SUPERVISORS = (Role.COMMUNITY_STAFF, Role.STREET_DISPATCHER, Role.LEADER)
TRACK_VIEWERS = (Role.LEADER,)


def plan_condition(user: Any) -> Q:
    return Q(worker_id=user.pk) | scope.under(scope.role_paths(user, SUPERVISORS), "grid__path")


def round_condition(user: Any) -> Q:
    return Q(worker_id=user.pk) | scope.under(scope.role_paths(user, SUPERVISORS), "area_path")


def may_supervise(user: Any, path: str) -> bool:
    return scope.covers(scope.role_paths(user, SUPERVISORS), path)


def may_view_track(user: Any, round_: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if round_.worker_id == user.pk:
        return True
    if user.has_role(Role.AUDIT_ADMIN):
        return True
    return scope.covers(scope.role_paths(user, TRACK_VIEWERS), round_.area_path)


def round_relations(user: Any, round_: Any) -> dict[str, Any]:
    """The lifecycle's relations: the worker walks their own round (needs a grid-worker
    membership)."""
    if user is None or round_.worker_id != user.pk:
        return {}
    membership = next((m for m in user.active_memberships if m.role == Role.GRID_WORKER), None)
    return {Role.GRID_WORKER: membership} if membership is not None else {}


PLANNERS = (Role.COMMUNITY_STAFF,)


def may_plan(user: Any, grid_path: str) -> bool:
    """Plans and checkpoints are drawn up by the staff of the grid's community."""
    return scope.covers(scope.role_paths(user, PLANNERS), grid_path)


def plan_grids_condition(user: Any) -> Q:
    """The grids whose plans the user draws up (a `Q` on `Area`)."""
    return scope.under(scope.role_paths(user, PLANNERS), "path")
