"""A stored snapshot made ready for the page, the PDF and the workbook: labels translated,
charts drawn, and every table as (title, headers, rows) with numbers kept as numbers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.utils.translation import pgettext

from gridgov.analytics.metrics import CATALOGUE
from gridgov.reports import charts, labels


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]


def _delta(change: dict[str, Any]) -> str:
    delta, percent = change.get("delta"), change.get("percent")
    if delta is None:
        return "—"
    sign = "+" if delta > 0 else ""
    text = f"{sign}{delta}"
    if percent is not None:
        text += f" ({sign}{percent}%)"
    return text


UNITS = {"%": "%", "h": _l("hours"), "score": _l("score")}


def rate_label(rate: dict[str, Any]) -> str:
    """The rate's name in the reader's language (the stored label is the generating one's)."""
    known = CATALOGUE.get(rate["key"])
    return str(known.label) if known is not None else rate["label"]


def tables(content: dict[str, Any]) -> list[Table]:
    """Every table of the report, in page order."""
    out = [
        Table(
            "counts",
            _("Counts"),
            [
                _("Figure"),
                _("This period"),
                _("Previous period"),
                pgettext("period-on-period", "Change"),
                _("Change (%)"),
            ],
            [
                [
                    labels.count_label(c["key"]),
                    c["value"],
                    c["previous"],
                    c["delta"],
                    c["percent"],
                ]
                for c in content["counts"]
            ],
        )
    ]
    if content.get("rates"):
        out.append(
            Table(
                "rates",
                _("Rates"),
                [
                    _("Metric"),
                    _("Numerator"),
                    _("Denominator"),
                    _("Value"),
                    _("Unit of measure"),
                    _("Previous value"),
                    pgettext("period-on-period", "Change"),
                ],
                [
                    [
                        rate_label(r),
                        r["numerator"],
                        r["denominator"],
                        r["value"],
                        str(UNITS.get(r["unit"], r["unit"])),
                        r["change"]["previous"],
                        r["change"]["delta"],
                    ]
                    for r in content["rates"]
                ],
            )
        )
    out += [
        Table(
            "category",
            _("By category"),
            [
                _("Category code"),
                _("Category"),
                _("Cases"),
                _("Previous period"),
                pgettext("period-on-period", "Change"),
            ],
            [
                [r["code"], r["name"], r["count"], r["previous"], r["delta"]]
                for r in content["by_category"]
            ],
        ),
        Table(
            "channel",
            _("By channel"),
            [
                _("Channel"),
                _("Cases"),
                _("Previous period"),
                pgettext("period-on-period", "Change"),
            ],
            [
                [labels.channel_label(r["code"]), r["count"], r["previous"], r["delta"]]
                for r in content["by_channel"]
            ],
        ),
        Table(
            "status",
            _("By status"),
            [_("Status"), _("Cases")],
            [[labels.status_label(r["code"]), r["count"]] for r in content["by_status"]],
        ),
        Table(
            "hot_spots",
            _("Hot spots"),
            [_("Place"), _("Grid"), _("Cases")],
            [[r["place"], r["grid"], r["count"]] for r in content["hot_spots"]["places"]],
        ),
        Table(
            "hot_grids",
            _("Grids with repeated reports"),
            [_("Grid code"), _("Grid"), _("Cases")],
            [[r["code"], r["name"], r["count"]] for r in content["hot_spots"]["grids"]],
        ),
        Table(
            "recurring",
            _("Recurring problems"),
            [_("Place"), _("Category"), _("Times"), _("Cases")],
            [
                [r["place"], r["category"], r["count"], "、".join(r["cases"])]
                for r in content["recurring"]
            ],
        ),
        _case_table("overdue", _("Overdue cases"), content["overdue"]),
        _case_table("reworked", _("Reworked cases"), content["reworked"], reworks=True),
        Table(
            "hazards",
            _("Open hazards"),
            [_("Number"), _("Title"), _("Grid"), _("Risk level"), _("Status"), _("Deadline")],
            [
                [
                    h["number"],
                    h["title"],
                    h["grid"],
                    labels.risk_label(h["risk"]),
                    labels.hazard_status_label(h["status"]),
                    h["deadline"],
                ]
                for h in content["hazards"]["list"]
            ],
        ),
        Table(
            "activity",
            _("Patrols, talk points and mediation"),
            [_("Figure"), _("Numerator"), _("Denominator"), _("Value")],
            _activity_rows(content),
        ),
    ]
    if content.get("carried_over") is not None and content.get("kind") == "monthly":
        out.append(
            Table(
                "carried_over",
                _("Action items carried over"),
                [
                    _("Number"),
                    _("Action to take"),
                    _("Responsible person"),
                    _("Deadline"),
                    _("Status"),
                ],
                [
                    [
                        i["number"],
                        i["title"],
                        i["owner"],
                        i["deadline"],
                        labels.item_status_label(i["status"]),
                    ]
                    for i in content["carried_over"]
                ],
            )
        )
    return out


def _case_table(key: str, title: str, rows: list[dict[str, Any]], reworks: bool = False) -> Table:
    headers = [_("Number"), _("Title"), _("Category"), _("Grid"), _("Place"), _("Status")]
    headers += [_("Reworks in the period")] if reworks else [_("Handling due")]
    return Table(
        key,
        title,
        headers,
        [
            [
                r["number"],
                r["title"],
                r["category"],
                r["grid"],
                r["place"],
                labels.status_label(r["status"]),
                r["reworks_in_period"] if reworks else r["due"],
            ]
            for r in rows
        ],
    )


def _activity_rows(content: dict[str, Any]) -> list[list[Any]]:
    p, t = content["patrols"], content["talk_points"]
    rows: list[list[Any]] = [
        [_("Patrol compliance (rounds done / planned)"), p["done"], p["planned"], p["rate"]],
        [_("Checkpoints missed"), p["missed_checkpoints"], None, None],
        [_("Talk point coverage (units)"), t["covered_units"], t["units"], t["coverage"]],
        [_("Talk point sessions"), t["sessions"], None, None],
        [_("Attendance at talk points"), t["attendance"], None, None],
        [_("Open hazards"), content["hazards"]["open"], None, None],
        [_("Open hazards past their deadline"), content["hazards"]["overdue"], None, None],
    ]
    mediation = content.get("mediation") or {}
    for fig in mediation.get("figures", []):
        label = labels.mediation_label(fig.get("key", ""), fig["label"])
        rows.append([label, fig["numerator"], fig["denominator"], fig["value"]])
    return rows


def page_context(content: dict[str, Any]) -> dict[str, Any]:
    """What the page and PDF templates show beyond the raw content: tables and charts."""
    category_rows = [(r["name"], r["count"], r["previous"]) for r in content["by_category"]][:10]
    channel_rows = [
        (labels.channel_label(r["code"]), r["count"], r["previous"]) for r in content["by_channel"]
    ]
    counts = [
        {**c, "label": labels.count_label(c["key"]), "delta_text": _delta(c)}
        for c in content["counts"]
    ]
    rates = [
        {**r, "label": rate_label(r), "delta_text": _delta(r["change"])}
        for r in content.get("rates", [])
    ]
    return {
        "counts": counts,
        "rates": rates,
        "tables": tables(content),
        "category_chart": charts.bars(category_rows, title=_("By category")),
        "channel_chart": charts.bars(channel_rows, title=_("By channel")),
        "mediation_available": bool((content.get("mediation") or {}).get("available")),
    }
