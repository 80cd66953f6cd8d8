"""Charts drawn on the server as inline SVG: the same markup on the page and in the PDF (no
JavaScript in a PDF). The geometry is computed here; the template escapes every text."""

from __future__ import annotations

from collections.abc import Sequence

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

LABEL_W, BAR_W, ROW_H = 150, 220, 26


def bars(rows: Sequence[tuple[str, int, int | None]], *, title: str) -> SafeString:
    """Horizontal bars: (label, this period, previous period or None) per row."""
    if not rows:
        return SafeString("")
    top = max(max(v, p or 0) for _label, v, p in rows) or 1
    drawn = []
    for i, (label, value, previous) in enumerate(rows):
        y = 5 + i * ROW_H
        width = round(BAR_W * value / top)
        drawn.append(
            {
                "label": label[:14],
                "value": value,
                "y": y,
                "text_y": y + 15,
                "bar_y": y + 2,
                "prev_y": y + 16,
                "width": width,
                "prev_width": None if previous is None else round(BAR_W * previous / top),
                "value_x": LABEL_W + width + 4,
                "value_y": y + 13,
            }
        )
    width = LABEL_W + BAR_W + 50
    return SafeString(
        render_to_string(
            "reports/_bars.svg",
            {
                "rows": drawn,
                "title": title,
                "width": width,
                "height": ROW_H * len(rows) + 10,
                "label_w": LABEL_W,
                "label_x": LABEL_W - 6,
            },
        )
    )
