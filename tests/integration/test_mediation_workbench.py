"""The mediation workbenches: each role's queues hold exactly the cases waiting for it, the nav
shows the number, the page's queries are bounded, 404 for those without a workbench."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gridgov.mediation import actions
from gridgov.mediation.models import MediationAgreement, MediationCase, MediationFollowUp
from gridgov.mediation.workbench import counts
from tests.mediation_docs_helpers import leak_through_level_2, register_leak, statements

pytestmark = pytest.mark.django_db

PARTIES = [
    {"side": "applicant", "name": "赵丽", "phone": "13700001111"},
    {"side": "respondent", "name": "河西物业服务有限公司", "phone": "04335551234"},
]


def _community_case(world, title: str) -> MediationCase:
    return actions.register_mediation(
        acting_user=world.people.mediator,
        area=world.community_a,
        source="written",
        dispute_type="property_management",
        title=title,
        summary="物业费与电梯维修费用分摊争议。",
        parties=PARTIES,
    )


def _session(mediation: MediationCase, user) -> MediationCase:
    return actions.record_session(
        mediation,
        acting_user=user,
        held_at=timezone.now() - dt.timedelta(hours=1),
        place="河西社区人民调解室",
        attendees="双方当事人、调解员",
        rights_explained=True,
        rights_text="standard",
        outcome="双方各自陈述，约定下次再谈。",
        statements=statements(mediation, "要求减免物业费。", "电梯维修已完成。"),
    )


@pytest.fixture
def queues(world):
    """One case in each queue (see each line)."""
    people = world.people
    today = timezone.localdate()
    a = register_leak(world)  # level 1, registered: worker_a's new
    b = _community_case(world, "B 新登记")  # level 2, registered: the mediator's new
    c = actions.accept(_community_case(world, "C 已受理"), acting_user=people.mediator)
    d = _session(
        actions.accept(_community_case(world, "D 调解中"), acting_user=people.mediator),
        people.mediator,
    )
    e = leak_through_level_2(world, confirm=False).mediation  # agreed at level 2
    # Signed 25 days ago: the window closes in 5 days; the follow-up fell due yesterday.
    MediationAgreement.objects.filter(mediation=e).update(signed_on=today - dt.timedelta(days=25))
    MediationFollowUp.objects.filter(mediation=e).update(due_on=today - dt.timedelta(days=1))
    f = _session(
        actions.accept(_community_case(world, "F 司法所"), acting_user=people.mediator),
        people.mediator,
    )
    f = actions.escalate(
        f, acting_user=people.mediator, reason="涉及法律适用问题", mediator=people.judicial
    )
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f}


def test_mediators_queues(world, queues):
    assert counts(world.people.mediator) == {
        "new": 1,  # b
        "in_session": 1,  # c
        "awaiting_agreement": 2,  # d, f (level 3 is still the committee's case)
        "follow_ups": 1,  # e
        "confirmation": 1,  # e
        "total": 5,  # b, c, d, e, f — never a, the grid worker's level-1 case
    }


def test_judicial_officers_queues(world, queues):
    assert counts(world.people.judicial) == {
        "new": 0,
        "in_session": 0,
        "awaiting_agreement": 1,  # f, at level 3
        "follow_ups": 0,  # e's follow-up is the mediator's work
        "confirmation": 1,  # e: the judicial office helps with confirmation
        "total": 2,
    }


def test_grid_workers_level_1_list(world, queues):
    assert counts(world.people.worker_a) == {
        "new": 1,  # a
        "in_session": 0,
        "awaiting_agreement": 0,
        "follow_ups": 0,
        "confirmation": 0,
        "total": 1,
    }
    assert counts(world.people.worker_b)["total"] == 0


def test_confirmed_or_applied_agreements_leave_the_confirmation_queue(world, queues):
    e = queues["e"]
    actions.apply_confirmation(
        e,
        acting_user=world.people.mediator,
        applied_on=timezone.localdate(),
        court="龙井市人民法院",
    )
    assert counts(world.people.mediator)["confirmation"] == 0


def test_workbench_page_lists_the_queue_and_the_nav_counts(
    client_for, queues, django_assert_max_num_queries
):
    client = client_for("mediator")
    client.get("/mediation/workbench/")  # the session's first request
    with django_assert_max_num_queries(9):
        response = client.get("/mediation/workbench/?queue=awaiting_agreement")
    assert response.status_code == 200
    html = response.content.decode()
    assert "D 调解中" in html and "F 司法所" in html
    assert "C 已受理" not in html and "B 新登记" not in html
    assert 'data-testid="mediation-nav-count">5<' in html
    response = client.get("/mediation/workbench/?queue=confirmation")
    html = response.content.decode()
    deadline = queues["e"].agreements.get().signed_on + dt.timedelta(days=30)
    assert deadline.isoformat() in html


def test_workbench_queries_do_not_grow_with_the_cases(
    world, client_for, queues, django_assert_max_num_queries
):
    for n in range(6):
        _session(
            actions.accept(_community_case(world, f"更多 {n}"), acting_user=world.people.mediator),
            world.people.mediator,
        )
    client = client_for("mediator")
    client.get("/mediation/workbench/")  # the session's first request
    with django_assert_max_num_queries(9):
        response = client.get("/mediation/workbench/?queue=awaiting_agreement")
    assert response.content.decode().count('class="card hazard-card"') == 8


@pytest.mark.parametrize("who", ["outsider", "staff", "handler", "leader"])
def test_no_workbench_without_a_mediation_role(client_for, world, who):
    assert client_for(who).get("/mediation/workbench/").status_code == 404


def test_grid_workers_nav_has_no_count_query(client_for, queues):
    """Only the committee and the judicial office get the nav count."""
    html = client_for("worker_a").get("/").content.decode()
    assert 'href="/mediation/workbench/"' in html
    assert "mediation-nav-count" not in html
