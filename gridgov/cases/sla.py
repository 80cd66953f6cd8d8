"""Time limits per step (accept, dispatch, claim, handle) and the warning levels.

A step's clock starts when the case enters it; its due time comes from the category's limit and
the working-day calendar. The level is yellow or red once the configured share of the allowed time
has passed, and overdue after the due time.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings

from gridgov.cases.choices import SlaLevel, Step
from gridgov.cases.models import Case
from gridgov.workdays.calendar import WorkCalendar


def limit_for(case: Case, step: str) -> tuple[float, str]:
    if case.category is not None:
        return case.category.limit(step)
    amount, unit = settings.CASE_DEFAULT_LIMITS[step]
    return float(amount), unit


def start_step(case: Case, step: str, now: dt.datetime, calendar: WorkCalendar) -> None:
    amount, unit = limit_for(case, step)
    case.step = step
    case.step_started_at = now
    case.step_due_at = calendar.due_at(now, amount, unit)
    if step == Step.HANDLE:
        case.handle_due_at = case.step_due_at
    case.sla_level = SlaLevel.OK


def resume_step(case: Case, step: str, due: dt.datetime | None, now: dt.datetime) -> None:
    """Back to a step whose clock already ran (a return refused): keep its due time."""
    case.step = step
    case.step_due_at = due
    case.sla_level = level_for(case, now)


def stop_clock(case: Case) -> None:
    case.step = ""
    case.step_started_at = None
    case.step_due_at = None
    case.sla_level = SlaLevel.OK


def thresholds(case: Case) -> tuple[int, int]:
    if case.category is not None:
        return case.category.yellow_percent, case.category.red_percent
    return settings.CASE_DEFAULT_WARNING_PERCENT


def level_for(case: Case, now: dt.datetime) -> str:
    if case.step_due_at is None or case.step_started_at is None:
        return SlaLevel.OK
    if now > case.step_due_at:
        return SlaLevel.OVERDUE
    allowed = (case.step_due_at - case.step_started_at).total_seconds()
    if allowed <= 0:
        return SlaLevel.OVERDUE
    used = Decimal((now - case.step_started_at).total_seconds() * 100 / allowed)
    yellow, red = thresholds(case)
    if used >= red:
        return SlaLevel.RED
    if used >= yellow:
        return SlaLevel.YELLOW
    return SlaLevel.OK
