"""Mediation cases on the lifecycle kernel: the normal path, the other ends, recusal, risk of
violence, extension with consent, follow-ups, judicial confirmation, and illegal moves refused
(409 on the page, nothing changed). Expected values are written by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gridgov.audit.models import AuditEntry
from gridgov.inbox.models import Notification
from gridgov.lifecycle import IllegalMove, NotAllowed
from gridgov.mediation import actions
from gridgov.mediation.models import (
    JudicialConfirmation,
    MediationCase,
    MediationEvent,
    MediationFollowUp,
    MediatorAssignment,
)
from tests.mediation_helpers import (
    APPLICANT,
    accepted,
    add_personas,
    agreed,
    mediating,
    register,
    session,
    written_agreement,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mworld(world):
    add_personas(world)
    return world


def kinds(mediation) -> list[str]:
    return list(
        MediationEvent.objects.filter(mediation=mediation)
        .order_by("pk")
        .values_list("kind", flat=True)
    )


def test_the_three_level_path_to_a_written_agreement_and_closing(mworld):
    p = mworld.people
    mediation = register(mworld)
    assert mediation.status == "registered"
    assert mediation.level == 1  # registered in a grid: the grid worker mediates first
    assert mediation.number.startswith("TJ")
    mediation = actions.accept(mediation, acting_user=p.worker_a)
    assert mediation.status == "accepted"
    assert mediation.due_on is not None
    # The grid worker who accepts at level 1 mediates.
    current = MediatorAssignment.objects.get(mediation=mediation, ended_at__isnull=True)
    assert (current.mediator, current.level, current.chosen_by) == (p.worker_a, 1, "committee")

    mediation = session(mworld, mediation, by=p.worker_a, rights=False)  # level 1: short record
    assert mediation.status == "mediating"
    mediation = actions.escalate(
        mediation, acting_user=p.worker_a, reason="双方分歧较大", mediator=p.mediator
    )
    assert mediation.level == 2
    ended = MediatorAssignment.objects.get(mediation=mediation, mediator=p.worker_a)
    assert (ended.end, ended.end_reason) == ("escalated", "双方分歧较大")
    current = MediatorAssignment.objects.get(mediation=mediation, ended_at__isnull=True)
    assert (current.mediator, current.level) == (p.mediator, 2)
    # The grid worker no longer acts at level 2 (but still sees the file as a past mediator).
    with pytest.raises(NotAllowed):
        session(mworld, mediation, by=p.worker_a)
    assert MediationCase.objects.visible_to(p.worker_a).filter(pk=mediation.pk).exists()

    # Level 2 is formal: a session without the notice of rights and duties is refused.
    with pytest.raises(IllegalMove, match=r"rights and duties|权利义务"):
        session(mworld, mediation, by=p.mediator, rights=False)
    mediation = session(mworld, mediation, by=p.mediator)
    mediation = written_agreement(mworld, mediation)
    assert mediation.status == "agreed"
    agreement = mediation.agreements.get()
    assert agreement.copies == 3 and agreement.kind == "written"
    follow_up = MediationFollowUp.objects.get(mediation=mediation)
    assert follow_up.due_on == timezone.localdate() + dt.timedelta(days=10)  # the performance date

    mediation = actions.follow_up(mediation, acting_user=p.mediator, result="performed")
    assert mediation.status == "closed" and mediation.closed_at is not None
    assert kinds(mediation) == [
        "registered", "accepted", "session", "escalated", "session", "agreed", "followed_up",
    ]  # fmt: skip
    audited = set(
        AuditEntry.objects.filter(
            object_id=str(mediation.pk), action__startswith="mediation."
        ).values_list("action", flat=True)
    )
    assert audited == {
        "mediation.registered", "mediation.accepted", "mediation.session",
        "mediation.escalated", "mediation.agreed", "mediation.followed_up",
    }  # fmt: skip


def backdate(mediation, days: int):
    """As if accepted `days` ago."""
    MediationCase.objects.filter(pk=mediation.pk).update(
        accepted_at=timezone.now() - dt.timedelta(days=days)
    )
    mediation.refresh_from_db()
    return mediation


def test_an_agreement_without_a_performance_date_is_followed_up_15_days_later(mworld):
    mediation = backdate(mediating(mworld), 5)
    signed = timezone.localdate() - dt.timedelta(days=2)
    actions.agree_oral(
        mediation, acting_user=mworld.people.worker_a, terms="互相道歉", agreed_on=signed
    )
    follow_up = MediationFollowUp.objects.get(mediation=mediation)
    assert follow_up.due_on == signed + dt.timedelta(days=15)
    assert mediation.agreements.get().copies == 0  # an oral agreement has no paper copies


def test_a_party_refusing_ends_it_before_it_starts(mworld):
    mediation = register(mworld)
    mediation = actions.not_accept(
        mediation, acting_user=mworld.people.mediator, reason="被申请人明确拒绝调解"
    )
    assert mediation.status == "not_accepted"
    assert mediation.end_reason == "被申请人明确拒绝调解"
    with pytest.raises(IllegalMove):
        actions.accept(mediation, acting_user=mworld.people.mediator)


def test_failure_records_the_routes_the_parties_were_told(mworld):
    mediation = mediating(mworld)
    mediation = actions.fail(
        mediation,
        acting_user=mworld.people.mediator,
        reason="赔偿金额差距过大",
        routes=["litigation", "arbitration"],
    )
    assert mediation.status == "failed"
    assert mediation.routes_told == ["litigation", "arbitration"]
    with pytest.raises(IllegalMove, match=r"route|途径"):
        actions.fail(mediating(mworld), acting_user=mworld.people.mediator, reason="x", routes=[])


def test_accepting_needs_both_sides(mworld):
    mediation = register(mworld, parties=[APPLICANT])
    with pytest.raises(IllegalMove):
        actions.accept(mediation, acting_user=mworld.people.mediator)
    actions.add_party(
        mediation, acting_user=mworld.people.mediator, side="respondent", name="赵小红"
    )
    assert actions.accept(mediation, acting_user=mworld.people.mediator).status == "accepted"


def test_a_recusal_records_the_reason_and_replaces_the_mediator(mworld):
    p = mworld.people
    mediation = accepted(mworld)
    mediation = actions.escalate(
        mediation, acting_user=p.worker_a, reason="需专业调解员", mediator=p.mediator
    )
    actions.recuse(
        mediation, acting_user=p.mediator2, reason="调解员与被申请人系亲属", mediator=p.mediator2,
        chosen_by="parties",
    )  # fmt: skip
    rows = list(MediatorAssignment.objects.filter(mediation=mediation, level=2).order_by("pk"))
    assert [(r.mediator, r.end, r.end_reason) for r in rows] == [
        (p.mediator, "recused", "调解员与被申请人系亲属"),
        (p.mediator2, "", ""),
    ]
    assert rows[1].chosen_by == "parties"
    # The recused mediator keeps reading the file (as a past mediator); the replacement acts.
    with pytest.raises(IllegalMove, match=r"another|另一人"):
        actions.recuse(mediation, acting_user=p.mediator, reason="x", mediator=p.mediator2)


def test_escalation_stops_at_the_judicial_office(mworld):
    p = mworld.people
    mediation = accepted(mworld)
    actions.escalate(mediation, acting_user=p.worker_a, reason="r1", mediator=p.mediator)
    mediation = actions.escalate(
        mediation, acting_user=p.mediator, reason="需要法律意见", mediator=p.judicial
    )
    assert mediation.level == 3
    with pytest.raises(IllegalMove):
        actions.escalate(mediation, acting_user=p.judicial, reason="r3")
    with pytest.raises(IllegalMove):  # a level-2 mediator cannot be put on a level-3 case
        actions.assign_mediator(mediation, acting_user=p.judicial, mediator=p.mediator2)


def test_risk_of_violence_alerts_the_police_station_at_once(
    mworld, django_capture_on_commit_callbacks
):
    p = mworld.people
    mediation = accepted(mworld)
    with django_capture_on_commit_callbacks(execute=True):
        actions.flag_risk(mediation, acting_user=p.worker_a, reason="被申请人扬言报复")
    alerted = set(
        Notification.objects.filter(message__contains="报复").values_list("user_id", flat=True)
    )
    assert alerted == {p.police.pk}  # not the water department's handler
    mediation.refresh_from_db()
    assert mediation.risk_of_violence is True
    with pytest.raises(IllegalMove):
        actions.flag_risk(mediation, acting_user=p.worker_a, reason="again")


def test_an_extension_needs_every_partys_consent(mworld):
    mediation = accepted(mworld)
    parties = list(mediation.parties.values_list("pk", flat=True))
    due = mediation.due_on
    later = due + dt.timedelta(days=15)
    with pytest.raises(IllegalMove, match=r"consent|同意"):
        actions.extend(
            mediation, acting_user=mworld.people.worker_a, new_due_on=later,
            consents={parties[0]: True, parties[1]: False},
        )  # fmt: skip
    mediation.refresh_from_db()
    assert mediation.due_on == due and not mediation.extended
    mediation = actions.extend(
        mediation, acting_user=mworld.people.worker_a, new_due_on=later,
        consents={pk: True for pk in parties},
    )  # fmt: skip
    assert mediation.due_on == later and mediation.extended
    extension = mediation.extensions.get()
    assert (extension.old_due_on, extension.new_due_on) == (due, later)
    assert sorted(c["party"] for c in extension.consents) == sorted(parties)


def test_follow_up_steps_urge_then_remediate(mworld):
    p = mworld.people
    mediation = agreed(mworld)
    mediation = actions.follow_up(
        mediation, acting_user=p.mediator, result="not_performed", next_step="urge"
    )
    assert mediation.status == "agreed"
    pending = MediationFollowUp.objects.filter(mediation=mediation, done_at__isnull=True).get()
    assert pending.due_on == timezone.localdate() + dt.timedelta(days=15)
    with pytest.raises(Exception):  # noqa: B017 (the input refuses a missing next step; so does the action)
        actions.follow_up(mediation, acting_user=p.mediator, result="partly", next_step="")
    mediation = actions.follow_up(
        mediation, acting_user=p.mediator, result="partly", next_step="remediate"
    )
    assert mediation.status == "mediating"
    assert mediation.concluded_at is None


def test_judicial_confirmation_is_recorded_on_the_file(mworld):
    p = mworld.people
    mediation = agreed(mworld)
    today = timezone.localdate()
    actions.apply_confirmation(
        mediation, acting_user=p.judicial, applied_on=today, court="龙井市人民法院"
    )
    actions.record_court_acceptance(
        mediation, acting_user=p.judicial, accepted=True, decided_on=today
    )
    actions.record_confirmation_result(
        mediation, acting_user=p.judicial, result="confirmed", result_on=today
    )
    row = JudicialConfirmation.objects.get(mediation=mediation)
    assert (row.court, row.accepted, row.result) == ("龙井市人民法院", True, "confirmed")
    assert kinds(mediation)[-3:] == [
        "confirmation_applied", "confirmation_acceptance", "confirmation_result",
    ]  # fmt: skip
    with pytest.raises(IllegalMove):
        actions.apply_confirmation(mediation, acting_user=p.judicial, applied_on=today, court="x")


def test_judicial_confirmation_only_within_30_days(mworld):
    p = mworld.people
    mediation = mediating(mworld)
    signed = timezone.localdate() - dt.timedelta(days=31)
    # Accepted today, so an agreement dated a month ago is refused...
    with pytest.raises(IllegalMove):
        written_agreement(mworld, mediation, signed_on=signed, performance_due=None)
    mediation = backdate(mediation, 40)
    mediation = written_agreement(mworld, mediation, signed_on=signed, performance_due=None)
    # Day 31 after it took effect: the 30 days (signed + 30 = yesterday) are over.
    with pytest.raises(IllegalMove, match="30"):
        actions.apply_confirmation(
            mediation,
            acting_user=p.judicial,
            applied_on=timezone.localdate(),
            court="龙井市人民法院",
        )
    # Applied on day 30 (the last day): accepted.
    actions.apply_confirmation(
        mediation,
        acting_user=p.judicial,
        applied_on=signed + dt.timedelta(days=30),
        court="龙井市人民法院",
    )
    assert JudicialConfirmation.objects.filter(mediation=mediation).count() == 1


def test_the_page_warns_as_the_confirmation_window_closes(mworld, client_for):
    mediation = mediating(mworld)
    mediation = backdate(mediation, 40)
    written_agreement(
        mworld,
        mediation,
        signed_on=timezone.localdate() - dt.timedelta(days=24),
        performance_due=None,
    )
    page = client_for("judicial").get(f"/mediation/{mediation.pk}/").content.decode()
    assert 'class="flag flag-yellow" data-testid="confirmation-window"' in page
    assert "6" in page.split('data-testid="confirmation-window">')[1][:80]


STATE_FIELDS = ("status", "level", "due_on", "updated_at")


def _state(mediation):
    return (
        list(MediationCase.objects.filter(pk=mediation.pk).values_list(*STATE_FIELDS)),
        MediationEvent.objects.filter(mediation=mediation).count(),
        AuditEntry.objects.filter(action__startswith="mediation.").count(),
    )


@pytest.mark.parametrize(
    ("prepare", "action", "payload"),
    [
        ("registered", "agree_written", {"terms": "x", "main_facts": "x", "points_in_dispute": "x",
            "responsibilities": "x", "performance_method": "x", "signed_on": "2026-01-01"}),
        ("registered", "record_session", {}),
        ("registered", "fail", {"reason": "r", "routes": ["litigation"]}),
        ("accepted", "accept", {}),
        ("accepted", "follow_up", {"result": "performed"}),
        ("agreed", "agree_oral", {"terms": "x", "agreed_on": "2026-01-01"}),
        ("agreed", "escalate", {"reason": "r"}),
        ("agreed", "apply_confirmation_late", {}),
        ("closed", "follow_up", {"result": "performed"}),
        ("failed", "record_session", {}),
        ("level3", "escalate", {"reason": "r"}),
    ],
)  # fmt: skip
def test_illegal_moves_are_refused_with_409_and_nothing_changes(
    mworld, client_for, prepare, action, payload
):
    p = mworld.people
    if prepare == "registered":
        mediation = register(mworld)
    elif prepare == "accepted":
        mediation = accepted(mworld)
    elif prepare in ("agreed", "closed"):
        mediation = agreed(mworld)
        if prepare == "closed":
            mediation = actions.follow_up(mediation, acting_user=p.mediator, result="performed")
    elif prepare == "failed":
        mediation = actions.fail(
            mediating(mworld), acting_user=p.mediator, reason="r", routes=["litigation"]
        )
    else:
        mediation = accepted(mworld)
        actions.escalate(mediation, acting_user=p.worker_a, reason="r", mediator=p.mediator)
        mediation = actions.escalate(
            mediation, acting_user=p.mediator, reason="r", mediator=p.judicial
        )
    if action == "record_session":
        payload = {
            "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "place": "调解室", "attendees": "双方", "rights_explained": "true",
            "rights_text": "standard", "outcome": "o",
        }  # fmt: skip
    if action == "apply_confirmation_late":
        action = "apply_confirmation"
        late = mediation.agreements.get().signed_on + dt.timedelta(days=31)
        payload = {"applied_on": late.isoformat(), "court": "龙井市人民法院"}
    before = _state(mediation)
    response = client_for("mediator").post(f"/mediation/{mediation.pk}/{action}/", payload)
    assert response.status_code == 409, response.content.decode()[:500]
    assert _state(mediation) == before


def test_bad_input_is_a_400_with_a_message_and_nothing_changes(mworld, client_for):
    mediation = accepted(mworld)
    before = _state(mediation)
    client = client_for("worker_a")
    client.cookies["django_language"] = "en"
    response = client.post(f"/mediation/{mediation.pk}/fail/", {"reason": "r", "routes": []})
    assert response.status_code == 400
    assert _state(mediation) == before
    assert "Routes the parties were told about" in response.content.decode()


def test_the_referral_source_cannot_be_chosen_by_hand(mworld):
    with pytest.raises(IllegalMove):
        register(mworld, source="referral")
    assert MediationCase.objects.count() == 0


def test_registering_twice_with_one_key_makes_one_case(mworld):
    one = register(mworld, idempotency_key="k-1")
    two = register(mworld, idempotency_key="k-1")
    assert one.pk == two.pk
    assert MediationCase.objects.count() == 1


def test_the_sweep_tells_the_mediator_once_per_warning_level(
    mworld, django_capture_on_commit_callbacks
):
    p = mworld.people
    mediation = accepted(mworld)  # worker_a mediates
    today = timezone.localdate()

    def due_in(days):
        MediationCase.objects.filter(pk=mediation.pk).update(due_on=today + dt.timedelta(days=days))

    def sweep():
        with django_capture_on_commit_callbacks(execute=True):
            return actions.sweep_warnings(today)

    due_in(10)
    assert sweep() == 0
    due_in(3)  # within the last five days: yellow
    assert sweep() == 1
    assert sweep() == 0  # told once
    due_in(0)  # the due day: red
    assert sweep() == 1
    due_in(-1)
    assert sweep() == 1
    told = list(
        Notification.objects.filter(user=p.worker_a, message__contains=mediation.number)
        .order_by("pk")
        .values_list("message", flat=True)
    )
    assert len(told) == 3
    assert [e.data["level"] for e in MediationEvent.objects.filter(kind="warning")] == [
        "yellow", "red", "overdue",
    ]  # fmt: skip
    assert all(e.actor is None for e in MediationEvent.objects.filter(kind="warning"))
