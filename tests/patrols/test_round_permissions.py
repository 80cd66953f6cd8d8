"""Who sees a round's page and which plans reach the compliance calendar — hand-written."""

import pytest

from gridgov.patrols import actions
from gridgov.patrols.models import PatrolPlan, Round
from tests.patrols.helpers import make_plan

pytestmark = pytest.mark.django_db

# worker_a walks 第一网格 (河西社区). Supervisors by area: community staff of 河西, the street's
# dispatcher and leader. Nobody else: other workers, the other community, departments,
# mediation, residents, the administrators (no area data for security/audit; the system
# administrator configures plans in the admin, not rounds).
SEES_ROUND = {
    "worker_a": True,
    "staff": True,
    "dispatcher": True,
    "leader": True,
    "worker_b": False,
    "other_staff": False,
    "handler": False,
    "mediator": False,
    "judicial": False,
    "resident": False,
    "sysadmin": False,
    "secadmin": False,
    "auditadmin": False,
    "outsider": False,
}


@pytest.mark.parametrize("persona", sorted(SEES_ROUND))
def test_round_visibility(world, client_for, persona):
    round_ = actions.start_round(plan=make_plan(world), acting_user=world.people.worker_a)
    user = getattr(world.people, persona)
    assert Round.objects.visible_to(user).filter(pk=round_.pk).exists() is SEES_ROUND[persona]
    assert PatrolPlan.objects.visible_to(user).exists() is SEES_ROUND[persona]
    page = client_for(persona).get(f"/patrols/rounds/{round_.pk}/")
    assert page.status_code == (200 if SEES_ROUND[persona] else 404)
    # Only the worker on the round gets the walking page (its script and forms).
    assert ("patrol.js" in page.content.decode()) is (persona == "worker_a")
