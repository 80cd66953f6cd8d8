"""The scope module (ADR 0011): the rules that disagreed, now one, and the queryset/Python twins.

- A grid worker registers cases for their whole community and sees what they registered there
  (before: a community-only case by page redirected to a 404, and the page offered no community).
- A special-group record is written only under a need-to-know grant (before: the action trusted
  its caller).
- `visible_to(user, "change")` and the per-object checks (`case_relations`, `can_edit`) agree.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from gridgov.accounts.scope import case_relations
from gridgov.cases.models import Case
from gridgov.registry import actions as registry_actions
from gridgov.registry.choices import SpecialGroup
from gridgov.registry.models import NeedToKnowGrant, Person, SpecialGroupRecord
from gridgov.registry.permissions import can_edit
from tests.cases_helpers import drive, make_case
from tests.registry_helpers import make_person

pytestmark = pytest.mark.django_db

FINDING = {
    "title": "井盖缺失",
    "description": "河西社区活动中心门前井盖缺失。",
    "channel": "grid_worker",
    "urgency": "normal",
}


def test_a_grid_worker_registers_a_community_case_by_page_and_sees_it(world, client_for):
    worker = client_for("worker_a")
    form = worker.get("/cases/new/").content.decode()
    assert "河西社区" in form and "河东社区" not in form  # their community, not the next one

    response = worker.post("/cases/new/", {**FINDING, "community": world.community_a.pk})

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.number}/"
    assert (case.grid, case.community, case.created_by) == (
        None,
        world.community_a,
        world.people.worker_a,
    )
    assert worker.get(f"/cases/{case.number}/").status_code == 200
    # Seeing is not acting: outside their grid they press nothing.
    assert case_relations(world.people.worker_a, case) == {}
    # Another grid's worker did not register it and does not see it.
    assert client_for("worker_b").get(f"/cases/{case.number}/").status_code == 404


def test_the_creator_loses_the_case_with_the_membership(world, client_for):
    worker = world.people.worker_a
    case = make_case(world, by=worker, building=None, community=world.community_a)
    assert client_for("worker_a").get(f"/cases/{case.number}/").status_code == 200

    worker.memberships.update(is_active=False)

    assert client_for("worker_a").get(f"/cases/{case.number}/").status_code == 404


def test_a_special_group_record_needs_a_grant_in_the_action(world):
    person = make_person(world.building_a)
    worker = world.people.worker_a
    with pytest.raises(PermissionDenied):
        registry_actions.set_special_group(
            person,
            SpecialGroup.ELDERLY_ALONE,
            acting_user=worker,
            since=None,
            details={},
            note="独居",
        )
    assert not SpecialGroupRecord.objects.exists()

    NeedToKnowGrant.objects.create(
        user=worker, group=SpecialGroup.ELDERLY_ALONE, area=world.grid_a, reason="关爱走访"
    )
    worker = type(worker).objects.get(pk=worker.pk)  # a fresh request's user
    registry_actions.set_special_group(
        person, SpecialGroup.ELDERLY_ALONE, acting_user=worker, since=None, details={}, note="独居"
    )
    assert SpecialGroupRecord.objects.get().note == "独居"


PERSONAS = (
    "resident",
    "worker_a",
    "worker_b",
    "staff",
    "other_staff",
    "dispatcher",
    "handler",
    "handler_urban",
    "mediator",
    "judicial",
    "leader",
    "sysadmin",
    "secadmin",
    "auditadmin",
    "outsider",
)


def test_the_change_queryset_and_the_case_relation_agree(world):
    cases = [
        make_case(world),
        make_case(world, building=world.building_b),
        make_case(world, by=world.people.other_staff, building=world.building_c),
        make_case(world, building=None, community=world.community_a),
        drive(world, make_case(world), "dispatched"),
    ]
    for name in PERSONAS:
        user = getattr(world.people, name)
        changeable = set(Case.objects.visible_to(user, "change").values_list("pk", flat=True))
        related = {case.pk for case in cases if case_relations(user, case)}
        assert changeable == related, name
        # Whatever a user may change, they may see.
        visible = set(Case.objects.visible_to(user).values_list("pk", flat=True))
        assert changeable <= visible, name


def test_the_change_queryset_and_can_edit_agree_for_people(world):
    people = [make_person(world.building_a), make_person(world.building_c, name="李小红")]
    for name in PERSONAS:
        user = getattr(world.people, name)
        changeable = set(Person.objects.visible_to(user, "change").values_list("pk", flat=True))
        assert changeable == {p.pk for p in people if can_edit(user, p)}, name


def test_an_unknown_action_is_a_programming_error(world):
    with pytest.raises(ValueError):
        Case.objects.visible_to(world.people.staff, "delete")


def test_only_the_audit_administrator_reads_the_audit_log_through_visible_to(world):
    from gridgov.audit.log import record
    from gridgov.audit.models import AuditEntry

    record("test.thing", actor=world.people.staff)
    readers = {
        name
        for name in PERSONAS
        if AuditEntry.objects.visible_to(getattr(world.people, name)).exists()
    }
    assert readers == {"auditadmin"}


def test_a_registered_case_in_the_next_grid_stays_out_of_the_workers_queues(world):
    from gridgov.cases.queues import queue_cases

    worker = world.people.worker_a
    theirs = drive(world, make_case(world, by=worker), "resolved")
    next_grid = drive(world, make_case(world, by=worker, building=world.building_b), "resolved")

    for key in ("to_verify", "my_grid", "all"):
        _queue, cases = queue_cases(worker, key)
        listed = set(cases.values_list("pk", flat=True))
        # "All" is what they see; the working queues are what they act on.
        expected = {theirs.pk, next_grid.pk} if key == "all" else {theirs.pk}
        assert listed == expected, key


def test_the_create_paths_and_the_create_membership_agree(world):
    from gridgov.accounts.scope import case_create_membership, case_create_paths, covers

    for name in PERSONAS:
        user = getattr(world.people, name)
        for community in (world.community_a, world.community_b):
            by_membership = case_create_membership(user, community) is not None
            by_paths = covers(case_create_paths(user), community.path)
            assert by_membership == (by_paths or name == "resident"), (name, community.name)


def test_a_grid_worker_names_a_building_of_the_next_grid_in_their_community(world):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(world.people.worker_a)
    finding = {"title": "楼道堆物", "description": "楼道堆放杂物。", "channel": "grid_worker"}

    next_grid = api.post("/api/v1/cases/", {**finding, "building": "B-B1"}, format="json")
    other_community = api.post("/api/v1/cases/", {**finding, "building": "B-C1"}, format="json")

    assert next_grid.status_code == 201, next_grid.json()
    assert next_grid.json()["grid"] == "222405001001002"
    assert other_community.status_code == 400
    assert list(other_community.json()) == ["building"]
    assert Case.objects.count() == 1


def test_a_leader_who_is_also_a_grid_worker_registers_people_only_in_their_grid(world):
    from gridgov.accounts.choices import Role
    from gridgov.accounts.models import User
    from gridgov.registry.inputs import Places
    from tests.factories import MembershipFactory
    from tests.registry_helpers import house_in

    MembershipFactory(
        user=world.people.worker_a, role=Role.LEADER, organisation=world.street_office
    )
    user = User.objects.get(pk=world.people.worker_a.pk)
    # They see the street's buildings as a leader, but place people only in their own grid.
    assert set(Places.for_user(user).buildings) == {"B-A1"}
    values = {"name": "赵六", "sex": "male", "house": house_in(world.building_c)}
    with pytest.raises(PermissionDenied):
        registry_actions.register_person(values, acting_user=user)
    assert not Person.objects.exists()
