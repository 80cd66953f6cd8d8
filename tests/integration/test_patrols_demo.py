"""The demo's patrols (issue 10): a plan for each of the 9 grid workers of 河西社区 and a month
of rounds on working days with some days missed, each with its check-ins and an encrypted
track. Expectations from gridgov/demo/patrols.py's rules, not from its output: one plan per
worker, rounds only on working days of the last 30, at most `rounds_per_day` a day, a track
of three points per checkpoint per round."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from gridgov.accounts.choices import Role
from gridgov.accounts.models import Membership
from gridgov.patrols.choices import RoundStatus
from gridgov.patrols.compliance import compliance
from gridgov.patrols.models import CheckIn, PatrolPlan, Round, TrackBatch
from gridgov.workdays.calendar import WorkCalendar

pytestmark = pytest.mark.django_db


def test_demo_has_a_month_of_rounds_for_the_nine_workers_with_days_missed():
    call_command("seed_demo", stdout=io.StringIO())
    plans = list(PatrolPlan.objects.select_related("grid"))
    rounds_before = Round.objects.count()
    call_command("seed_demo", stdout=io.StringIO())  # idempotent
    assert Round.objects.count() == rounds_before

    workers = Membership.objects.filter(role=Role.GRID_WORKER, area__kind="grid")
    assert len(plans) == 9 == workers.count()
    assert {(p.worker_id, p.grid_id) for p in plans} == {(m.user_id, m.area_id) for m in workers}
    today = timezone.localdate()
    work = WorkCalendar()
    working_days = [
        today - dt.timedelta(days=n)
        for n in range(1, 31)
        if work.is_workday(today - dt.timedelta(days=n))
    ]
    per_day = Round.objects.values("plan_id", "day").annotate(n=Count("pk"))
    assert per_day, "no rounds"
    for row in per_day:
        assert row["day"] in working_days  # never on a day off, never today or later
        assert 1 <= row["n"] <= 2
    assert set(Round.objects.values_list("status", flat=True)) == {RoundStatus.FINISHED}
    # Every worker walked, and some working days fell short of two rounds (missed).
    assert Round.objects.values("plan_id").distinct().count() == 9
    planned = 2 * len(working_days) * 9
    walked = Round.objects.count()
    assert planned * 0.6 < walked < planned
    cells = compliance(plans, sorted(working_days), today=today)
    assert any(cell.done < cell.planned for cell in cells)
    # Tracks: one encrypted batch per round, three points per checkpoint; check-ins recorded.
    assert TrackBatch.objects.count() == walked
    sample = TrackBatch.objects.select_related("round__plan").first()
    assert sample is not None
    assert "129." not in sample.points_encrypted  # not readable at rest
    assert len(sample.points) == 3 * sample.round.plan.checkpoints.count()
    assert CheckIn.objects.count() > walked  # several checkpoints a round
