"""generate-load's writer: rows written as plain tuples (COPY text on PostgreSQL) read back as
the histories that were generated, with the model's defaults for the columns it does not set."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from gridgov.analytics.load import STATUS_AFTER, Place, generate, synth_case, write_synths
from gridgov.cases.models import Case, CaseEvent

pytestmark = pytest.mark.django_db


def test_written_histories_read_back_as_generated(world):
    now = timezone.now().replace(microsecond=0)
    place = Place(world.grid_a.pk, world.community_a.pk, world.grid_a.path, world.office_a.pk)
    rng = random.Random(7)
    synths = [
        synth_case(
            rng, now - dt.timedelta(days=30 - i), place, [], [(world.water.pk, "LJ-SW")], now
        )
        for i in range(20)
    ]
    synths[0].fields["title"] = "带\t制表符\\和换行\n的标题"
    before = Case.objects.count()
    assert write_synths(synths, number_prefix="T-") == (20, sum(len(s.events) for s in synths))
    cases = list(Case.objects.order_by("id")[before:])
    assert cases[0].title == "带\t制表符\\和换行\n的标题"
    for case, s in zip(cases, synths, strict=True):
        assert case.number == f"T-{case.pk}"
        assert case.created_at == s.created
        assert case.status == STATUS_AFTER[s.events[-1][0]]
        assert case.departments_tried == []  # the model's default, a list
        assert case.urgency == "normal"
        assert case.grid_id == world.grid_a.pk
        assert case.closed_at == s.fields.get("closed_at")
        events = list(CaseEvent.objects.filter(case=case).order_by("id"))
        assert [(e.kind, e.created_at, e.data) for e in events] == s.events
    # The next write continues after the ids in use, and a case made the usual way too.
    write_synths(synths[:1])
    assert Case.objects.count() == before + 21


def test_generate_writes_n_cases_in_the_area(world):
    cases, events = generate(30, area_code=world.community_a.code, seed=3)
    assert cases == 30
    assert CaseEvent.objects.filter(case__number__startswith="L3-").count() == events
    paths = set(Case.objects.filter(number__startswith="L3-").values_list("area_path", flat=True))
    assert paths and all(p.startswith(world.community_a.path) for p in paths)
