"""The mediation documents (ADR 0017): the agreement with the contents of 人民调解法 Art. 29,
the transcript, the case file in order; downloads only for those with access, each audited."""

from __future__ import annotations

import pytest

from gridgov.audit.models import AuditEntry
from tests.mediation_docs_helpers import APPLICANT_ID, RESPONDENT_ID, leak_through_level_2
from tests.pdf_helpers import pdf_plain_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def leak(world):
    return leak_through_level_2(world)


def _get(client, url):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_agreement_pdf_has_the_contents_of_article_29(client_for, leak):
    mediation, agreement = leak.mediation, leak.agreement
    url = f"/mediation/{mediation.pk}/pdf/agreement/{agreement.pk}/"
    response, body = _get(client_for("mediator"), url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    text = pdf_plain_text(body)
    # The parties' basic information, with full ID numbers (the parties sign this document).
    for expected in (
        "王建国",
        "李秀英",
        APPLICANT_ID,
        RESPONDENT_ID,
        "甲1号楼402室",
        "甲1号楼502室",
    ):
        assert expected in text
    assert "138****1234" in text and "13804331234" not in text
    # Main facts, points in dispute, each party's responsibility.
    assert "502室卫生间防水层老化，致402室天花板渗水霉变。" in text
    assert "漏水责任及402室天花板修复费用的承担。" in text
    assert "李秀英对漏水负主要责任；王建国对损失扩大负次要责任。" in text
    # What was agreed, how and by when.
    assert "李秀英修复502室卫生间防水层，并赔偿王建国修复费用人民币叁仟元。" in text
    assert "防水层由李秀英委托施工；赔偿款以银行转账方式一次付清。" in text
    assert (agreement.performance_due.isoformat()) in text
    # Signature and fingerprint places, the mediator, the seal, the three copies.
    assert text.count("（签名）") == 3  # two parties and the mediator
    assert text.count("捺印") == 2
    assert "人民调解员（签名）" in text
    assert "河西调委会（盖章）" in text
    assert "本协议书一式三份，双方当事人、人民调解委员会各执一份" in text
    assert "调解协议书" in text


def test_transcript_pdf(client_for, leak):
    mediation = leak.mediation
    session = mediation.sessions.order_by("held_at").last()
    url = f"/mediation/{mediation.pk}/pdf/transcript/{session.pk}/"
    response, body = _get(client_for("mediator"), url)
    assert response.status_code == 200
    text = pdf_plain_text(body)
    for expected in (
        "调解笔录",
        "河西社区人民调解室",  # place
        "王建国、李秀英、人民调解员",  # attendees
        "人民调解当事人权利义务告知书",  # the notice explained
        "同意降低赔偿数额。",  # the applicant's statement
        "同意修复防水层并赔偿。",  # the respondent's statement
        "402室天花板照片6张；维修报价单1份。",  # evidence
        "经释法说理，双方同意按维修报价分担费用。",  # outcome
        "记录人（签名）",
    ):
        assert expected in text, expected
    assert APPLICANT_ID not in text and RESPONDENT_ID not in text


def test_case_file_has_every_document_in_order_with_ids_masked(client_for, leak):
    mediation = leak.mediation
    response, body = _get(client_for("judicial"), f"/mediation/{mediation.pk}/pdf/case-file/")
    assert response.status_code == 200
    text = pdf_plain_text(body)
    assert "人民调解卷宗" in text
    assert "目录" in text
    headings = [
        "登记表",
        "受理记录",
        "调解员、升级与期限",
        "赔偿金额分歧大，需专职调解员介入",  # the escalation and its reason
        "双方对赔偿金额分歧较大，未能达成一致。",  # the level-1 transcript
        "经释法说理，双方同意按维修报价分担费用。",  # the level-2 transcript
        "本协议书一式三份",  # the agreement
        "防水已修复，款已付",  # the follow-up
        "龙井市人民法院",  # the judicial confirmation
        "案件经过",
    ]
    # After the contents page, each appears, in this order.
    body_text = text[text.index("案件经过") + len("案件经过") :]
    positions = [body_text.find(h) for h in headings]
    assert -1 not in positions, dict(zip(headings, positions, strict=True))
    assert positions == sorted(positions)
    assert mediation.number in text
    assert APPLICANT_ID not in text and RESPONDENT_ID not in text
    assert "2****************4" in text  # the applicant's ID, first 1 + last 1


@pytest.mark.parametrize("who", ["anonymous", "outsider", "staff", "worker_b", "handler", "leader"])
def test_documents_are_not_found_for_those_without_access(client_for, leak, who):
    mediation = leak.mediation
    session = mediation.sessions.first()
    before = AuditEntry.objects.filter(action="mediation.document_download").count()
    client = client_for(who)
    for url in (
        f"/mediation/{mediation.pk}/pdf/agreement/{leak.agreement.pk}/",
        f"/mediation/{mediation.pk}/pdf/transcript/{session.pk}/",
        f"/mediation/{mediation.pk}/pdf/case-file/",
    ):
        response = client.get(url)
        expected = 302 if who == "anonymous" else 404
        assert response.status_code == expected, (who, url)
    assert AuditEntry.objects.filter(action="mediation.document_download").count() == before


def test_agreement_needs_a_role_on_the_case_and_every_download_is_audited(client_for, leak):
    mediation = leak.mediation
    # worker_a mediated at level 1: sees the case, may no longer act on it.
    client = client_for("worker_a")
    url = f"/mediation/{mediation.pk}/pdf/agreement/{leak.agreement.pk}/"
    assert client.get(url).status_code == 404
    session = mediation.sessions.order_by("held_at").first()
    response = client.get(f"/mediation/{mediation.pk}/pdf/transcript/{session.pk}/")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action="mediation.document_download")
    assert entry.actor_name == "worker_a"
    assert entry.detail == {"document": "transcript", "id": session.pk, "full_ids": False}
    # Someone else's session id under this case: not found.
    assert client.get(f"/mediation/{mediation.pk}/pdf/transcript/999999/").status_code == 404
