"""The printed documents of a mediation case (A4 PDFs through `gridgov.core.pdf`):

- the written agreement (调解协议书) with exactly the contents of 人民调解法 Art. 29, places for
  each party's signature and fingerprint, the mediator's signature, the committee's seal and the
  date, and the three-copies note;
- a session's transcript (调解笔录);
- the case file (一案一卷): cover, contents, then every document in order.

Personal data (ADR 0017): names in full (these are records of the case, only for those with
access, every download audited); phones masked everywhere; ID numbers in full only on the
agreement (the parties sign it and a court confirming it needs them), masked elsewhere —
including the agreement's copy inside the case file.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.accounts.choices import OrganisationKind
from gridgov.accounts.models import Organisation
from gridgov.core.masking import mask_id_number, mask_phone
from gridgov.core.pdf import render_pdf
from gridgov.mediation.choices import (
    AgreementKind,
    MediationEventKind,
    PartySide,
    Route,
)
from gridgov.mediation.models import (
    MediationAgreement,
    MediationCase,
    MediationEvent,
    MediationParty,
    MediationSession,
    SessionStatement,
)


class DocumentKind:
    """The documents one may download; the value is recorded in the audit row."""

    AGREEMENT = "agreement"
    TRANSCRIPT = "transcript"
    CASE_FILE = "case_file"


@dataclass(frozen=True)
class PartyLine:
    """A party as a document prints it."""

    side: str
    name: str
    id_number: str
    phone: str
    address: str
    representatives: list[str]


def committee_name(mediation: MediationCase) -> str:
    """The people's mediation committee of the case's community (or its name by convention)."""
    committee = (
        Organisation.objects.filter(
            kind=OrganisationKind.MEDIATION_COMMITTEE,
            is_active=True,
            area_id=mediation.community_id,
        )
        .order_by("pk")
        .first()
    )
    if committee is not None:
        return committee.name
    return _("%(community)s People's Mediation Committee") % {"community": mediation.community.name}


def party_lines(parties: Iterable[MediationParty], *, full_ids: bool) -> list[PartyLine]:
    lines = []
    for party in parties:
        reps = [f"{rep.name}（{rep.relation}）" for rep in party.representatives.all()]
        lines.append(
            PartyLine(
                side=str(PartySide(party.side).label),
                name=party.name,
                id_number=party.id_number if full_ids else mask_id_number(party.id_number),
                phone=mask_phone(party.phone) if party.phone else "",
                address=party.address,
                representatives=reps,
            )
        )
    return lines


def _load(pk: int) -> MediationCase:
    """The case with everything its documents print, in a fixed number of queries."""
    return (
        MediationCase.objects.select_related("community", "grid", "area", "case", "registered_by")
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=MediationParty.objects.prefetch_related("representatives"),
            ),
            Prefetch(
                "sessions",
                queryset=MediationSession.objects.select_related("recorded_by").prefetch_related(
                    Prefetch(
                        "statements", queryset=SessionStatement.objects.select_related("party")
                    )
                ),
            ),
            Prefetch(
                "agreements",
                queryset=MediationAgreement.objects.select_related("mediator").prefetch_related(
                    "follow_ups__done_by"
                ),
            ),
            "assignments__mediator",
            "confirmations",
            "extensions",
            Prefetch("events", queryset=MediationEvent.objects.select_related("actor")),
        )
        .get(pk=pk)
    )


def _events(mediation: MediationCase, *kinds: str) -> list[MediationEvent]:
    return [e for e in mediation.events.all() if e.kind in kinds]


def _base_context(mediation: MediationCase) -> dict[str, Any]:
    return {
        "mediation": mediation,
        "committee": committee_name(mediation),
        "printed_at": timezone.localtime(),
    }


def agreement_context(
    mediation: MediationCase, agreement: MediationAgreement, *, full_ids: bool
) -> dict[str, Any]:
    parties = list(mediation.parties.all())
    return {
        "agreement": agreement,
        "applicants": party_lines(
            [p for p in parties if p.side == PartySide.APPLICANT], full_ids=full_ids
        ),
        "respondents": party_lines(
            [p for p in parties if p.side == PartySide.RESPONDENT], full_ids=full_ids
        ),
        "signing_parties": party_lines(parties, full_ids=False),
    }


def transcript_context(mediation: MediationCase, session: MediationSession) -> dict[str, Any]:
    return {
        "session": session,
        "statements": list(session.statements.all()),
        "parties": party_lines(mediation.parties.all(), full_ids=False),
    }


def agreement_pdf(
    mediation: MediationCase, agreement_pk: int, *, request: HttpRequest | None = None
) -> bytes:
    """The 调解协议书 of a written agreement (LookupError when there is no such agreement)."""
    mediation = _load(mediation.pk)
    agreement = next(
        (
            a
            for a in mediation.agreements.all()
            if a.pk == agreement_pk and a.kind == AgreementKind.WRITTEN
        ),
        None,
    )
    if agreement is None:
        raise LookupError(agreement_pk)
    context = {**_base_context(mediation), **agreement_context(mediation, agreement, full_ids=True)}
    return render_pdf("mediation/pdf/agreement.html", context, request=request)


def transcript_pdf(
    mediation: MediationCase, session_pk: int, *, request: HttpRequest | None = None
) -> bytes:
    """The 调解笔录 of one session (LookupError when the case has no such session)."""
    mediation = _load(mediation.pk)
    session = next((s for s in mediation.sessions.all() if s.pk == session_pk), None)
    if session is None:
        raise LookupError(session_pk)
    context = {**_base_context(mediation), **transcript_context(mediation, session)}
    return render_pdf("mediation/pdf/transcript.html", context, request=request)


def case_file_context(mediation: MediationCase) -> dict[str, Any]:
    """Every document of the case in order, each with its anchor for the contents."""
    sections: list[dict[str, Any]] = [
        {
            "id": "registration",
            "title": _("Registration form (登记表)"),
            "template": "registration",
        },
        {"id": "acceptance", "title": _("Acceptance record"), "template": "acceptance"},
    ]
    moves = _events(
        mediation,
        MediationEventKind.MEDIATOR_ASSIGNED,
        MediationEventKind.RECUSED,
        MediationEventKind.ESCALATED,
        MediationEventKind.EXTENDED,
        MediationEventKind.RISK_FLAGGED,
    )
    if moves:
        sections.append(
            {
                "id": "escalations",
                "title": _("Mediators, escalations and time limit"),
                "template": "escalations",
                "events": moves,
            }
        )
    for n, session in enumerate(mediation.sessions.all(), start=1):
        sections.append(
            {
                "id": f"session-{session.pk}",
                "title": _("Transcript %(n)s (调解笔录), %(day)s")
                % {"n": n, "day": timezone.localtime(session.held_at).date().isoformat()},
                "template": "transcript",
                **transcript_context(mediation, session),
            }
        )
    for agreement in mediation.agreements.all():
        title = (
            _("Written agreement (调解协议书)")
            if agreement.kind == AgreementKind.WRITTEN
            else _("Record of an oral agreement")
        )
        sections.append(
            {
                "id": f"agreement-{agreement.pk}",
                "title": title,
                "template": "agreement",
                **agreement_context(mediation, agreement, full_ids=False),
            }
        )
    failed = _events(mediation, MediationEventKind.FAILED, MediationEventKind.NOT_ACCEPTED)
    if failed:
        sections.append(
            {
                "id": "failure",
                "title": _("Record of termination"),
                "template": "failure",
                "events": failed,
                "routes": [str(Route(r).label) for r in mediation.routes_told if r in Route.values],
            }
        )
    follow_ups = [f for a in mediation.agreements.all() for f in a.follow_ups.all()]
    if follow_ups:
        sections.append(
            {
                "id": "follow-ups",
                "title": _("Follow-up records (回访记录)"),
                "template": "follow_ups",
                "follow_ups": sorted(follow_ups, key=lambda f: (f.due_on, f.pk)),
            }
        )
    confirmations = list(mediation.confirmations.all())
    if confirmations:
        sections.append(
            {
                "id": "confirmation",
                "title": _("Judicial confirmation record"),
                "template": "confirmation",
                "confirmations": confirmations,
            }
        )
    sections.append({"id": "history", "title": _("Case history"), "template": "history"})
    accepted = _events(mediation, MediationEventKind.ACCEPTED, MediationEventKind.NOT_ACCEPTED)
    return {
        **_base_context(mediation),
        "sections": sections,
        "parties": party_lines(mediation.parties.all(), full_ids=False),
        "acceptance_events": accepted,
        "extensions": list(mediation.extensions.all()),
        "assignments": list(mediation.assignments.all()),
        "events": list(mediation.events.all()),
    }


def case_file_pdf(mediation: MediationCase, *, request: HttpRequest | None = None) -> bytes:
    """The whole file (一案一卷) as one PDF."""
    mediation = _load(mediation.pk)
    return render_pdf("mediation/pdf/case_file.html", case_file_context(mediation), request=request)
