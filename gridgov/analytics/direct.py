"""The figures recomputed straight from the event rows, without the rollups.

A second, separate reading of ADR 0019's definitions: for every case in the filter it lists the
case's facts (dispatches, claims, closures with their round's deadline, ratings, …) and counts
those that fall in the period. Used by `figures(..., source="direct")`, by the tests that check
the rollups against it, and fine for small areas; it reads every event of the cases it covers.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from gridgov.cases.choices import EventKind as K

if TYPE_CHECKING:
    from gridgov.analytics.metrics import Filters


def _day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def _time(value: Any) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def direct_counts(f: Filters) -> tuple[dict[str, int], dict[int, int]]:
    from gridgov.accounts.models import Organisation
    from gridgov.analytics.models import COUNTERS
    from gridgov.cases.models import Case, CaseEvent

    cases = Case.objects.all()
    if f.path:
        cases = cases.filter(area_path__startswith=f.path)
    if f.category_ids is not None:
        cases = cases.filter(category_id__in=f.category_ids)
    if f.channel:
        cases = cases.filter(channel=f.channel)
    created_at = dict(cases.values_list("pk", "created_at"))
    codes = dict(Organisation.objects.values_list("code", "pk"))
    events: dict[int, list[tuple[str, dt.datetime, dict[str, Any]]]] = {pk: [] for pk in created_at}
    for case_id, kind, at, data in (
        CaseEvent.objects.filter(case_id__in=list(created_at))
        .order_by("case_id", "id")
        .values_list("case_id", "kind", "created_at", "data")
    ):
        events[case_id].append((kind, at, data or {}))

    total: Counter[str] = Counter()
    hist: Counter[int] = Counter()

    def count(name: str, when: dt.date, dept: int) -> None:
        if f.start <= when < f.end and (f.department_id is None or f.department_id == dept):
            total[name] += 1

    for pk, history in events.items():
        dept = 0
        ever_left = False
        result_at: dt.datetime | None = None
        deadline: dt.datetime | None = None
        for kind, at, data in history:
            day = _day(at)
            if kind == K.CREATED:
                count("created", day, dept)
            elif kind == K.ESCALATED:
                ever_left = True
            elif kind in (K.DISPATCHED, K.RETURN_REDISPATCHED):
                ever_left = True
                dept = codes.get(str(data.get("department") or ""), 0)
                count("dispatched", day, dept)
            elif kind == K.CLAIMED:
                count("claimed", day, dept)
                limit = _time(data.get("due"))
                if limit is None or at <= limit:
                    count("claimed_on_time", day, dept)
            elif kind == K.RETURN_REQUESTED:
                count("returned", day, dept)
            elif kind == K.RESOLVED:
                result_at, deadline = at, _time(data.get("due"))
            elif kind == K.VERIFY_FAILED:
                count("verify_failed", day, dept)
            elif kind == K.REOPENED:
                count("reopened", day, dept)
            elif kind in (K.REJECTED, K.MERGED, K.VOIDED):
                count("discarded", day, dept)
            elif kind in (K.RATED, K.CLOSED, K.AUTO_CLOSED):
                count("closed", day, dept)
                if not ever_left:
                    count("closed_direct", day, dept)
                # The round settles when it closes, or at its deadline if that came first.
                late_close = deadline is not None and at > deadline
                settle_day = _day(deadline) if late_close and deadline else day
                count("due_closed", settle_day, dept)
                finished = result_at or at
                if deadline is None or finished <= deadline:
                    count("due_closed_on_time", settle_day, dept)
                if f.start <= day < f.end and f.department_id in (None, dept):
                    hours = int((finished - created_at[pk]).total_seconds() // 3600)
                    hist[max(hours, 0)] += 1
                if kind == K.RATED:
                    count("rated", day, dept)
                    if data.get("by_proxy"):
                        count("rated_by_proxy", day, dept)
                    if data.get("solved"):
                        count("solved", day, dept)
                    level = data.get("satisfaction")
                    if level in (1, 2, 3, 4, 5):
                        count(f"sat_{level}", day, dept)
    return {c: total[c] for c in COUNTERS}, dict(hist)
