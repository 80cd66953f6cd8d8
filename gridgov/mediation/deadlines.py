"""The mediation time limit (ADR 0016): one calendar month from acceptance, 民法典 Art. 201–203.

- The period starts the day after acceptance (Art. 201) and ends on the day of the next month
  that corresponds to the acceptance day; when that month has no such day, on its last day
  (Art. 202).
- When the last day is a statutory holiday or rest day (per `gridgov.workdays`, which knows the
  holidays and the swapped working weekends), the period ends on the next working day (Art. 203).
- The period ends at the end of its last day: `due_on` is a date; a case concluded on it is on
  time.
- Warnings: yellow in the last `MEDIATION_YELLOW_DAYS` days (the due day counted), red in the
  last `MEDIATION_RED_DAYS`, overdue the day after the due day.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from gridgov.mediation.choices import RUNNING_STATUSES, Warning
from gridgov.workdays.calendar import WorkCalendar

if TYPE_CHECKING:
    from gridgov.mediation.models import MediationCase


def add_month(day: dt.date) -> dt.date:
    """The corresponding day of the next month, or that month's last day (Art. 202)."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def next_working_day(day: dt.date, work: WorkCalendar | None = None) -> dt.date:
    """`day` itself when it is a working day, else the first working day after it (Art. 203)."""
    work = work or WorkCalendar()
    for _ in range(60):
        if work.is_workday(day):
            return day
        day += dt.timedelta(days=1)
    raise ValueError("no working day within 60 days: is the calendar filled in?")


def due_date(accepted_on: dt.date, work: WorkCalendar | None = None) -> dt.date:
    """The last day of the one-month period of a mediation accepted on `accepted_on`."""
    return next_working_day(add_month(accepted_on), work)


def days_left(mediation: MediationCase, today: dt.date | None = None) -> int | None:
    if mediation.due_on is None:
        return None
    return (mediation.due_on - (today or timezone.localdate())).days


def warning_level(mediation: MediationCase, today: dt.date | None = None) -> str:
    """ok / yellow / red / overdue for a running mediation; ok otherwise."""
    if mediation.status not in RUNNING_STATUSES:
        return Warning.OK
    left = days_left(mediation, today)
    if left is None:
        return Warning.OK
    if left < 0:
        return Warning.OVERDUE
    if left < settings.MEDIATION_RED_DAYS:
        return Warning.RED
    if left < settings.MEDIATION_YELLOW_DAYS:
        return Warning.YELLOW
    return Warning.OK


def follow_up_due(signed_on: dt.date, performance_due: dt.date | None) -> dt.date:
    """A follow-up falls due on the performance date, or `MEDIATION_FOLLOW_UP_DAYS` after the
    agreement when it names none."""
    if performance_due is not None:
        return performance_due
    return signed_on + dt.timedelta(days=settings.MEDIATION_FOLLOW_UP_DAYS)


def confirmation_days_left(signed_on: dt.date, today: dt.date | None = None) -> int:
    """Days left to apply for judicial confirmation (0: today is the last day; < 0: closed)."""
    last = signed_on + dt.timedelta(days=settings.MEDIATION_CONFIRMATION_DAYS)
    return (last - (today or timezone.localdate())).days
