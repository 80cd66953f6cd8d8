"""PDF rendering time (gridgov/core/pdf.py): a 2-page document like an agreement and a
15-page one like a case file, rendered in-process; p50 and max of a few runs. No database."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5

PAGE = """<section class="pdf-section"><h1 id="s{{ i }}">第{{ i }}部分 调解笔录</h1>
<table class="pdf-grid"><tr><th>时间</th><td>2026-12-01 10:00</td></tr>
<tr><th>地点</th><td>河西社区人民调解室</td></tr></table>
<div class="pdf-block">{{ text }}</div>
<div class="pdf-signatures">{% signature_box "申请人" fingerprint=True %}
{% signature_box "被申请人" fingerprint=True %}</div>
{% seal_box "河西社区人民调解委员会" %}</section>"""
TEMPLATE = (
    '{% extends "pdf/base.html" %}{% load pdf_boxes %}{% block content %}'
    '<section class="pdf-toc"><ol>{% for i in pages %}'
    '<li><a href="#s{{ i }}">第{{ i }}部分</a></li>{% endfor %}</ol></section>'
    "{% for i in pages %}" + PAGE + "{% endfor %}{% endblock %}"
)


def main() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gridgov.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.utils import translation

    from gridgov.core.pdf import render_pdf

    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "bench.html").write_text(TEMPLATE, encoding="utf-8")
        settings.TEMPLATES[0]["DIRS"].insert(0, tmp)  # type: ignore[attr-defined]
        text = "双方当事人就楼上漏水造成的损失陈述了各自意见。" * 12
        for label, pages in (("2-page document", 1), ("15-page case file", 14)):
            times = []
            with translation.override("zh-hans"):
                for _ in range(RUNS):
                    start = time.perf_counter()
                    data = render_pdf("bench.html", {"pages": range(1, pages + 1), "text": text})
                    times.append(time.perf_counter() - start)
            print(
                f"{label}: p50 {statistics.median(times) * 1000:.0f} ms, "
                f"max {max(times) * 1000:.0f} ms, {len(data) // 1024} KiB"
            )


if __name__ == "__main__":
    main()
