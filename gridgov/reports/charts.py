"""Charts drawn on the server as inline SVG: the same markup on the page and in the PDF (no
JavaScript in a PDF). Text is escaped; the sizes are fixed so the PDF lays out predictably."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR = "#9b1c1c"
PREVIOUS = "#c9c4bb"


def bars(rows: Sequence[tuple[str, int, int | None]], *, title: str) -> SafeString:
    """Horizontal bars: (label, this period, previous period or None) per row."""
    if not rows:
        return mark_safe("")
    label_w, bar_w, row_h = 150, 220, 26
    height = row_h * len(rows) + 10
    top = max(max(v, p or 0) for _label, v, p in rows) or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" role="img" '
        f'viewBox="0 0 {label_w + bar_w + 50} {height}" width="{label_w + bar_w + 50}" '
        f'height="{height}"><title>{escape(title)}</title>'
    ]
    for i, (label, value, previous) in enumerate(rows):
        y = 5 + i * row_h
        width = round(bar_w * value / top)
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">'
            f"{escape(label[:14])}</text>"
        )
        if previous is not None:
            prev_w = round(bar_w * previous / top)
            parts.append(
                f'<rect x="{label_w}" y="{y + 16}" width="{prev_w}" height="5" fill="{PREVIOUS}"/>'
            )
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{width}" height="13" fill="{BAR}"/>')
        parts.append(
            f'<text x="{label_w + width + 4}" y="{y + 13}" font-size="12">{value}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every interpolated text is escaped above
