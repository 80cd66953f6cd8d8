"""Compliance: rounds done against rounds planned, and checkpoints missed, per day.

For each plan and day:
- planned: the plan's rounds per day on a working day of the calendar (holidays and 调休
  included) while the plan is in force, else 0;
- done: the finished rounds up to the plan (incomplete ones do not count; those beyond the
  plan are `extra`);
- missed: for each planned round, the plan's checkpoints that round did not check in (the best
  rounds of the day count first; a planned round not walked misses them all; nothing is
  missed on a day after today). A checkpoint
  retired on a day is not expected from that day on. A round's check-ins are the count the
  check-in action keeps on it (`Round.checked_in`), so the calendar reads no check-in rows.
A day's colour over any set of plans: grey when nothing was planned, green when every planned
round was done with no checkpoint missed, red when none was done, amber otherwise; days after
today have none, and today is green once complete and uncoloured until then.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from gridgov.patrols.choices import DayColour, RoundStatus
from gridgov.patrols.models import Checkpoint, PatrolPlan, Round
from gridgov.workdays.calendar import WorkCalendar


@dataclass
class Day:
    day: dt.date
    workday: bool
    planned: int = 0
    done: int = 0
    missed: int = 0
    extra: int = 0  # rounds beyond the plan (on a day off, or a third round)
    colour: str = DayColour.NONE


def _colour(day: Day, today: dt.date) -> str:
    if day.day > today:
        return DayColour.NONE
    if day.planned == 0:
        return DayColour.GREY
    complete = day.done >= day.planned and day.missed == 0
    if day.day == today:
        return DayColour.GREEN if complete else DayColour.NONE
    if complete:
        return DayColour.GREEN
    if day.done == 0:
        return DayColour.RED
    return DayColour.AMBER


def month_days(year: int, month: int) -> list[dt.date]:
    last = calendar.monthrange(year, month)[1]
    return [dt.date(year, month, d) for d in range(1, last + 1)]


def compliance(
    plans: QuerySet[PatrolPlan] | Iterable[PatrolPlan],
    days: list[dt.date],
    today: dt.date | None = None,
) -> list[Day]:
    """One `Day` per day, summed over the plans (three queries whatever their number: the
    checkpoints' retirement days, the finished rounds with their stored check-in count, the
    work calendar's version; one more to read `plans` if it is a queryset)."""
    today = today or timezone.localdate()
    plan_list = list(plans)
    work = WorkCalendar()
    result = [Day(day=d, workday=work.is_workday(d)) for d in days]
    if not days:
        return result
    # Per plan: how many checkpoints, and the days some of them were retired.
    n_checkpoints: dict[int, int] = defaultdict(int)
    retired: dict[int, list[dt.date]] = defaultdict(list)
    for plan_id, retired_on in Checkpoint.objects.filter(
        plan__in=[p.pk for p in plan_list]
    ).values_list("plan_id", "retired_on"):
        if retired_on is not None and retired_on <= days[0]:
            continue  # retired before the range: never expected in it
        n_checkpoints[plan_id] += 1
        if retired_on is not None:
            retired[plan_id].append(retired_on)
    walked: dict[tuple[int, dt.date], list[int]] = defaultdict(list)
    rows = Round.objects.filter(
        plan__in=[p.pk for p in plan_list],
        day__gte=days[0],
        day__lte=days[-1],
        status=RoundStatus.FINISHED,
    ).values_list("plan_id", "day", "checked_in")
    for plan_id, day, n in rows:
        walked[(plan_id, day)].append(n)
    for cell in result:
        for plan in plan_list:
            checkins = sorted(walked.get((plan.pk, cell.day), []), reverse=True)
            if not (cell.workday and plan.covers(cell.day)):
                cell.extra += len(checkins)
                continue
            planned = plan.rounds_per_day
            cell.done += min(len(checkins), planned)
            cell.extra += max(0, len(checkins) - planned)
            cell.planned += planned
            n_cp = n_checkpoints[plan.pk] - sum(1 for r in retired[plan.pk] if r <= cell.day)
            best = checkins[:planned] + [0] * max(0, planned - len(checkins))
            if cell.day <= today:  # a day still to come has missed nothing yet
                cell.missed += sum(max(0, n_cp - n) for n in best)
        cell.colour = _colour(cell, today)
    return result


def totals(days: list[Day]) -> dict[str, int]:
    return {
        "planned": sum(d.planned for d in days),
        "done": sum(d.done for d in days),
        "missed": sum(d.missed for d in days),
    }
