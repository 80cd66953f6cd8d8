"""The demo's figures agree with its cases: the seed backdates cases with queryset updates, so
the rollups must be replayed after it (issue 12 walk: November's tile said 0, its report 3)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from gridgov.analytics.metrics import figures
from gridgov.analytics.periods import Period, PeriodKind
from gridgov.cases.models import Case
from gridgov.geo.models import Area

pytestmark = pytest.mark.django_db


def test_demo_dashboard_intake_per_day_matches_the_cases_created_that_day():
    call_command("seed_demo", stdout=io.StringIO())
    community = Area.objects.get(code="222405001001")
    by_day: dict[dt.date, int] = {}
    for created in Case.objects.filter(area_path__startswith=community.path).values_list(
        "created_at", flat=True
    ):
        day = timezone.localtime(created).date()
        by_day[day] = by_day.get(day, 0) + 1
    assert len(by_day) >= 2  # the seed moves some cases days into the past
    for day, expected in by_day.items():
        assert figures(community, Period.of(PeriodKind.DAY, day))["intake"].value == expected, day
