"""Defects found walking the analytics pages in zh-Hans (issue 12): English left on the page."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.utils import translation

from gridgov.reports.present import _activity_rows


def _content(label: str) -> dict:
    return {
        "patrols": {"done": 1, "planned": 2, "missed_checkpoints": 0, "rate": 50.0},
        "talk_points": {
            "covered_units": 1,
            "units": 2,
            "coverage": 50.0,
            "sessions": 1,
            "attendance": 4,
        },
        "hazards": {"open": 0, "overdue": 0},
        "mediation": {
            "available": True,
            "figures": [
                {
                    "key": "success",
                    "label": label,
                    "numerator": 3,
                    "denominator": 9,
                    "value": 33.33,
                },
                {
                    "key": "confirmation",
                    "label": label,
                    "numerator": 0,
                    "denominator": 3,
                    "value": 0.0,
                },
            ],
        },
    }


def test_mediation_rows_of_a_stored_report_read_in_chinese():
    # The snapshot stored the English label of the day; the page shows the reader's language.
    stored = "Mediation success rate (调解成功率)"
    with translation.override("zh-hans"):
        rows = _activity_rows(_content(stored))
    labels = [row[0] for row in rows[-2:]]
    assert labels == ["调解成功率", "司法确认率"]


def test_mediation_rows_read_in_english_with_the_chinese_term_aside():
    with translation.override("en"):
        rows = _activity_rows(_content("调解成功率"))
    assert [row[0] for row in rows[-2:]] == [
        "Mediation success rate (调解成功率)",
        "Agreements judicially confirmed (司法确认率)",
    ]


def test_rate_tile_delta_says_percentage_points_in_chinese():
    tile = SimpleNamespace(
        key="completion",
        label="办结率",
        display="100.00%",
        fraction="4 / 4",
        definition="",
        delta=Decimal("12.50"),
        previous=Decimal("87.50"),
        unit="%",
    )
    with translation.override("zh-hans"):
        html = render_to_string("analytics/_tiles.html", {"tiles": [tile]})
    assert "+12.50 个百分点" in html
    assert " pp" not in html
