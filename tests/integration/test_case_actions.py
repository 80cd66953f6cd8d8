import datetime as dt

import pytest
from django.utils import timezone

from gridgov.audit.models import AuditEntry
from gridgov.cases import actions
from gridgov.cases.actions import IllegalMove, NotAllowed
from gridgov.cases.choices import EventKind, Satisfaction, SlaLevel, Status, Step, Supervision
from gridgov.cases.models import Case, CaseEvent
from gridgov.inbox.models import Notification
from tests.cases_helpers import drive, make_case

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def kinds(case):
    return list(case.events.values_list("kind", flat=True))


def test_the_whole_street_loop(world, django_capture_on_commit_callbacks):
    p = world.people
    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(world)
    assert case.number.startswith("222405001001-") and case.number.endswith("-0001")
    assert (case.status, case.grid, case.area, case.owner) == (
        Status.SUBMITTED,
        world.grid_a,
        world.grid_a,
        world.office_a,
    )
    assert case.step == Step.ACCEPT and case.step_due_at > case.created_at
    assert Notification.objects.filter(user=p.staff).count() == 1

    case = actions.accept_case(case, acting_user=p.staff)
    case = actions.escalate_case(case, acting_user=p.staff)
    assert case.owner == world.street_office and case.status == Status.ESCALATED
    case = actions.dispatch_case(
        case, acting_user=p.dispatcher, department=world.water, note="请尽快处理"
    )
    assert (case.owner, case.department, case.step) == (world.water, world.water, Step.CLAIM)
    case = actions.claim_case(case, acting_user=p.handler)
    assert case.status == Status.IN_PROGRESS and case.handle_due_at is not None
    case = actions.add_progress_note(case, acting_user=p.handler, note="已到现场")
    case = actions.resolve_case(case, acting_user=p.handler, result="已更换破裂水管")
    assert case.owner == world.office_a and case.step == ""
    case = actions.verify_case(case, acting_user=p.worker_a, passed=True, note="现场核实")
    assert case.status == Status.AWAITING_FEEDBACK
    case = actions.rate_case(
        case,
        acting_user=p.resident,
        solved=True,
        satisfaction=Satisfaction.SATISFIED,
        comment="谢谢",
    )
    assert (case.status, case.solved, case.satisfaction) == (Status.CLOSED, True, 4)
    assert kinds(case) == [
        EventKind.CREATED,
        EventKind.ACCEPTED,
        EventKind.ESCALATED,
        EventKind.DISPATCHED,
        EventKind.CLAIMED,
        EventKind.PROGRESS_NOTE,
        EventKind.RESOLVED,
        EventKind.VERIFIED,
        EventKind.RATED,
    ]
    rated = case.events.get(kind=EventKind.RATED)
    assert (rated.actor, rated.actor_role, rated.data["by_proxy"]) == (
        p.resident,
        "resident",
        False,
    )
    dispatched = case.events.get(kind=EventKind.DISPATCHED)
    assert (dispatched.actor_org, dispatched.from_status, dispatched.to_status) == (
        world.street_office,
        Status.ESCALATED,
        Status.DISPATCHED,
    )


def test_small_matters_stay_in_the_community(world):
    p = world.people
    case = actions.accept_case(make_case(world), acting_user=p.staff)
    case = actions.handle_locally(case, acting_user=p.staff)
    assert case.handling_org == world.office_a and case.step == Step.HANDLE
    with pytest.raises(NotAllowed):
        actions.resolve_case(case, acting_user=p.handler, result="x")
    case = actions.resolve_case(case, acting_user=p.worker_a, result="已清理")
    case = actions.verify_case(case, acting_user=p.staff, passed=True)
    case = actions.close_case(case, acting_user=p.staff)
    assert case.status == Status.CLOSED and case.satisfaction is None
    assert case.events.last().data == {"evaluated": False}


def test_grid_worker_handles_on_spot_only_with_a_result_photo(world, photo):
    p = world.people
    case = make_case(world, by=p.worker_a, reporter_user=None)
    with pytest.raises(IllegalMove, match="result photo is required"):
        actions.handle_on_spot(case, acting_user=p.worker_a, result="已清理")
    case = actions.handle_on_spot(case, acting_user=p.worker_a, result="已清理", photos=[photo()])
    assert case.status == Status.AWAITING_FEEDBACK
    # The event is a resolution like any other; the audit log says it was handled on the spot.
    assert case.events.last().kind == EventKind.RESOLVED
    audited = AuditEntry.objects.filter(object_type="cases.case", object_id=str(case.pk))
    assert list(audited.order_by("pk").values_list("action", flat=True)) == [
        "case.created",
        "case.resolved_on_spot",
    ]
    assert case.attachments.get().kind == "result_photo"
    with pytest.raises(NotAllowed):
        actions.handle_on_spot(
            make_case(world), acting_user=p.worker_b, result="x", photos=[photo()]
        )


def test_return_redispatch_and_forced_back(world):
    p = world.people
    case = drive(world, make_case(world), Status.IN_PROGRESS)
    with pytest.raises(IllegalMove, match="basis"):
        actions.return_case(case, acting_user=p.handler, reason="非本部门", basis="")
    case = actions.return_case(case, acting_user=p.handler, reason="非本部门", basis="职责清单")
    assert case.status == Status.RETURN_REQUESTED and case.owner == world.street_office
    case = actions.rule_on_return(
        case, acting_user=p.dispatcher, decision="redispatch", department=world.urban
    )
    assert (case.status, case.department, case.departments_tried) == (
        Status.DISPATCHED,
        world.urban,
        [world.water.pk, world.urban.pk],
    )
    case = actions.claim_case(case, acting_user=p.handler_urban)
    due = case.handle_due_at
    case = actions.return_case(case, acting_user=p.handler_urban, reason="x", basis="y")
    case = actions.rule_on_return(case, acting_user=p.dispatcher, decision="force")
    assert (case.status, case.owner, case.handle_due_at, case.step_due_at) == (
        Status.IN_PROGRESS,
        world.urban,
        due,
        due,
    )


def test_three_units_make_a_problem_case(world):
    from tests.factories import OrganisationFactory

    third = OrganisationFactory(code="LJ-ZJ", kind="housing", area=world.city)
    p = world.people
    case = drive(world, make_case(world), Status.DISPATCHED)
    for department in (world.urban, third):
        case = actions.return_case(
            case, acting_user=_handler_of(world, case), reason="r", basis="b"
        )
        case = actions.rule_on_return(
            case, acting_user=p.dispatcher, decision="redispatch", department=department
        )
    assert case.is_problem is True
    assert case.events.filter(kind=EventKind.RETURN_REDISPATCHED).last().data["problem"] is True


def _handler_of(world, case):
    from tests.factories import MembershipFactory, UserFactory

    if case.department == world.water:
        return world.people.handler
    if case.department == world.urban:
        return world.people.handler_urban
    user = UserFactory()
    MembershipFactory(user=user, role="department_handler", organisation=case.department)
    return user


def test_three_reworks_make_a_problem_case(world):
    p = world.people
    case = drive(world, make_case(world), Status.RESOLVED)
    for n in range(1, 4):
        case = actions.verify_case(case, acting_user=p.worker_a, passed=False, note="仍在漏水")
        assert case.rework_count == n and case.owner == world.water
        if n < 3:
            case = actions.resolve_case(case, acting_user=p.handler, result="再次维修")
    assert case.is_problem is True


def test_extension_asked_before_the_deadline_and_granted(world, django_capture_on_commit_callbacks):
    p = world.people
    case = drive(world, make_case(world), Status.IN_PROGRESS)
    until = case.step_due_at + dt.timedelta(days=5)
    with pytest.raises(IllegalMove, match="later than the current"):
        actions.request_extension(
            case, acting_user=p.handler, until=case.step_due_at, reason="需采购配件"
        )
    with django_capture_on_commit_callbacks(execute=True):
        case = actions.request_extension(
            case, acting_user=p.handler, until=until, reason="需采购配件"
        )
    with pytest.raises(IllegalMove, match="already asked for"):  # one request at a time
        actions.request_extension(case, acting_user=p.handler, until=until, reason="again")
    # The street's dispatcher is told of the request, and the department of the decision.
    asked = Notification.objects.filter(user=p.dispatcher, message__contains="extension")
    assert [n.message for n in asked] == [f"Case {case.number}: an extension is asked for."]
    with django_capture_on_commit_callbacks(execute=True):
        case = actions.grant_extension(case, acting_user=p.dispatcher)
    assert case.step_due_at == until == case.handle_due_at
    assert case.extension_requested_until is None
    told = Notification.objects.filter(user=p.handler, message__contains="extension")
    assert [n.message for n in told] == [f"Case {case.number}: the extension was granted."]


def test_a_refused_extension_is_told_to_the_department(world, django_capture_on_commit_callbacks):
    p = world.people
    case = drive(world, make_case(world), Status.IN_PROGRESS)
    until = case.step_due_at + dt.timedelta(days=5)
    case = actions.request_extension(case, acting_user=p.handler, until=until, reason="需采购配件")
    with django_capture_on_commit_callbacks(execute=True):
        actions.refuse_extension(case, acting_user=p.dispatcher, reason="可先临时处置")
    told = Notification.objects.filter(user=p.handler, message__contains="extension")
    assert [n.message for n in told] == [f"Case {case.number}: the extension was refused."]


def test_extension_after_the_deadline_is_refused(world):
    case = drive(world, make_case(world), Status.IN_PROGRESS)
    Case.objects.filter(pk=case.pk).update(step_due_at=timezone.now() - dt.timedelta(hours=1))
    with pytest.raises(IllegalMove, match="deadline has passed"):
        actions.request_extension(
            case,
            acting_user=world.people.handler,
            until=timezone.now() + dt.timedelta(days=3),
            reason="晚了",
        )
    assert not case.events.filter(kind=EventKind.EXTENSION_REQUESTED).exists()


def test_staff_records_a_rating_from_a_follow_up_call_and_resident_reopens(world):
    p = world.people
    case = drive(world, make_case(world), Status.AWAITING_FEEDBACK)
    case = actions.rate_case(
        case,
        acting_user=p.staff,
        solved=False,
        satisfaction=Satisfaction.DISSATISFIED,
        comment="电话回访：仍漏水",
    )
    assert case.events.get(kind=EventKind.RATED).data["by_proxy"] is True
    case = actions.reopen_case(case, acting_user=p.resident, reason="还在漏水")
    assert (case.status, case.rework_count, case.owner) == (Status.IN_PROGRESS, 1, world.water)


def test_a_satisfied_case_cannot_be_reopened(world):
    case = drive(world, make_case(world), Status.CLOSED)
    with pytest.raises(IllegalMove, match="not solved” or dissatisfied"):
        actions.reopen_case(case, acting_user=world.people.resident, reason="x")


def test_rating_someone_elses_case_is_refused(world):
    from tests.factories import MembershipFactory, UserFactory

    stranger = UserFactory()
    MembershipFactory(user=stranger, role="resident", area=world.community_a)
    case = drive(world, make_case(world), Status.AWAITING_FEEDBACK)
    with pytest.raises(NotAllowed):
        actions.rate_case(case, acting_user=stranger, solved=True, satisfaction=5)
    assert Case.objects.get(pk=case.pk).status == Status.AWAITING_FEEDBACK


def test_a_double_action_has_one_winner_and_a_clear_message(world):
    case = drive(world, make_case(world), Status.DISPATCHED)
    stale = Case.objects.get(pk=case.pk)
    actions.claim_case(case, acting_user=world.people.handler)
    with pytest.raises(IllegalMove, match="“In progress”: it cannot be claimed now"):
        actions.claim_case(stale, acting_user=world.people.handler)
    assert case.events.filter(kind=EventKind.CLAIMED).count() == 1


def test_merge_follows_the_target(world):
    p = world.people
    target = make_case(world)
    duplicate = make_case(world)
    assert actions.duplicate_candidates(duplicate) == [target]
    with pytest.raises(IllegalMove, match="itself"):
        actions.merge_case(target, acting_user=p.staff, target=target)
    merged = actions.merge_case(duplicate, acting_user=p.staff, target=target)
    assert merged.status == Status.MERGED and merged.merged_into == target


def test_duplicates_within_100_metres(world):
    near = make_case(world, building=None, lat=42.7650, lon=129.4050)
    far = make_case(world, building=None, lat=42.7650, lon=129.4070)  # about 160 m east
    probe = make_case(world, building=None, lat=42.7655, lon=129.4052)
    assert actions.duplicate_candidates(probe) == [near]
    assert far not in actions.duplicate_candidates(probe)


def test_location_outside_every_grid_goes_to_the_community_as_unclear(world):
    case = make_case(world, building=None, lat=10.0, lon=10.0, community=world.community_a)
    assert case.grid is None and case.area == world.community_a
    assert case.events.get().data["location_unclear"] is True
    with pytest.raises(IllegalMove, match="Give a location"):
        make_case(world, building=None, lat=10.0, lon=10.0)


def test_outsiders_cannot_register_or_act(world):
    with pytest.raises(NotAllowed):
        make_case(world, by=world.people.other_staff)
    case = make_case(world)
    for name in ("other_staff", "handler", "worker_b", "outsider", "sysadmin"):
        with pytest.raises(NotAllowed):
            actions.accept_case(case, acting_user=getattr(world.people, name))
    assert Case.objects.get(pk=case.pk).status == Status.SUBMITTED
    assert case.events.count() == 1


def test_idempotency_key_makes_one_case(world):
    first = make_case(world, idempotency_key="abc")
    again = make_case(world, idempotency_key="abc")
    assert first.pk == again.pk and Case.objects.count() == 1


def test_supervision_and_mediation_referral(world):
    p = world.people
    case = drive(world, make_case(world), Status.ACCEPTED)
    case = actions.supervise_case(case, acting_user=p.leader, level=Supervision.RED, note="限期")
    assert case.supervision == Supervision.RED
    case = actions.refer_to_mediation(case, acting_user=p.staff, note="邻里纠纷")
    assert case.mediation_referred_at is not None and case.status == Status.IN_MEDIATION
    with pytest.raises(IllegalMove, match="cannot be referred to mediation now"):
        actions.refer_to_mediation(case, acting_user=p.staff)


def test_sweep_flags_warnings_and_overdue_and_notifies(world, django_capture_on_commit_callbacks):
    case = drive(world, make_case(world), Status.IN_PROGRESS)
    start, due = case.step_started_at, case.step_due_at
    span = due - start
    assert actions.sweep_time_limits(start + span * 0.1) == 0
    assert actions.sweep_time_limits(start + span * 0.7) == 1
    assert Case.objects.get(pk=case.pk).sla_level == SlaLevel.YELLOW
    actions.sweep_time_limits(start + span * 0.9)
    assert Case.objects.get(pk=case.pk).sla_level == SlaLevel.RED
    with django_capture_on_commit_callbacks(execute=True):
        actions.sweep_time_limits(due + dt.timedelta(minutes=1))
    assert Case.objects.get(pk=case.pk).sla_level == SlaLevel.OVERDUE
    changes = [e.data["to"] for e in CaseEvent.objects.filter(kind=EventKind.SLA_CHANGED)]
    assert changes == ["yellow", "red", "overdue"]
    assert Notification.objects.filter(user=world.people.handler, message__contains="overdue")
    audit = AuditEntry.objects.filter(action="case.sla_changed").order_by("seq")
    assert [(a.actor_id, a.actor_name) for a in audit] == [(None, "system")] * 3


def test_unrated_cases_close_as_not_evaluated(world, settings):
    case = drive(world, make_case(world), Status.AWAITING_FEEDBACK)
    later = timezone.now() + dt.timedelta(days=settings.CASE_FEEDBACK_DAYS + 1)
    assert actions.close_unrated(later) == 1
    case.refresh_from_db()
    assert case.status == Status.CLOSED
    assert case.events.last().kind == EventKind.AUTO_CLOSED


def test_periodic_tasks_run_eagerly_without_a_broker(world):
    from gridgov.cases import tasks

    case = drive(world, make_case(world), Status.IN_PROGRESS)
    Case.objects.filter(pk=case.pk).update(
        step_started_at=timezone.now() - dt.timedelta(days=30),
        step_due_at=timezone.now() - dt.timedelta(days=1),
    )
    assert tasks.sweep_time_limits.delay().get() == 1
    assert Case.objects.get(pk=case.pk).sla_level == SlaLevel.OVERDUE
    assert tasks.sweep_time_limits.delay().get() == 0  # safe to run twice


def test_reopen_after_the_window_says_why(world, settings, client_for):
    settings.CASE_REOPEN_DAYS = 15
    case = drive(world, make_case(world), Status.AWAITING_FEEDBACK)
    case = actions.rate_case(
        case,
        acting_user=world.people.resident,
        solved=False,
        satisfaction=Satisfaction.DISSATISFIED,
    )
    Case.objects.filter(pk=case.pk).update(rated_at=timezone.now() - dt.timedelta(days=16))
    with pytest.raises(IllegalMove, match="only within 15 days of its rating"):
        actions.reopen_case(case, acting_user=world.people.resident, reason="还在漏水")
    response = client_for("resident").post(f"/cases/{case.number}/reopen/", {"reason": "还在漏水"})
    assert response.status_code == 409
    assert "15" in response.content.decode() and "action-reopen" not in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Status.CLOSED
