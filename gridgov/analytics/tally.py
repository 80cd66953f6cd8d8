"""What one case event adds to the rollups: a pure step over a small per-case state.

`step(state, event) -> deltas` reads one `CaseEvent` (its kind, time and data) and the case's
state so far (department, whether it ever left the community, its last result and that result's
deadline), updates the state in place and returns the counter increments the event causes, each
keyed by (local day, department id). The incremental hook and the rebuild both call it, so the
two agree by construction; `direct.py` recomputes the figures independently for the tests.
ADR 0019 says what each counter counts and on which day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from gridgov.cases.choices import EventKind

CLOSURES = frozenset({EventKind.RATED, EventKind.CLOSED, EventKind.AUTO_CLOSED})
DISCARDS = frozenset({EventKind.REJECTED, EventKind.MERGED, EventKind.VOIDED})
DISPATCHES = frozenset({EventKind.DISPATCHED, EventKind.RETURN_REDISPATCHED})
# Kinds that change nothing the rollups count (notes, warnings, supervision, attachments, …).
COUNTED = frozenset(
    {
        EventKind.CREATED,
        EventKind.ESCALATED,
        EventKind.CLAIMED,
        EventKind.RETURN_REQUESTED,
        EventKind.RESOLVED,
        EventKind.REOPENED,
        EventKind.VERIFY_FAILED,
        *CLOSURES,
        *DISCARDS,
        *DISPATCHES,
    }
)


@dataclass(frozen=True)
class Delta:
    day: dt.date
    department_id: int
    counter: str  # a CaseRollup counter, or "hours" for the histogram (then `hours` is set)
    hours: int = -1


@dataclass
class EventView:
    """The parts of a CaseEvent the step reads."""

    id: int
    kind: str
    created_at: dt.datetime
    data: Mapping[str, Any] = field(default_factory=dict)


def local_day(moment: dt.datetime, tz: dt.tzinfo | None = None) -> dt.date:
    """The moment's calendar day in `tz` (default: the current time zone)."""
    return moment.astimezone(tz or timezone.get_current_timezone()).date()


def parse_time(value: Any) -> dt.datetime | None:
    if not value:
        return None
    return dt.datetime.fromisoformat(str(value))


def new_state(created_at: dt.datetime) -> dict[str, Any]:
    return {
        "created": created_at.isoformat(),
        "dept": 0,
        "left": False,  # escalated or dispatched at some point: not a direct answer
        "resolved": None,  # time of the last result
        "due": None,  # the handling deadline in force at the last result
    }


def handling_hours(state: Mapping[str, Any], closed_at: dt.datetime) -> int:
    """Whole hours from submission to the last result (to the closure if there was none)."""
    start = dt.datetime.fromisoformat(state["created"])
    end = parse_time(state["resolved"]) or closed_at
    return max(0, int((end - start).total_seconds() // 3600))


def step(
    state: dict[str, Any],
    event: EventView,
    department_of: Callable[[str | None], int],
    tz: dt.tzinfo | None = None,
) -> list[Delta]:
    """Apply `event` to `state` (in place) and return what it adds. `department_of` maps a
    department code from an event's data to its id (0 when unknown); `tz` is the time zone of
    the days (default: the current one; the rebuild looks it up once)."""
    kind = event.kind
    if kind not in COUNTED:
        return []
    day = local_day(event.created_at, tz)
    data = event.data or {}
    out: list[Delta] = []

    def add(counter: str, on: dt.date = day) -> None:
        out.append(Delta(on, state["dept"], counter))

    if kind == EventKind.CREATED:
        add("created")
    elif kind == EventKind.ESCALATED:
        state["left"] = True
    elif kind in DISPATCHES:
        state["left"] = True
        state["dept"] = department_of(data.get("department"))
        add("dispatched")
    elif kind == EventKind.CLAIMED:
        add("claimed")
        due = parse_time(data.get("due"))
        if due is None or event.created_at <= due:
            add("claimed_on_time")
    elif kind == EventKind.RETURN_REQUESTED:
        add("returned")
    elif kind == EventKind.RESOLVED:
        state["resolved"] = event.created_at.isoformat()
        state["due"] = data.get("due")
    elif kind == EventKind.VERIFY_FAILED:
        add("verify_failed")
    elif kind == EventKind.REOPENED:
        add("reopened")
    elif kind in DISCARDS:
        add("discarded")
    elif kind in CLOSURES:
        add("closed")
        if not state["left"]:
            add("closed_direct")
        due = parse_time(state["due"])
        resolved = parse_time(state["resolved"]) or event.created_at
        settled = event.created_at if due is None or event.created_at <= due else due
        add("due_closed", local_day(settled, tz))
        if due is None or resolved <= due:
            add("due_closed_on_time", local_day(settled, tz))
        out.append(Delta(day, state["dept"], "hours", handling_hours(state, event.created_at)))
        if kind == EventKind.RATED:
            add("rated")
            if data.get("by_proxy"):
                add("rated_by_proxy")
            if data.get("solved"):
                add("solved")
            level = int(data.get("satisfaction") or 0)
            if 1 <= level <= 5:
                add(f"sat_{level}")
    return out
