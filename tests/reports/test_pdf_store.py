"""The report PDF is rendered once per version (and language) and served from the store after:
the same bytes to every allowed reader, audited each time; a new version or a change to the
meeting's record renders anew; no access still means 404 and nothing rendered or stored."""

from __future__ import annotations

from unittest import mock

import pytest

from gridgov.audit.models import AuditEntry
from gridgov.core import pdf as core_pdf
from gridgov.reports.actions import generate_report, record_conclusion
from gridgov.reports.choices import ReportKind
from gridgov.reports.models import ReportFile
from gridgov.reports.periods import parse
from tests.pdf_helpers import pdf_plain_text
from tests.reports.helpers import october

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders():
    """Counts the calls of the real PDF renderer."""
    with mock.patch.object(core_pdf, "render_pdf", wraps=core_pdf.render_pdf) as spy:
        yield spy


def _download(client, report):
    response = client.get(f"/reports/{report.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.content


def test_second_download_serves_the_stored_bytes_to_every_reader(world, client_for, renders):
    october(world)
    report = generate_report(world.community_a, parse(ReportKind.MONTHLY, "2026-10"))
    first = _download(client_for("staff"), report)
    assert renders.call_count == 1
    second = _download(client_for("staff"), report)
    by_leader = _download(client_for("leader"), report)
    assert renders.call_count == 1
    assert second == first and by_leader == first
    assert bytes(ReportFile.objects.get().data) == first
    downloads = AuditEntry.objects.filter(action="report.downloaded").order_by("pk")
    assert [e.actor_id for e in downloads] == [world.people.staff.pk] * 2 + [world.people.leader.pk]
    text = pdf_plain_text(first)
    assert "仅供工作使用" in text  # the stored stamp
    assert "staff" not in text and "leader" not in text  # …names no viewer


def test_a_new_version_renders_anew_and_drops_the_old_file(world, client_for, renders):
    october(world)
    month = parse(ReportKind.MONTHLY, "2026-10")
    first = generate_report(world.community_a, month)
    _download(client_for("staff"), first)
    assert renders.call_count == 1
    second = generate_report(world.community_a, month)
    assert not ReportFile.objects.exists()
    text = pdf_plain_text(_download(client_for("staff"), second))
    assert renders.call_count == 2
    assert "第2版" in text
    assert ReportFile.objects.get().report == second


def test_a_recorded_conclusion_renders_anew(world, client_for, renders):
    october(world)
    report = generate_report(world.community_a, parse(ReportKind.MONTHLY, "2026-10"))
    _download(client_for("staff"), report)
    record_conclusion(report, acting_user=world.people.staff, text="甲1号楼水管老化，列入维修计划")
    text = pdf_plain_text(_download(client_for("staff"), report))
    assert renders.call_count == 2
    assert "甲1号楼水管老化，列入维修计划" in text
    _download(client_for("staff"), report)
    assert renders.call_count == 2
    assert ReportFile.objects.count() == 1


@pytest.mark.parametrize("persona", ["resident", "other_staff", "outsider"])
def test_no_access_is_404_and_nothing_rendered(world, client_for, renders, persona):
    october(world)
    report = generate_report(world.community_a, parse(ReportKind.MONTHLY, "2026-10"))
    assert client_for(persona).get(f"/reports/{report.pk}/pdf/").status_code == 404
    assert renders.call_count == 0
    assert not ReportFile.objects.exists()
    assert not AuditEntry.objects.filter(action="report.downloaded").exists()
