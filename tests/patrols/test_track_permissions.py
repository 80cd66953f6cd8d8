"""Who may read a round's track (PIPL 行踪轨迹) — hand-written expectations; each read audited."""

import pytest

from gridgov.audit.models import AuditEntry
from gridgov.lifecycle import NotAllowed
from gridgov.patrols import actions
from gridgov.patrols.tracks import read_track
from tests.patrols.helpers import make_plan

pytestmark = pytest.mark.django_db

# The worker, leaders over the grid, audit administrators. Not: community staff (they see
# compliance, not whereabouts), other workers, dispatchers, departments, everyone else.
EXPECTED = {
    "worker_a": True,
    "leader": True,
    "auditadmin": True,
    "worker_b": False,
    "staff": False,
    "other_staff": False,
    "dispatcher": False,
    "handler": False,
    "mediator": False,
    "judicial": False,
    "resident": False,
    "sysadmin": False,
    "secadmin": False,
    "outsider": False,
}


@pytest.mark.parametrize("persona", sorted(EXPECTED))
def test_track_matrix(world, client_for, persona):
    plan = make_plan(world)
    round_ = actions.start_round(plan=plan, acting_user=world.people.worker_a)
    actions.record_points(
        round_,
        acting_user=world.people.worker_a,
        points=[[42.765, 129.405, 1_780_000_000, 5]],
        idempotency_key="b",
    )
    user = getattr(world.people, persona)
    before = AuditEntry.objects.filter(action="patrol_round.track_viewed").count()
    if EXPECTED[persona]:
        assert read_track(user, round_) == [[42.765, 129.405, 1_780_000_000.0, 5.0]]
        assert AuditEntry.objects.filter(action="patrol_round.track_viewed").count() == before + 1
    else:
        with pytest.raises(NotAllowed):
            read_track(user, round_)
    page = client_for(persona).get(f"/patrols/rounds/{round_.pk}/track.json")
    assert page.status_code == (200 if EXPECTED[persona] else 404)
