"""The demo's mediation: this year's 23 disputes of 河西社区 at every level and outcome, made
through the actions; idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from gridgov.accounts.models import User
from gridgov.demo.year import demo_year
from gridgov.mediation.choices import MediationEventKind, MediationStatus
from gridgov.mediation.models import (
    JudicialConfirmation,
    MediationCase,
    MediationEvent,
    MediationFollowUp,
)
from gridgov.mediation.workbench import counts

pytestmark = pytest.mark.django_db


def test_demo_has_23_disputes_at_every_level_and_outcome(django_capture_on_commit_callbacks):
    # As in the real seed, referred disputes are registered by the outbox after each commit.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    first = (MediationCase.objects.count(), MediationEvent.objects.count())
    call_command("seed_demo", stdout=io.StringIO())
    assert (MediationCase.objects.count(), MediationEvent.objects.count()) == first

    hexi = MediationCase.objects.filter(community__code="222405001001")
    # The demo year's 50 mediations (a past year, test_demo_year) are not this year's 23.
    cases = hexi.exclude(created_at__year=demo_year())
    assert hexi.count() - cases.count() == 50
    assert cases.count() == 23
    assert cases.filter(source="referral").count() == 1  # the talk point's dispute
    today = timezone.localdate()
    assert all(c.created_at.year == today.year for c in cases)
    assert set(cases.values_list("status", flat=True)) == set(MediationStatus.values)
    assert set(cases.values_list("level", flat=True)) == {1, 2, 3}
    # Every case was registered through the write path (an event and an audit row each).
    registered = MediationEvent.objects.filter(kind=MediationEventKind.REGISTERED)
    assert registered.filter(mediation__in=cases).count() == 23
    # Exactly one agreement judicially confirmed.
    assert JudicialConfirmation.objects.filter(result="confirmed").count() == 1
    # Written and oral agreements, escalations, a failure with routes, a risk flag, an extension.
    kinds = set(MediationEvent.objects.values_list("kind", flat=True))
    assert {
        MediationEventKind.ESCALATED,
        MediationEventKind.AGREED,
        MediationEventKind.FAILED,
        MediationEventKind.NOT_ACCEPTED,
        MediationEventKind.RISK_FLAGGED,
        MediationEventKind.EXTENDED,
        MediationEventKind.FOLLOWED_UP,
        MediationEventKind.CONFIRMATION_RESULT,
    } <= kinds
    assert set(cases.values_list("agreements__kind", flat=True)) >= {"written", "oral"}
    # Follow-ups due today or earlier, not yet done.
    assert MediationFollowUp.objects.filter(done_at__isnull=True, due_on__lte=today).count() == 2
    # The workbenches have something in every queue.
    mediator = User.objects.get(username="hx_mediator")
    judicial = User.objects.get(username="ly_judicial")
    assert all(counts(mediator)[key] > 0 for key in counts(mediator)), counts(mediator)
    assert counts(judicial)["awaiting_agreement"] == 1
    assert counts(judicial)["confirmation"] == 1
    # The first grid's worker has a level-1 dispute in mediation (空调外机噪音纠纷, m3).
    assert counts(User.objects.get(username="gw01"))["awaiting_agreement"] >= 1
    # Running cases in every warning colour but red (which depends on the day's holidays).
    warnings = {c.warning(today) for c in cases.filter(status__in=("accepted", "mediating"))}
    assert {"ok", "overdue"} <= warnings
