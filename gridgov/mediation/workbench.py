"""Workbench queues of mediation (issue 11): what waits for the user's hand.

The people's mediator and the judicial officer each get five queues — new, in session,
awaiting agreement, follow-ups due, confirmation windows closing — over the cases they may act
on (`visible_to(user, "change")`): the mediator those from level 2 up, the judicial officer
those at level 3, each also those assigned to them. The grid worker's queues are the same over
their level-1 cases. Counts come from one aggregate query; a queue's list is one query more.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from gridgov.accounts.choices import Role
from gridgov.mediation.choices import AgreementKind, Level, MediationStatus
from gridgov.mediation.models import (
    JudicialConfirmation,
    MediationAgreement,
    MediationCase,
    MediationFollowUp,
    MediatorAssignment,
)

S = MediationStatus


def follow_up_due(today: dt.date) -> Q:
    """An agreed case with a follow-up not yet done that falls due today or earlier."""
    pending = MediationFollowUp.objects.filter(
        mediation=OuterRef("pk"), done_at__isnull=True, due_on__lte=today
    )
    return Q(status=S.AGREED) & Q(Exists(pending))


def confirmation_closing(today: dt.date) -> Q:
    """A written agreement not yet put to the court whose 30-day window closes within
    MEDIATION_CONFIRMATION_WARN_DAYS (today included) and is still open."""
    days = settings.MEDIATION_CONFIRMATION_DAYS
    warn = settings.MEDIATION_CONFIRMATION_WARN_DAYS
    # deadline = signed_on + days; open: deadline >= today; closing: deadline < today + warn.
    closing = MediationAgreement.objects.filter(
        mediation=OuterRef("pk"),
        kind=AgreementKind.WRITTEN,
        signed_on__gte=today - dt.timedelta(days=days),
        signed_on__lt=today - dt.timedelta(days=days) + dt.timedelta(days=warn),
    ).exclude(Exists(JudicialConfirmation.objects.filter(agreement=OuterRef("pk"))))
    return Q(status__in=(S.AGREED, S.CLOSED)) & Q(Exists(closing))


@dataclass(frozen=True)
class Queue:
    key: str
    label: Promise
    condition: Callable[[dt.date], Q]


QUEUES = [
    Queue("new", _("New: to accept"), lambda today: Q(status=S.REGISTERED)),
    Queue(
        "in_session", _("In session: accepted, sessions to hold"), lambda t: Q(status=S.ACCEPTED)
    ),
    Queue("awaiting_agreement", _("Awaiting agreement"), lambda t: Q(status=S.MEDIATING)),
    Queue("follow_ups", _("Follow-ups due"), follow_up_due),
    Queue("confirmation", _("Confirmation windows closing"), confirmation_closing),
]
BY_KEY = {queue.key: queue for queue in QUEUES}


def workbench_role(user: Any) -> str | None:
    """Whose workbench: the mediator's, the judicial officer's or the grid worker's."""
    for role in (Role.MEDIATOR, Role.JUDICIAL_OFFICER, Role.GRID_WORKER):
        if user.has_role(role):
            return role
    return None


def _role_scope(user: Any, role: str) -> Q:
    """The part of the user's changeable cases that is theirs to work on."""
    mine = Q(
        Exists(
            MediatorAssignment.objects.filter(
                mediation=OuterRef("pk"), mediator_id=user.pk, ended_at__isnull=True
            )
        )
    )
    if role == Role.MEDIATOR:
        return Q(level__gte=Level.MEDIATOR) | mine
    if role == Role.JUDICIAL_OFFICER:
        return Q(level=Level.JUDICIAL) | mine
    return Q(level=Level.GRID)


def queue_condition(user: Any, role: str, key: str, today: dt.date) -> Q:
    """A queue over the user's changeable cases. The judicial office helps every party with
    judicial confirmation, so its confirmation queue is not limited to level 3."""
    condition = BY_KEY[key].condition(today)
    if role == Role.JUDICIAL_OFFICER and key == "confirmation":
        return condition
    return condition & _role_scope(user, role)


def counts(user: Any, today: dt.date | None = None) -> dict[str, int]:
    """Each queue's size and the number of cases in any queue ("total"), in one query."""
    today = today or timezone.localdate()
    role = workbench_role(user)
    if role is None:
        return {**{q.key: 0 for q in QUEUES}, "total": 0}
    conditions = {q.key: queue_condition(user, role, q.key, today) for q in QUEUES}
    anything = Q()
    for condition in conditions.values():
        anything |= condition
    aggregates = {key: Count("pk", filter=c) for key, c in conditions.items()}
    cases = MediationCase.objects.visible_to(user, "change")
    return cases.aggregate(**aggregates, total=Count("pk", filter=anything))


def queue_cases(user: Any, key: str, today: dt.date | None = None) -> QuerySet[MediationCase]:
    today = today or timezone.localdate()
    role = workbench_role(user)
    if role is None:
        return MediationCase.objects.none()
    next_follow_up = MediationFollowUp.objects.filter(
        mediation=OuterRef("pk"), done_at__isnull=True
    ).order_by("due_on")
    written = MediationAgreement.objects.filter(
        mediation=OuterRef("pk"), kind=AgreementKind.WRITTEN
    ).order_by("-signed_on", "-pk")
    return (
        MediationCase.objects.visible_to(user, "change")
        .filter(queue_condition(user, role, key, today))
        .annotate(
            next_follow_up=Subquery(next_follow_up.values("due_on")[:1]),
            agreement_signed_on=Subquery(written.values("signed_on")[:1]),
        )
        .select_related("community", "grid")
        .defer("community__boundary", "grid__boundary")
        .order_by("due_on", "created_at", "pk")
    )


def nav_label(user: Any) -> Any:
    """'Mediation' in the nav; for the committee and the judicial office with the number of
    cases waiting in their queues (one query, made only when the nav is drawn). A grid worker's
    pages are many and query-counted: their level-1 list shows its own counts."""
    from django.utils.functional import lazy
    from django.utils.html import escape, format_html

    if workbench_role(user) not in (Role.MEDIATOR, Role.JUDICIAL_OFFICER):
        return _("Mediation")

    def label() -> SafeString:
        total = counts(user)["total"]
        if not total:
            return escape(str(_("Mediation")))
        return format_html(
            '{} <span class="nav-count" data-testid="mediation-nav-count">{}</span>',
            _("Mediation"),
            total,
        )

    return lazy(label, SafeString)()
