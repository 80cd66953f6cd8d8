"""The PDF download: Chinese text, the charts drawn in, no unmasked phone, audited."""

from __future__ import annotations

import pytest

from gridgov.audit.models import AuditEntry
from gridgov.reports.actions import add_action_item, generate_report, record_conclusion
from gridgov.reports.choices import ReportKind
from gridgov.reports.periods import parse
from tests.pdf_helpers import pdf_fonts, pdf_plain_text
from tests.reports.helpers import october

pytestmark = pytest.mark.django_db


def test_monthly_pdf_is_chinese_masked_and_audited(world, client_for):
    import datetime as dt

    from django.utils import timezone

    month = october(world)
    report = generate_report(world.community_a, parse(ReportKind.MONTHLY, "2026-10"))
    record_conclusion(report, acting_user=world.people.staff, text="甲1号楼水管老化，列入维修计划")
    add_action_item(
        report,
        acting_user=world.people.staff,
        title="联系物业更换甲1号楼立管",
        owner=world.people.worker_a,
        deadline=timezone.localdate() + dt.timedelta(days=10),
    )
    response = client_for("staff").get(f"/reports/{report.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = pdf_plain_text(response.content)
    fonts = pdf_fonts(response.content)
    assert "Noto-Serif-CJK-SC" in fonts and "Noto-Sans-CJK-SC" in fonts
    for expected in (
        "河西社区",
        "每月研判",
        "受理诉求数",
        "反复发生的问题",
        "甲1号楼",
        "甲1号楼水管老化，列入维修计划",
        "联系物业更换甲1号楼立管",
        "139****5678",  # c3's title, masked
        month.c3.number,
    ):
        assert expected in text, expected
    assert "13912345678" not in text
    assert "王女士" not in text
    assert b"<svg" not in response.content  # the charts are drawn into the page, not embedded
    entry = AuditEntry.objects.get(action="report.downloaded")
    assert entry.detail["format"] == "pdf"
    assert entry.actor_id == world.people.staff.pk
