"""The one write path of people's mediation (style.md §1).

Registering a case is not a move between states: like case intake it writes its own event and
audit row in one transaction (`register_mediation`, and `register_referral` for a case referred
from the closed loop). Every move of a registered case goes through the lifecycle kernel
(`transition()`), declared here with `@MEDIATIONS.action`. States and rules: ADR 0016.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l

from gridgov.accounts import scope
from gridgov.accounts.choices import OrganisationKind, Role
from gridgov.accounts.models import Membership, User
from gridgov.audit.log import record
from gridgov.geo.choices import AreaKind
from gridgov.inbox.services import message
from gridgov.lifecycle import IllegalMove, Move, NotAllowed
from gridgov.mediation import deadlines
from gridgov.mediation.choices import (
    CATEGORY_CODES,
    RUNNING_STATUSES,
    WARNING_RANK,
    AgreementKind,
    AssignmentEnd,
    ChosenBy,
    DisputeType,
    FollowUpResult,
    Level,
    MediationEventKind,
    NextStep,
    PartySide,
    Source,
    Warning,
)
from gridgov.mediation.inputs import (
    ApplyConfirmationInput,
    AssignInput,
    ConfirmationResultInput,
    CourtAcceptanceInput,
    EscalateInput,
    ExtendInput,
    FailInput,
    FollowUpInput,
    NoteInput,
    OralAgreementInput,
    PartyInput,
    ReasonInput,
    RecuseInput,
    RepresentativeInput,
    SessionInput,
    WrittenAgreementInput,
)
from gridgov.mediation.lifecycle import (
    ASSIGNED,
    COMMITTEE,
    MEDIATIONS,
    WORKERS,
    MediationAction,
    S,
    one,
)
from gridgov.mediation.models import (
    JudicialConfirmation,
    MediationAgreement,
    MediationCase,
    MediationEvent,
    MediationExtension,
    MediationFollowUp,
    MediationParty,
    MediationRepresentative,
    MediationSession,
    MediatorAssignment,
    SessionStatement,
)
from gridgov.outbox.relay import write

if TYPE_CHECKING:
    from gridgov.geo.models import Area

# The role of the mediator at each level (三级调解).
LEVEL_ROLE = {
    Level.GRID: Role.GRID_WORKER,
    Level.MEDIATOR: Role.MEDIATOR,
    Level.JUDICIAL: Role.JUDICIAL_OFFICER,
}
CONCLUDED_TOPIC = "cases.mediation_concluded"


def mediation_url(mediation: MediationCase) -> str:
    return reverse("mediation:detail", args=[mediation.pk])


def _clean(text: str | None) -> str:
    return (text or "").strip()


def _require(text: str | None, error: str) -> str:
    text = _clean(text)
    if not text:
        raise IllegalMove(error)
    return text


# ---------------------------------------------------------------------------------------------
# Who may mediate


def eligible_mediators(mediation: MediationCase | None, level: int | None) -> Iterable[User]:
    """The users who may mediate this case at `level`: the grid workers of its grid (level 1),
    the people's mediators (2) or judicial officers (3) whose area covers it."""
    if mediation is None or level is None or level not in Level.values:
        return User.objects.none()
    role = LEVEL_ROLE[Level(level)]
    ids = [
        m.user_id
        for m in Membership.objects.filter(role=role, is_active=True).select_related(
            "area", "organisation__area"
        )
        if scope.covers(scope._paths_of(m), mediation.area_path)
    ]
    return User.objects.filter(pk__in=ids, is_active=True).order_by("full_name", "username")


def _may_mediate(user: User, mediation: MediationCase, level: int) -> bool:
    role = LEVEL_ROLE[Level(level)]
    return any(
        m.role == role and scope.covers(scope._paths_of(m), mediation.area_path)
        for m in user.active_memberships
    )


def _current(mediation: MediationCase) -> MediatorAssignment | None:
    return mediation.assignments.filter(ended_at__isnull=True).first()


def _end_current(move: Move, end: str, reason: str = "") -> MediatorAssignment | None:
    current = _current(move.obj)
    if current is not None:
        current.ended_at = move.now
        current.end = end
        current.end_reason = reason
        current.save(update_fields=["ended_at", "end", "end_reason"])
    return current


def _assign(move: Move, mediator: User, chosen_by: str) -> MediatorAssignment:
    if not _may_mediate(mediator, move.obj, move.obj.level):
        raise IllegalMove(_("This person may not mediate at this level here."))
    row = MediatorAssignment(
        mediation=move.obj,
        level=move.obj.level,
        mediator=mediator,
        chosen_by=chosen_by,
        assigned_at=move.now,
    )
    row.save()
    move.obj._current_assignment = row
    text = _("You were assigned to mediate %(number)s.") % {"number": move.obj.number}
    move.notify(*message([mediator.pk], text, mediation_url(move.obj)))
    return row


# ---------------------------------------------------------------------------------------------
# Registering (not a move)


def may_register(user: User, area: Area) -> Membership | None:
    return scope.mediation_register_membership(user, area.path)


def _community_and_grid(area: Area) -> tuple[Area, Area | None]:
    if area.kind == AreaKind.GRID:
        assert area.parent is not None
        return area.parent, area
    if area.kind == AreaKind.COMMUNITY:
        return area, None
    raise IllegalMove(_("Choose a community or a grid."))


def _registered_event(
    mediation: MediationCase, user: User | None, role: str, data: dict[str, Any]
) -> MediationEvent:
    event = MediationEvent.objects.create(
        mediation=mediation,
        kind=MediationEventKind.REGISTERED,
        actor=user,
        actor_role=role,
        to_status=S.REGISTERED,
        data=data,
    )
    record(
        "mediation.registered",
        actor=user,
        actor_name="system" if user is None else None,
        role=role,
        obj=mediation,
        object_repr=mediation.number,
        detail={"source": mediation.source},
    )
    return event


def register_mediation(
    *,
    acting_user: User,
    area: Area,
    source: str,
    dispute_type: str,
    title: str,
    summary: str,
    parties: Iterable[dict[str, str]] = (),
    idempotency_key: str = "",
) -> MediationCase:
    """Register an application (written, or oral and recorded by staff), a referral from the
    police or a court, or the committee's own initiative (every case is registered)."""
    membership = may_register(acting_user, area)
    if membership is None:
        raise NotAllowed(_("You may not register mediation cases here."))
    if source not in Source.values or source == Source.REFERRAL:
        raise IllegalMove(_("Choose how the dispute came in."))
    if dispute_type not in DisputeType.values:
        raise IllegalMove(_("Choose the type of dispute."))
    title = _require(title, _("A title is required."))
    summary = _require(summary, _("Describe the dispute."))
    key = _clean(idempotency_key)[:64]
    if key:
        done = MediationCase.objects.filter(registered_by=acting_user, idempotency_key=key).first()
        if done is not None:
            return done
    community, grid = _community_and_grid(area)
    try:
        with transaction.atomic():
            mediation = MediationCase.objects.create(
                community=community,
                grid=grid,
                area=area,
                source=source,
                dispute_type=dispute_type,
                title=title[:100],
                summary=summary,
                registered_by=acting_user,
                level=Level.GRID if grid is not None else Level.MEDIATOR,
                idempotency_key=key,
            )
            ids = [_party_row(mediation, acting_user, **p).pk for p in parties]
            _registered_event(mediation, acting_user, membership.role, {"parties": ids})
    except IntegrityError:
        done = MediationCase.objects.filter(registered_by=acting_user, idempotency_key=key).first()
        if key and done is not None:
            return done
        raise
    return mediation


def _party_row(
    mediation: MediationCase,
    user: User | None,
    *,
    side: str,
    name: str,
    phone: str = "",
    id_number: str = "",
    address: str = "",
) -> MediationParty:
    from gridgov.registry.models import Person

    if side not in PartySide.values:
        raise IllegalMove(_("Choose the side of the party."))
    name = _require(name, _("Give the party's name."))
    id_number = _clean(id_number).upper()
    person = None
    if id_number and user is not None:
        person = Person.objects.visible_to(user).with_id_number(id_number).first()
    return MediationParty.objects.create(
        mediation=mediation,
        side=side,
        person=person,
        name=name[:50],
        phone=_clean(phone),
        id_number=id_number,
        address=_clean(address),
    )


def register_referral(case_id: int) -> MediationCase | None:
    """The outbox handler's work: a case referred to mediation is registered here once (a
    second delivery finds it). The reporter, when known, is the first applicant."""
    from gridgov.cases.models import Case

    case = Case.objects.select_related("community", "grid", "area", "category").get(pk=case_id)
    existing = MediationCase.objects.filter(case=case, source=Source.REFERRAL).first()
    if existing is not None:
        return existing
    code = case.category.code if case.category is not None else ""
    try:
        with transaction.atomic():
            mediation = MediationCase.objects.create(
                community=case.community,
                grid=case.grid,
                area=case.area,
                source=Source.REFERRAL,
                case=case,
                dispute_type=CATEGORY_CODES.get(code, DisputeType.OTHER),
                title=case.title[:100],
                summary=case.description,
                level=Level.GRID if case.grid_id is not None else Level.MEDIATOR,
            )
            ids = []
            name = case.reporter_name or (
                case.reporter_user.full_name if case.reporter_user is not None else ""
            )
            if name.strip():
                party = MediationParty.objects.create(
                    mediation=mediation,
                    side=PartySide.APPLICANT,
                    name=name.strip()[:50],
                    phone=case.reporter_phone,
                )
                ids.append(party.pk)
            event = _registered_event(mediation, None, "", {"case": case.number, "parties": ids})
            write(event, [message(_committee(mediation), _registered_text(mediation), "")])
    except IntegrityError:  # delivered twice at once: the other delivery registered it
        return MediationCase.objects.filter(case=case, source=Source.REFERRAL).first()
    return mediation


def _registered_text(mediation: MediationCase) -> str:
    return _("A dispute was referred to mediation: %(number)s %(title)s") % {
        "number": mediation.number,
        "title": mediation.title,
    }


def _committee(mediation: MediationCase) -> list[int]:
    """The people's mediators whose committee covers the case (told of new cases)."""
    return [
        m.user_id
        for m in Membership.objects.filter(role=Role.MEDIATOR, is_active=True).select_related(
            "area", "organisation__area"
        )
        if scope.covers(scope._paths_of(m), mediation.area_path)
    ]


# ---------------------------------------------------------------------------------------------
# Guards


def _has_both_sides(mediation: MediationCase) -> None:
    sides = set(mediation.parties.values_list("side", flat=True))
    if sides != {PartySide.APPLICANT, PartySide.RESPONDENT}:
        raise IllegalMove(_("Record at least one applicant and one respondent first."))


def _has_mediator(mediation: MediationCase) -> None:
    if _current(mediation) is None:
        raise IllegalMove(_("No mediator is assigned to this case."))


def _below_top_level(mediation: MediationCase) -> None:
    if mediation.level >= Level.JUDICIAL:
        raise IllegalMove(_("This case is already at the judicial office (level 3)."))


def _not_flagged(mediation: MediationCase) -> None:
    if mediation.risk_of_violence:
        raise IllegalMove(_("The risk of violence is already flagged."))


def _follow_up_pending(mediation: MediationCase) -> None:
    if not mediation.follow_ups.filter(done_at__isnull=True).exists():
        raise IllegalMove(_("No follow-up is scheduled."))


def _written_agreement(mediation: MediationCase) -> MediationAgreement | None:
    return mediation.agreements.filter(kind=AgreementKind.WRITTEN).order_by("-pk").first()


def _confirmable(mediation: MediationCase) -> None:
    agreement = _written_agreement(mediation)
    if agreement is None:
        raise IllegalMove(_("Only a written agreement can be judicially confirmed."))
    if JudicialConfirmation.objects.filter(agreement=agreement).exists():
        raise IllegalMove(_("Judicial confirmation is already applied for."))


def _confirmation(mediation: MediationCase) -> JudicialConfirmation | None:
    return mediation.confirmations.order_by("-pk").first()


def _awaiting_court_acceptance(mediation: MediationCase) -> None:
    confirmation = _confirmation(mediation)
    if confirmation is None or confirmation.accepted is not None:
        raise IllegalMove(_("No application awaits the court's acceptance decision."))


def _awaiting_court_result(mediation: MediationCase) -> None:
    confirmation = _confirmation(mediation)
    if confirmation is None or confirmation.accepted is not True or confirmation.result:
        raise IllegalMove(_("No accepted application awaits the court's result."))


def confirmation_hint(mediation: MediationCase) -> str:
    """The page's warning as the 30-day window closes."""
    agreement = _written_agreement(mediation) if mediation is not None else None
    if agreement is None:
        return ""
    left = deadlines.confirmation_days_left(agreement.signed_on)
    if left < 0:
        return _("The 30-day window for judicial confirmation closed on %(day)s.") % {
            "day": agreement.confirmation_deadline.isoformat()
        }
    return _("Apply jointly by %(day)s (%(left)s days left).") % {
        "day": agreement.confirmation_deadline.isoformat(),
        "left": left,
    }


# ---------------------------------------------------------------------------------------------
# Conclusion: tell the referring case


def _conclude(move: Move, outcome: str, text: str) -> None:
    mediation = move.obj
    mediation.concluded_at = move.now
    if mediation.case_id is not None:
        move.notify(
            CONCLUDED_TOPIC,
            {
                "case_id": mediation.case_id,
                "mediation": mediation.number,
                "outcome": outcome,
                "result": text[:2000],
            },
        )


def _agreed_data(agreement: MediationAgreement, move: Move) -> dict[str, Any]:
    """The agreed event's data, which the metrics read: the agreement, its kind, when its first
    follow-up is due, and whether it came by the due date."""
    return {
        "agreement": agreement.pk,
        "kind": agreement.kind,
        "follow_up_due": deadlines.follow_up_due(
            agreement.signed_on, agreement.performance_due
        ).isoformat(),
        **_timing(move.obj, move.now),
    }


def _timing(mediation: MediationCase, now: dt.datetime) -> dict[str, Any]:
    """What the metrics read from a concluding event: the due date and whether it was met."""
    if mediation.due_on is None:
        return {}
    return {
        "due_on": mediation.due_on.isoformat(),
        "on_time": timezone.localdate(now) <= mediation.due_on,
    }


# ---------------------------------------------------------------------------------------------
# The lifecycle: intake


@MEDIATIONS.action(
    MediationAction.ACCEPT,
    label=_l("accepted"),
    button=_l("Accept (受理)"),
    path=1,
    sources=one(S.REGISTERED),
    targets=one(S.ACCEPTED),
    roles=WORKERS,
    guards=(_has_both_sides,),
    input=NoteInput,
)
def accept(move: Move, note: str = "") -> None:
    """The committee accepts the dispute: the one-month clock starts (ADR 0016). At level 1 the
    grid worker who accepts, else the first grid worker of the grid, mediates."""
    mediation = move.obj
    mediation.accepted_at = move.now
    mediation.due_on = deadlines.due_date(timezone.localdate(move.now))
    move.save("accepted_at", "due_on")
    if _current(mediation) is None:
        mediator = (
            move.user if move.user and _may_mediate(move.user, mediation, mediation.level) else None
        )
        if mediator is None and mediation.level == Level.GRID:
            mediator = next(iter(eligible_mediators(mediation, Level.GRID)), None)
        if mediator is not None:
            _assign(move, mediator, ChosenBy.COMMITTEE)
    move.event(MediationEventKind.ACCEPTED, note, {"due_on": mediation.due_on.isoformat()})


@MEDIATIONS.action(
    MediationAction.NOT_ACCEPT,
    label=_l("refused"),
    button=_l("Not accepted: a party refuses"),
    rank=9,
    sources=one(S.REGISTERED),
    targets=one(S.NOT_ACCEPTED),
    roles=WORKERS,
    input=ReasonInput,
)
def not_accept(move: Move, reason: str) -> None:
    """A party clearly refuses mediation (or it is not the committee's to mediate): it ends
    before it starts (人民调解法 Art. 17)."""
    reason = _require(reason, _("Give the reason."))
    move.obj.end_reason = reason
    _conclude(move, "not_accepted", reason)
    move.save("end_reason", "concluded_at")
    move.event(MediationEventKind.NOT_ACCEPTED, reason)


@MEDIATIONS.action(
    MediationAction.ADD_PARTY,
    label=_l("given a party"),
    button=_l("Add a party"),
    rank=1,
    sources=one(S.REGISTERED, S.ACCEPTED, S.MEDIATING),
    targets=frozenset(),
    roles=WORKERS,
    input=PartyInput,
)
def add_party(
    move: Move, side: str, name: str, phone: str = "", id_number: str = "", address: str = ""
) -> None:
    party = _party_row(
        move.obj, move.user, side=side, name=name, phone=phone, id_number=id_number,
        address=address,
    )  # fmt: skip
    move.event(
        MediationEventKind.PARTY_ADDED,
        data={"party": party.pk, "side": side, "registry": party.person_id is not None},
    )


@MEDIATIONS.action(
    MediationAction.ADD_REPRESENTATIVE,
    label=_l("given a representative"),
    button=_l("Add a representative"),
    rank=2,
    sources=one(S.REGISTERED, S.ACCEPTED, S.MEDIATING),
    targets=frozenset(),
    roles=WORKERS,
    input=RepresentativeInput,
)
def add_representative(
    move: Move, party: MediationParty, name: str, relation: str, phone: str = "",
    id_number: str = "",
) -> None:  # fmt: skip
    if party.mediation_id != move.obj.pk:
        raise IllegalMove(_("Choose a party of this case."))
    row = MediationRepresentative.objects.create(
        party=party,
        name=_require(name, _("Give the representative's name."))[:50],
        relation=_require(relation, _("Give the relation to the party."))[:30],
        phone=_clean(phone),
        id_number=_clean(id_number).upper(),
    )
    move.event(
        MediationEventKind.REPRESENTATIVE_ADDED, data={"party": party.pk, "representative": row.pk}
    )


# ---------------------------------------------------------------------------------------------
# Mediators and levels


@MEDIATIONS.action(
    MediationAction.ASSIGN,
    label=_l("given a mediator"),
    button=_l("Assign a mediator"),
    rank=3,
    sources=one(S.REGISTERED, S.ACCEPTED, S.MEDIATING),
    targets=frozenset(),
    roles=COMMITTEE,
    input=AssignInput,
)
def assign_mediator(move: Move, mediator: User | None, chosen_by: str = ChosenBy.COMMITTEE) -> None:
    """The committee assigns a mediator, or records the one the parties chose; a mediator
    assigned before is replaced."""
    if mediator is None:
        raise IllegalMove(_("Choose a mediator."))
    previous = _end_current(move, AssignmentEnd.REPLACED)
    row = _assign(move, mediator, chosen_by)
    move.event(
        MediationEventKind.MEDIATOR_ASSIGNED,
        data={
            "mediator": mediator.pk,
            "level": row.level,
            "chosen_by": chosen_by,
            "replaced": previous.mediator_id if previous else None,
        },
    )


@MEDIATIONS.action(
    MediationAction.RECUSE,
    label=_l("given another mediator"),
    button=_l("Recusal: replace the mediator"),
    rank=4,
    sources=one(S.REGISTERED, S.ACCEPTED, S.MEDIATING),
    targets=frozenset(),
    roles=COMMITTEE,
    guards=(_has_mediator,),
    input=RecuseInput,
)
def recuse(
    move: Move, reason: str, mediator: User | None, chosen_by: str = ChosenBy.COMMITTEE
) -> None:
    """A party asks for the mediator's recusal (回避): the reason is recorded and the mediator
    replaced (人民调解法 Art. 23)."""
    reason = _require(reason, _("Give the reason for the recusal."))
    if mediator is None:
        raise IllegalMove(_("Choose the replacement mediator."))
    current = _current(move.obj)
    if current is not None and current.mediator_id == mediator.pk:
        raise IllegalMove(_("The replacement must be another mediator."))
    previous = _end_current(move, AssignmentEnd.RECUSED, reason)
    row = _assign(move, mediator, chosen_by)
    move.event(
        MediationEventKind.RECUSED,
        reason,
        {
            "recused": previous.mediator_id if previous else None,
            "mediator": mediator.pk,
            "level": row.level,
            "chosen_by": chosen_by,
        },
    )


@MEDIATIONS.action(
    MediationAction.ESCALATE,
    label=_l("moved to the next level"),
    button=_l("Escalate to the next level"),
    rank=5,
    sources=one(S.ACCEPTED, S.MEDIATING),
    targets=frozenset(),
    roles=WORKERS,
    guards=(_below_top_level,),
    input=EscalateInput,
)
def escalate(move: Move, reason: str, mediator: User | None = None) -> None:
    """Level 1 → 2 → 3, with the reason. The mediator at the next level is the one chosen, or
    the escalating user if they may mediate there; else the committee assigns one."""
    reason = _require(reason, _("Give the reason for the escalation."))
    mediation = move.obj
    _end_current(move, AssignmentEnd.ESCALATED, reason)
    old = mediation.level
    mediation.level = old + 1
    move.save("level")
    if mediator is None and move.user is not None and _may_mediate(move.user, mediation, old + 1):
        mediator = move.user
    if mediator is not None:
        _assign(move, mediator, ChosenBy.COMMITTEE)
    move.event(
        MediationEventKind.ESCALATED,
        reason,
        {"from_level": old, "to_level": old + 1, "mediator": mediator.pk if mediator else None},
    )
    if mediator is None:
        move.notify(
            *message(
                _committee(mediation) if old + 1 == Level.MEDIATOR else _judicial(mediation),
                _("Mediation %(number)s was escalated to level %(level)s: assign a mediator.")
                % {"number": mediation.number, "level": old + 1},
                mediation_url(mediation),
            )
        )


def _judicial(mediation: MediationCase) -> list[int]:
    return [
        m.user_id
        for m in Membership.objects.filter(
            role=Role.JUDICIAL_OFFICER, is_active=True
        ).select_related("area", "organisation__area")
        if scope.covers(scope._paths_of(m), mediation.area_path)
    ]


# ---------------------------------------------------------------------------------------------
# Sessions, risk, time limit


@MEDIATIONS.action(
    MediationAction.RECORD_SESSION,
    label=_l("given a session"),
    button=_l("Record a session (调解笔录)"),
    path=2,
    sources=one(S.ACCEPTED, S.MEDIATING),
    targets=one(S.MEDIATING),
    roles=WORKERS,
    input=SessionInput,
)
def record_session(
    move: Move,
    held_at: dt.datetime,
    place: str,
    attendees: str,
    rights_explained: bool,
    outcome: str,
    statements: dict[int, tuple[str, bool]],
    rights_text: str = "",
    evidence: str = "",
) -> None:
    """A session and its transcript. From level 2 on, mediation is formal: the parties must
    have been told their rights and duties."""
    mediation = move.obj
    if held_at > move.now + dt.timedelta(minutes=5):
        raise IllegalMove(_("A session cannot be recorded before it is held."))
    if mediation.accepted_at is not None and held_at < mediation.accepted_at - dt.timedelta(days=1):
        raise IllegalMove(_("The session is dated before the case was accepted."))
    if mediation.level >= Level.MEDIATOR and not rights_explained:
        raise IllegalMove(
            _("From level 2 on, the parties' rights and duties must be explained first.")
        )
    session = MediationSession.objects.create(
        mediation=mediation,
        level=mediation.level,
        held_at=held_at,
        place=_require(place, _("Give the place.")),
        attendees=_require(attendees, _("List the attendees.")),
        rights_explained=rights_explained,
        rights_text=rights_text if rights_explained else "",
        evidence=_clean(evidence),
        outcome=_require(outcome, _("Describe the outcome of the session.")),
        recorded_by=move.user,
    )
    parties = {p.pk for p in mediation.parties.all()}
    rows = [
        SessionStatement(session=session, party_id=pk, statement=_clean(text), signed=signed)
        for pk, (text, signed) in statements.items()
        if pk in parties
    ]
    SessionStatement.objects.bulk_create(rows)
    move.event(
        MediationEventKind.SESSION,
        data={
            "session": session.pk,
            "level": session.level,
            "signed": sorted(r.party_id for r in rows if r.signed),
        },
    )


@MEDIATIONS.action(
    MediationAction.FLAG_RISK,
    label=_l("flagged"),
    button=_l("Flag a risk of violence"),
    rank=6,
    sources=one(S.REGISTERED, S.ACCEPTED, S.MEDIATING, S.AGREED),
    targets=frozenset(),
    roles=WORKERS,
    guards=(_not_flagged,),
    input=ReasonInput,
)
def flag_risk(move: Move, reason: str) -> None:
    """The dispute may turn violent: the police station covering the area is alerted at once
    (its department handlers, through the outbox)."""
    reason = _require(reason, _("Describe the risk."))
    mediation = move.obj
    mediation.risk_of_violence = True
    mediation.risk_flagged_at = move.now
    move.save("risk_of_violence", "risk_flagged_at")
    police = police_handlers(mediation)
    move.event(MediationEventKind.RISK_FLAGGED, reason, {"alerted": len(police)})
    text = _("Risk of violence in dispute %(number)s (%(area)s): %(reason)s") % {
        "number": mediation.number,
        "area": mediation.area.name,
        "reason": reason,
    }
    if police:
        move.notify(*message(police, text, ""))


def police_handlers(mediation: MediationCase) -> list[int]:
    """The handlers of the police stations whose area covers the case."""
    return sorted(
        m.user_id
        for m in Membership.objects.filter(
            role=Role.DEPARTMENT_HANDLER,
            is_active=True,
            organisation__kind=OrganisationKind.POLICE_STATION,
            organisation__is_active=True,
        ).select_related("area", "organisation__area")
        if scope.covers(scope._paths_of(m), mediation.area_path)
    )


@MEDIATIONS.action(
    MediationAction.EXTEND,
    label=_l("extended"),
    button=_l("Extend with the parties' consent"),
    rank=7,
    sources=one(S.ACCEPTED, S.MEDIATING),
    targets=frozenset(),
    roles=WORKERS,
    input=ExtendInput,
)
def extend(move: Move, new_due_on: dt.date, consents: dict[int, bool], note: str = "") -> None:
    """The time limit is extended only with every party's recorded consent (domain.md §5)."""
    mediation = move.obj
    parties = list(mediation.parties.values_list("pk", flat=True))
    if len(parties) < 2 or not all(consents.get(pk) for pk in parties):
        raise IllegalMove(_("Every party must consent to an extension."))
    if mediation.due_on is None or new_due_on <= mediation.due_on:
        raise IllegalMove(_("The new due date must be after the present one."))
    old = mediation.due_on
    MediationExtension.objects.create(
        mediation=mediation,
        old_due_on=old,
        new_due_on=new_due_on,
        consents=[{"party": pk, "consent": True} for pk in parties],
        recorded_by=move.user,
    )
    mediation.due_on = new_due_on
    mediation.extended = True
    mediation.warning_notified = ""
    move.save("due_on", "extended", "warning_notified")
    move.event(
        MediationEventKind.EXTENDED,
        note,
        {"from": old.isoformat(), "to": new_due_on.isoformat(), "consents": parties},
    )


@MEDIATIONS.action(
    MediationAction.FLAG_WARNING,
    label=_l("warned"),
    button=_l("Time-limit warning"),
    rank=99,
    sources=RUNNING_STATUSES,
    targets=frozenset(),
    roles=(),
    system=True,
)
def flag_warning(move: Move) -> None:
    """The sweep's move: the case entered a higher warning level (yellow, red, overdue); its
    mediator (else the committee) is told once per level."""
    mediation = move.obj
    level = deadlines.warning_level(mediation, timezone.localdate(move.now))
    told = mediation.warning_notified or Warning.OK
    if WARNING_RANK[Warning(level)] <= WARNING_RANK[Warning(told)]:
        raise IllegalMove(_("No new time-limit warning."))
    mediation.warning_notified = level
    move.save("warning_notified")
    move.event(MediationEventKind.WARNING, data={"level": level})
    current = _current(mediation)
    audience = [current.mediator_id] if current is not None else _committee(mediation)
    text = _("Mediation %(number)s: %(warning)s, due %(day)s.") % {
        "number": mediation.number,
        "warning": Warning(level).label,
        "day": mediation.due_on.isoformat() if mediation.due_on else "",
    }
    move.notify(*message(audience, text, mediation_url(mediation)))


def sweep_warnings(today: dt.date | None = None) -> int:
    """Tell the mediators of running cases that entered a higher warning level (safe to run
    twice: a level already told is skipped). Returns how many were told."""
    from django.conf import settings

    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=settings.MEDIATION_YELLOW_DAYS)
    ids = list(
        MediationCase.objects.running()
        .filter(due_on__lt=horizon)
        .exclude(warning_notified=Warning.OVERDUE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    told = 0
    for mediation in MediationCase.objects.filter(pk__in=ids).order_by("pk"):
        try:
            flag_warning(mediation, acting_user=None)
        except IllegalMove:  # no new level, or moved meanwhile
            continue
        told += 1
    return told


# ---------------------------------------------------------------------------------------------
# Outcome


def _agreement(
    move: Move, kind: str, signed_on: dt.date, performance_due: dt.date | None, **texts: str
) -> MediationAgreement:
    mediation = move.obj
    today = timezone.localdate(move.now)
    if signed_on > today:
        raise IllegalMove(_("The agreement cannot be dated in the future."))
    if mediation.accepted_at is not None and signed_on < timezone.localdate(mediation.accepted_at):
        raise IllegalMove(_("The agreement is dated before the case was accepted."))
    if performance_due is not None and performance_due < signed_on:
        raise IllegalMove(_("Performance cannot be due before the agreement."))
    agreement = MediationAgreement.objects.create(
        mediation=mediation,
        kind=kind,
        level=mediation.level,
        signed_on=signed_on,
        performance_due=performance_due,
        mediator=move.user,
        copies=3 if kind == AgreementKind.WRITTEN else 0,
        **texts,
    )
    MediationFollowUp.objects.create(
        mediation=mediation,
        agreement=agreement,
        due_on=deadlines.follow_up_due(signed_on, performance_due),
    )
    return agreement


@MEDIATIONS.action(
    MediationAction.AGREE_WRITTEN,
    label=_l("agreed"),
    button=_l("Written agreement (调解协议书)"),
    path=3,
    sources=one(S.MEDIATING),
    targets=one(S.AGREED),
    roles=WORKERS,
    guards=(_has_both_sides,),
    input=WrittenAgreementInput,
)
def agree_written(
    move: Move,
    main_facts: str,
    points_in_dispute: str,
    responsibilities: str,
    terms: str,
    performance_method: str,
    signed_on: dt.date,
    performance_due: dt.date | None = None,
) -> None:
    """The written agreement with the contents of 人民调解法 Art. 29; effective when signed."""
    agreement = _agreement(
        move,
        AgreementKind.WRITTEN,
        signed_on,
        performance_due,
        main_facts=_require(main_facts, _("State the main facts.")),
        points_in_dispute=_require(points_in_dispute, _("State the points in dispute.")),
        responsibilities=_require(responsibilities, _("State each party's responsibility.")),
        terms=_require(terms, _("State what was agreed.")),
        performance_method=_require(performance_method, _("State how it is performed.")),
    )
    _conclude(move, "agreed", agreement.terms)
    move.save("concluded_at")
    move.event(
        MediationEventKind.AGREED,
        data=_agreed_data(agreement, move),
    )


@MEDIATIONS.action(
    MediationAction.AGREE_ORAL,
    label=_l("agreed"),
    button=_l("Oral agreement"),
    rank=1,
    sources=one(S.MEDIATING),
    targets=one(S.AGREED),
    roles=WORKERS,
    guards=(_has_both_sides,),
    input=OralAgreementInput,
)
def agree_oral(
    move: Move, terms: str, agreed_on: dt.date, performance_due: dt.date | None = None
) -> None:
    """An oral agreement recorded by the mediator: the terms and the performance deadline."""
    agreement = _agreement(
        move,
        AgreementKind.ORAL,
        agreed_on,
        performance_due,
        terms=_require(terms, _("State what was agreed.")),
    )
    _conclude(move, "agreed", agreement.terms)
    move.save("concluded_at")
    move.event(
        MediationEventKind.AGREED,
        data=_agreed_data(agreement, move),
    )


@MEDIATIONS.action(
    MediationAction.FAIL,
    label=_l("ended without agreement"),
    button=_l("End without agreement"),
    rank=8,
    sources=one(S.ACCEPTED, S.MEDIATING),
    targets=one(S.FAILED),
    roles=WORKERS,
    input=FailInput,
)
def fail(move: Move, reason: str, routes: list[str]) -> None:
    """Mediation is terminated; the parties are told the other routes (arbitration,
    administrative, litigation — 人民调解法 Art. 26)."""
    reason = _require(reason, _("Give the reason."))
    if not routes:
        raise IllegalMove(_("Tell the parties at least one other route."))
    mediation = move.obj
    mediation.end_reason = reason
    mediation.routes_told = list(routes)
    _conclude(move, "failed", reason)
    move.save("end_reason", "routes_told", "concluded_at")
    move.event(
        MediationEventKind.FAILED, reason, {"routes": list(routes), **_timing(mediation, move.now)}
    )


# ---------------------------------------------------------------------------------------------
# Follow-up


@MEDIATIONS.action(
    MediationAction.FOLLOW_UP,
    label=_l("followed up"),
    button=_l("Record a follow-up (回访)"),
    path=4,
    sources=one(S.AGREED),
    targets=frozenset({S.AGREED, S.CLOSED, S.MEDIATING}),
    roles=WORKERS,
    guards=(_follow_up_pending,),
    input=FollowUpInput,
)
def follow_up(move: Move, result: str, next_step: str = "", note: str = "") -> None:
    """Performed: the case is closed. Otherwise: urge (another follow-up in
    MEDIATION_FOLLOW_UP_DAYS), mediate again with the parties' consent (a new month), or advise
    suing (closed)."""
    mediation = move.obj
    pending = mediation.follow_ups.filter(done_at__isnull=True).order_by("due_on", "pk").first()
    assert pending is not None  # the guard
    if result != FollowUpResult.PERFORMED and next_step not in NextStep.values:
        raise IllegalMove(_("Choose the next step when it is not fully performed."))
    pending.done_at = move.now
    pending.done_by = move.user
    pending.result = result
    pending.next_step = "" if result == FollowUpResult.PERFORMED else next_step
    pending.note = _clean(note)
    pending.save()
    today = timezone.localdate(move.now)
    fields: list[str] = []
    if result == FollowUpResult.PERFORMED or next_step == NextStep.ADVISE_SUIT:
        move.move_to(S.CLOSED)
        mediation.closed_at = move.now
        fields.append("closed_at")
    elif next_step == NextStep.URGE:
        MediationFollowUp.objects.create(
            mediation=mediation,
            agreement=pending.agreement,
            due_on=deadlines.follow_up_due(today, None),
        )
    else:  # re-mediation with consent: a new month from today
        move.move_to(S.MEDIATING)
        mediation.due_on = deadlines.due_date(today)
        mediation.concluded_at = None
        mediation.warning_notified = ""
        fields += ["due_on", "concluded_at", "warning_notified"]
    move.save(*fields)
    move.event(
        MediationEventKind.FOLLOWED_UP,
        pending.note,
        {
            "follow_up": pending.pk,
            "agreement": pending.agreement_id,
            "result": result,
            "next_step": pending.next_step,
        },
    )


# ---------------------------------------------------------------------------------------------
# Judicial confirmation


CONFIRMATION_SOURCES = one(S.AGREED, S.CLOSED)


@MEDIATIONS.action(
    MediationAction.APPLY_CONFIRMATION,
    label=_l("applied for judicial confirmation"),
    button=_l("Judicial confirmation: application"),
    rank=10,
    sources=CONFIRMATION_SOURCES,
    targets=frozenset(),
    roles=WORKERS,
    guards=(_confirmable,),
    input=ApplyConfirmationInput,
)
def apply_confirmation(move: Move, applied_on: dt.date, court: str) -> None:
    """The parties apply jointly to the basic court within 30 days of the agreement taking
    effect (人民调解法 Art. 33)."""
    agreement = _written_agreement(move.obj)
    assert agreement is not None  # the guard
    if applied_on < agreement.signed_on:
        raise IllegalMove(_("The application cannot precede the agreement."))
    if applied_on > timezone.localdate(move.now):
        raise IllegalMove(_("The application date cannot be in the future."))
    if applied_on > agreement.confirmation_deadline:
        raise IllegalMove(
            _("Apply for judicial confirmation within 30 days of the agreement (by %(day)s).")
            % {"day": agreement.confirmation_deadline.isoformat()}
        )
    row = JudicialConfirmation.objects.create(
        mediation=move.obj,
        agreement=agreement,
        applied_on=applied_on,
        court=_require(court, _("Name the court.")),
    )
    move.event(
        MediationEventKind.CONFIRMATION_APPLIED,
        data={
            "confirmation": row.pk,
            "agreement": agreement.pk,
            "applied_on": applied_on.isoformat(),
            "court": row.court,
        },
    )


@MEDIATIONS.action(
    MediationAction.RECORD_COURT_ACCEPTANCE,
    label=_l("given the court's decision"),
    button=_l("Judicial confirmation: court's acceptance"),
    rank=11,
    sources=CONFIRMATION_SOURCES,
    targets=frozenset(),
    roles=WORKERS,
    guards=(_awaiting_court_acceptance,),
    input=CourtAcceptanceInput,
)
def record_court_acceptance(
    move: Move, accepted: bool, decided_on: dt.date, note: str = ""
) -> None:
    """The court decides within 3 days whether to accept the application; a later decision is
    recorded as it is, and marked late."""
    row = _confirmation(move.obj)
    assert row is not None  # the guard
    if decided_on < row.applied_on or decided_on > timezone.localdate(move.now):
        raise IllegalMove(_("The decision date must lie between the application and today."))
    row.accepted = accepted
    row.accepted_on = decided_on
    row.note = _clean(note)
    row.save(update_fields=["accepted", "accepted_on", "note"])
    late = (decided_on - row.applied_on).days > 3
    move.event(
        MediationEventKind.CONFIRMATION_ACCEPTANCE,
        row.note,
        {"confirmation": row.pk, "accepted": accepted, "late": late},
    )


@MEDIATIONS.action(
    MediationAction.RECORD_CONFIRMATION_RESULT,
    label=_l("given the court's result"),
    button=_l("Judicial confirmation: result"),
    rank=12,
    sources=CONFIRMATION_SOURCES,
    targets=frozenset(),
    roles=WORKERS,
    guards=(_awaiting_court_result,),
    input=ConfirmationResultInput,
)
def record_confirmation_result(move: Move, result: str, result_on: dt.date, note: str = "") -> None:
    row = _confirmation(move.obj)
    assert row is not None and row.accepted_on is not None  # the guard
    if result_on < row.accepted_on or result_on > timezone.localdate(move.now):
        raise IllegalMove(_("The result date must lie between the acceptance and today."))
    row.result = result
    row.result_on = result_on
    if note.strip():
        row.note = "\n".join(part for part in (row.note, note.strip()) if part)
    row.save(update_fields=["result", "result_on", "note"])
    move.event(
        MediationEventKind.CONFIRMATION_RESULT,
        note,
        {
            "confirmation": row.pk,
            "agreement": row.agreement_id,
            "result": result,
            "result_on": result_on.isoformat(),
        },
    )


__all__ = [
    "ASSIGNED",
    "MEDIATIONS",
    "MediationAction",
    "accept",
    "add_party",
    "add_representative",
    "agree_oral",
    "agree_written",
    "apply_confirmation",
    "assign_mediator",
    "eligible_mediators",
    "escalate",
    "extend",
    "fail",
    "flag_risk",
    "flag_warning",
    "follow_up",
    "not_accept",
    "police_handlers",
    "record_confirmation_result",
    "record_court_acceptance",
    "record_session",
    "recuse",
    "register_mediation",
    "register_referral",
    "sweep_warnings",
]


# ---------------------------------------------------------------------------------------------
# Unmasking a party (audited)


def unmask_party(party: MediationParty, reason: str, *, acting_user: User) -> dict[str, str]:
    """A party's full name, phone and ID number (and their representatives'), for someone who
    may act on the case and gives a reason. Audited either way; shown once, never stored."""
    from django.core.exceptions import PermissionDenied

    from gridgov.audit.models import AuditResult

    reason = _clean(reason)
    mediation = party.mediation
    allowed = bool(MEDIATIONS.relations(acting_user, mediation))
    detail: dict[str, Any] = {"reason": reason[:200]}
    if not allowed or not reason:
        record(
            "mediation.party_unmask",
            actor=acting_user,
            obj=mediation,
            object_repr=mediation.number,
            result=AuditResult.DENIED,
            detail=detail,
        )
        if not reason:
            raise PermissionDenied(_("Give the reason for showing the full details."))
        raise PermissionDenied(_("You may not see these details in full."))
    record(
        "mediation.party_unmask",
        actor=acting_user,
        obj=mediation,
        object_repr=mediation.number,
        detail={**detail, "party": party.pk, "fields": ["name", "phone", "id_number"]},
    )
    return {
        "name": party.name,
        "phone": party.phone,
        "id_number": party.id_number,
        "address": party.address,
    }
