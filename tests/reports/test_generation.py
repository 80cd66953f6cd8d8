"""Generation on a hand-built month: the stored figures equal numbers counted by hand."""

from __future__ import annotations

import pytest

from gridgov.reports.actions import generate_report
from gridgov.reports.choices import ReportKind
from gridgov.reports.models import Report
from gridgov.reports.periods import parse
from tests.reports.helpers import october

pytestmark = pytest.mark.django_db


def _counts(report):
    return {c["key"]: c for c in report.content["counts"]}


@pytest.fixture
def month(world):
    return october(world)


def test_monthly_counts_equal_the_hand_count(world, month):
    report = generate_report(world.community_a, parse(ReportKind.MONTHLY, "2026-10"))
    counts = _counts(report)
    # October in 河西社区: c1, c2, c3, c4, c5, c10 (c6 is November, c7/c8 September, c9 河东)
    assert counts["intake"]["value"] == 6
    assert counts["intake"]["previous"] == 2  # c7, c8
    assert counts["intake"]["delta"] == 4
    assert counts["intake"]["percent"] == 200.0
    # closed in October: c1 (25 Oct) and c7 (2 Oct, received in September); none in September
    assert counts["closed"]["value"] == 2
    assert counts["closed"]["previous"] == 0
    assert counts["closed"]["percent"] is None  # no base to compare with
    # overdue: c3 (due 25 Oct, open) and c8 (due 20 Sep, still open); September: c8 only
    assert counts["overdue"]["value"] == 2
    assert counts["overdue"]["previous"] == 1
    assert counts["reworked"]["value"] == 1  # c2's failed verification on 22 Oct
    assert counts["reworked"]["previous"] == 0


def test_monthly_breakdowns(world, month):
    content = generate_report(world.community_a, parse(ReportKind.MONTHLY, "2026-10")).content
    by_channel = {r["code"]: (r["count"], r["previous"]) for r in content["by_channel"]}
    assert by_channel == {"hotline": (4, 2), "resident_app": (1, 0), "grid_worker": (1, 0)}
    by_category = {r["code"]: (r["count"], r["previous"]) for r in content["by_category"]}
    assert by_category == {"0301": (5, 2), "0406": (1, 0)}
    by_status = {r["code"]: r["count"] for r in content["by_status"]}
    assert by_status == {"submitted": 4, "in_progress": 1, "closed": 1}


def test_recurring_problem_is_same_place_and_category_three_times(world, month):
    content = generate_report(world.community_a, parse(ReportKind.MONTHLY, "2026-10")).content
    assert content["recurring"] == [
        {
            "kind": "building",
            "place": "甲1号楼",
            "category": "突发漏水/水管破裂",
            "category_code": "0301",
            "count": 3,
            "cases": [month.c1.number, month.c2.number, month.c3.number],
        }
    ]
    # hot spots: 甲1号楼 had four cases (c10 is another category); the rest had one each
    assert content["hot_spots"]["places"] == [
        {"kind": "building", "place": "甲1号楼", "grid": "第一网格", "count": 4}
    ]
    assert content["hot_spots"]["grids"] == [
        {"code": "222405001001001", "name": "第一网格", "count": 4}
    ]


def test_two_of_a_kind_is_not_recurring(world, month):
    # the week of 12–18 October holds only c4 (15 Oct); the week of 19–25 only c3
    content = generate_report(world.community_a, parse(ReportKind.WEEKLY, "2026-W42")).content
    assert content["recurring"] == []
    assert _counts_of(content)["intake"] == 1


def _counts_of(content):
    return {c["key"]: c["value"] for c in content["counts"]}


def test_lists_name_the_cases_without_personal_data(world, month):
    content = generate_report(world.community_a, parse(ReportKind.MONTHLY, "2026-10")).content
    assert [r["number"] for r in content["overdue"]] == [month.c8.number, month.c3.number]
    assert [(r["number"], r["reworks_in_period"]) for r in content["reworked"]] == [
        (month.c2.number, 1)
    ]
    text = str(content)
    assert "王女士" not in text and "13912345678" not in text
    # c3's title carried a phone number: in the report it is masked 3 + 4
    assert content["overdue"][1]["title"] == "甲1号楼水管破裂 电话139****5678"
    assert all("reporter" not in key for row in content["overdue"] for key in row)


def test_weekly_period_on_period_change(world, month):
    # W41 = 5–11 Oct: c2 (10 Oct), c10 (8 Oct); W40 = 28 Sep–4 Oct: c1 (3 Oct), c7 (30 Sep)
    content = generate_report(world.community_a, parse(ReportKind.WEEKLY, "2026-W41")).content
    intake = next(c for c in content["counts"] if c["key"] == "intake")
    assert (intake["value"], intake["previous"], intake["delta"], intake["percent"]) == (
        2,
        2,
        0,
        0.0,
    )
    assert content["period"] == {
        "code": "2026-W41",
        "first_day": "2026-10-05",
        "last_day": "2026-10-11",
    }
    assert content["previous_period"]["code"] == "2026-W40"


def test_a_grid_report_counts_only_its_grid(world, month):
    content = generate_report(world.grid_b, parse(ReportKind.MONTHLY, "2026-10")).content
    assert _counts_of(content)["intake"] == 1  # c4 at 乙1号楼


def test_regenerating_makes_a_new_version_and_keeps_the_old(world, month):
    period = parse(ReportKind.MONTHLY, "2026-10")
    first = generate_report(world.community_a, period)
    second = generate_report(world.community_a, period)
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    assert first.is_latest is False and second.is_latest is True
    assert Report.objects.filter(area=world.community_a, period="2026-10").count() == 2
    assert first.content == second.content  # nothing changed in between
