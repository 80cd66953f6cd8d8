"""Helpers for the mediation tests: more personas on top of `world`, a registered dispute, and
moves along the path through the real actions."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gridgov.accounts.choices import OrganisationKind, Role
from gridgov.geo.choices import AreaKind
from gridgov.mediation import actions
from gridgov.mediation.models import MediationCase
from tests.factories import AreaFactory, MembershipFactory, OrganisationFactory, UserFactory

APPLICANT = {"side": "applicant", "name": "李建国", "phone": "13900001111", "id_number": ""}
RESPONDENT = {"side": "respondent", "name": "赵小红", "phone": "13800002222", "id_number": ""}


def add_personas(world) -> None:
    """A police station over the street with a handler; a second people's mediator of the same
    committee; a mediator of the other community's committee; a judicial officer of another
    street. Each is a persona of `client_for`."""
    people = world.people
    police = OrganisationFactory(
        code="LY-PCS", name="梨园派出所", kind=OrganisationKind.POLICE_STATION, area=world.street
    )
    world.police = police
    committee_b = OrganisationFactory(
        code="HD-TWH",
        name="河东调委会",
        kind=OrganisationKind.MEDIATION_COMMITTEE,
        area=world.community_b,
    )

    def persona(username, role, **where):
        user = UserFactory(username=username)
        MembershipFactory(user=user, role=role, **where)
        setattr(people, username, user)
        return user

    persona("police", Role.DEPARTMENT_HANDLER, organisation=police)
    persona("mediator2", Role.MEDIATOR, organisation=world.committee)
    persona("mediator_b", Role.MEDIATOR, organisation=committee_b)
    other_street = AreaFactory(
        kind=AreaKind.STREET, code="222405002", name="东城街道", parent=world.city
    )
    other_office = OrganisationFactory(
        code="DC-SFS", name="东城司法所", kind=OrganisationKind.JUDICIAL_OFFICE, area=other_street
    )
    persona("judicial_b", Role.JUDICIAL_OFFICER, organisation=other_office)


def register(world, *, by=None, area=None, parties=(APPLICANT, RESPONDENT), **extra):
    fields = {
        "source": "written",
        "dispute_type": "neighbour",
        "title": "楼上漏水纠纷",
        "summary": "5楼卫生间漏水，4楼天花板受损，双方对赔偿有争议。",
        "parties": list(parties),
    }
    fields.update(extra)
    return actions.register_mediation(
        acting_user=by or world.people.mediator, area=area or world.grid_a, **fields
    )


def session(world, mediation: MediationCase, *, by=None, rights=True) -> MediationCase:
    parties = list(mediation.parties.all())
    return actions.record_session(
        mediation,
        acting_user=by or world.people.worker_a,
        held_at=timezone.now() - dt.timedelta(minutes=30),
        place="河西社区调解室",
        attendees="双方当事人、网格员",
        rights_explained=rights,
        rights_text="standard" if rights else "",
        evidence="现场照片",
        outcome="双方陈述意见",
        statements={p.pk: (f"{p.side} 陈述", True) for p in parties},
    )


def written_agreement(world, mediation: MediationCase, *, by=None, **extra) -> MediationCase:
    fields = {
        "main_facts": "5楼卫生间防水层老化导致漏水。",
        "points_in_dispute": "维修费用和赔偿金额。",
        "responsibilities": "5楼住户承担主要责任。",
        "terms": "5楼住户赔偿4楼住户2000元并修复防水层。",
        "performance_method": "现金一次性支付，防水由物业监督施工。",
        "signed_on": timezone.localdate(),
        "performance_due": timezone.localdate() + dt.timedelta(days=10),
    }
    fields.update(extra)
    return actions.agree_written(mediation, acting_user=by or world.people.mediator, **fields)


def accepted(world, **extra) -> MediationCase:
    mediation = register(world, **extra)
    return actions.accept(mediation, acting_user=world.people.worker_a)


def mediating(world, **extra) -> MediationCase:
    return session(world, accepted(world, **extra))


def agreed(world, **extra) -> MediationCase:
    return written_agreement(world, mediating(world, **extra))
