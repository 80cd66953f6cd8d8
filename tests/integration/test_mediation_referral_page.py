"""The community staff who referred a dispute (m3): no access to the mediation case itself (404),
but the referring case's page tells them how mediation ended."""

from __future__ import annotations

import pytest

from gridgov.cases import actions as case_actions
from gridgov.cases.choices import Status
from gridgov.mediation import actions
from gridgov.mediation.models import MediationCase
from tests.cases_helpers import drive, make_case
from tests.mediation_helpers import add_personas, session, written_agreement

pytestmark = pytest.mark.django_db


def test_staff_see_the_outcome_on_the_case_but_not_the_mediation(
    world, client_for, django_capture_on_commit_callbacks
):
    add_personas(world)
    p = world.people
    case = drive(world, make_case(world, title="楼上漏水邻里纠纷"), Status.ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True):
        case_actions.refer_to_mediation(case, acting_user=p.staff, note="邻里纠纷")
    mediation = MediationCase.objects.get(case=case)
    actions.add_party(mediation, acting_user=p.mediator, side="respondent", name="赵小红")
    mediation = actions.accept(mediation, acting_user=p.mediator)
    mediation = session(world, mediation, by=p.worker_a)
    with django_capture_on_commit_callbacks(execute=True):
        written_agreement(world, mediation, terms="赔偿两千元并修复防水层")
    staff = client_for("staff")
    assert staff.get(f"/mediation/{mediation.pk}/").status_code == 404
    assert staff.get(f"/mediation/{mediation.pk}/pdf/case-file/").status_code == 404
    page = staff.get(f"/cases/{case.number}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "赔偿两千元并修复防水层" in body  # the agreed terms, as the case's result
    assert mediation.number in body
    assert "调解结束" in body  # the case event of the concluded mediation
