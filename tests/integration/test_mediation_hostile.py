"""What an attacker (or a clumsy double tap) tries on mediation pages (m3): each gets a clear
localized error, a 4xx and never a 500, and nothing changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gridgov.audit.models import AuditEntry
from gridgov.mediation.models import MediationAgreement, MediationCase
from tests.mediation_helpers import accepted, add_personas, agreed, mediating

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def personas(world):
    add_personas(world)


def _agreement_post(**extra):
    today = timezone.localdate()
    data = {
        "main_facts": "5楼卫生间防水层老化导致漏水。",
        "points_in_dispute": "维修费用和赔偿金额。",
        "responsibilities": "5楼住户承担主要责任。",
        "terms": "5楼住户赔偿4楼住户2000元并修复防水层。",
        "performance_method": "现金一次性支付。",
        "signed_on": today.isoformat(),
        "performance_due": (today + dt.timedelta(days=10)).isoformat(),
    }
    data.update(extra)
    return data


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_another_communitys_mediator_gets_404_and_changes_nothing(world, client_for):
    mediation = accepted(world)
    client = client_for("mediator_b")
    assert client.get(f"/mediation/{mediation.pk}/").status_code == 404
    response = client.post(f"/mediation/{mediation.pk}/fail/", {"reason": "x"})
    assert response.status_code == 404
    party = mediation.parties.first()
    response = client.post(
        f"/mediation/{mediation.pk}/parties/{party.pk}/unmask/", {"reason": "查"}
    )
    assert response.status_code == 404
    assert MediationCase.objects.get(pk=mediation.pk).status == "accepted"


def test_a_number_that_does_not_exist_is_404(client_for):
    assert client_for("mediator").get("/mediation/999999/").status_code == 404
    assert client_for("mediator").post("/mediation/999999/accept/").status_code == 404


def test_unmask_without_a_reason_is_refused_in_chinese(world, client_for):
    mediation = accepted(world)
    party = mediation.parties.first()
    before = AuditEntry.objects.filter(action="mediation.party_unmask", result="ok").count()
    response = client_for("mediator").post(
        f"/mediation/{mediation.pk}/parties/{party.pk}/unmask/", {"reason": "   "}
    )
    assert response.status_code == 403
    assert "请填写查看完整信息的理由。" in _messages(response)
    assert 'data-testid="party-full"' not in response.content.decode()
    after = AuditEntry.objects.filter(action="mediation.party_unmask", result="ok").count()
    assert after == before


def test_an_oversized_unmask_reason_is_refused(world, client_for):
    mediation = accepted(world)
    party = mediation.parties.first()
    response = client_for("mediator").post(
        f"/mediation/{mediation.pk}/parties/{party.pk}/unmask/", {"reason": "查" * 5000}
    )
    assert response.status_code == 400
    assert "不超过 200 字符" in _messages(response)  # the limit, in Chinese
    assert 'data-testid="party-full"' not in response.content.decode()
    assert not AuditEntry.objects.filter(action="mediation.party_unmask", result="ok").exists()


def test_double_posting_an_agreement_records_one(world, client_for):
    mediation = mediating(world)
    client = client_for("mediator")
    url = f"/mediation/{mediation.pk}/agree_written/"
    first = client.post(url, _agreement_post())
    assert first.status_code == 302
    second = client.post(url, _agreement_post())
    assert second.status_code == 409
    assert "达成协议" in _messages(second)  # the state it is in, in words
    assert MediationAgreement.objects.filter(mediation=mediation).count() == 1


def test_a_move_in_the_wrong_state_is_refused(world, client_for):
    mediation = agreed(world)
    response = client_for("mediator").post(f"/mediation/{mediation.pk}/accept/")
    assert response.status_code == 409
    assert "不能" in _messages(response)
    assert MediationCase.objects.get(pk=mediation.pk).status == "agreed"


def test_an_unknown_move_is_404(world, client_for):
    mediation = accepted(world)
    response = client_for("mediator").post(f"/mediation/{mediation.pk}/delete_everything/")
    assert response.status_code == 404


def test_oversized_agreement_text_is_refused(world, client_for):
    mediation = mediating(world)
    response = client_for("mediator").post(
        f"/mediation/{mediation.pk}/agree_written/", _agreement_post(terms="赔" * 6000)
    )
    assert response.status_code == 400
    assert "5000" in response.content.decode()
    assert not MediationAgreement.objects.filter(mediation=mediation).exists()
    assert MediationCase.objects.get(pk=mediation.pk).status == "mediating"


def test_garbage_dates_are_refused(world, client_for):
    mediation = mediating(world)
    response = client_for("mediator").post(
        f"/mediation/{mediation.pk}/agree_written/", _agreement_post(signed_on="昨天")
    )
    assert response.status_code == 400
    assert not MediationAgreement.objects.filter(mediation=mediation).exists()


def test_an_oversized_registration_is_refused(world, client_for):
    response = client_for("mediator").post(
        "/mediation/new/",
        {
            "area": world.community_a.pk,
            "source": "written",
            "dispute_type": "neighbour",
            "title": "漏" * 5000,
            "summary": "摘要",
            "applicant_name": "王" * 500,
        },
    )
    assert response.status_code == 400
    assert not MediationCase.objects.exists()


def test_refusals_name_mediation_moves_in_mediation_words(world, client_for):
    mediation = agreed(world)
    client = client_for("mediator")
    for action in ("escalate", "recuse", "accept", "not_accept", "agree_oral", "extend", "fail"):
        response = client.post(f"/mediation/{mediation.pk}/{action}/", {"reason": "理由"})
        assert response.status_code == 409, action
        text = _messages(response)
        # The state in words and that the move cannot be made now, not which fields it needs.
        assert "该调解案件当前为“已达成协议，回访中”" in text, action
        assert "该字段是必填项" not in text, action
        assert "上报街道" not in text and "未销号" not in text, action
    escalate = client.post(f"/mediation/{mediation.pk}/escalate/", {"reason": "理由"})
    assert "现在不能升级调解" in _messages(escalate)
    assert MediationCase.objects.get(pk=mediation.pk).status == "agreed"
