"""Who hears of a case's move, as outbox messages (delivered after commit by Celery)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from gridgov.accounts.choices import OrganisationKind, Role
from gridgov.accounts.models import Membership
from gridgov.cases.choices import Status
from gridgov.cases.models import Case
from gridgov.inbox.services import message
from gridgov.lifecycle import Move

RATING_EMAIL = "cases.rating_email"
RATING_SMS = "cases.rating_sms"


def owner_audience(case: Case) -> set[int]:
    """The people of the case's owner (and the grid worker when it is theirs to verify)."""
    roles: dict[str, list[str]] = {
        OrganisationKind.COMMUNITY_OFFICE: [Role.COMMUNITY_STAFF],
        OrganisationKind.STREET_OFFICE: [Role.STREET_DISPATCHER],
    }
    wanted = roles.get(case.owner.kind, [Role.DEPARTMENT_HANDLER])
    users = set(
        Membership.objects.filter(
            organisation_id=case.owner_id, role__in=wanted, is_active=True
        ).values_list("user_id", flat=True)
    )
    if case.status == Status.RESOLVED and case.grid_id:
        users |= set(
            Membership.objects.filter(
                area_id=case.grid_id, role=Role.GRID_WORKER, is_active=True
            ).values_list("user_id", flat=True)
        )
    return users


def case_url(case: Case) -> str:
    return reverse("cases:detail", args=[case.number])


def tell_owner(move: Move, text: str) -> None:
    """Address the message now (to whoever owns the case after the move)."""
    move.notify(*message(owner_audience(move.obj), text, case_url(move.obj)))


def tell_street(move: Move, text: str) -> None:
    """The street dispatchers who approve the case's requests (an extension asked for)."""
    from gridgov.cases.actions._common import street_office

    office = street_office(move.obj)
    users = Membership.objects.filter(
        organisation_id=office.pk, role=Role.STREET_DISPATCHER, is_active=True
    ).values_list("user_id", flat=True)
    move.notify(*message(set(users), text, case_url(move.obj)))


def tell_reporter(move: Move, text: str) -> None:
    """An in-app note to a reporter with an account that their case moved."""
    if move.obj.reporter_user_id is not None:
        move.notify(*message([move.obj.reporter_user_id], text, case_url(move.obj)))


def ask_reporter_to_rate(move: Move) -> None:
    """A resolved case asks its reporter for a rating on every channel we have for them: in the
    app, by email when the account has an address, by SMS (with the tracking code of an
    anonymous report). One outbox row per channel, so each is retried on its own. The address
    and the phone are read at delivery, never copied into the row."""
    case = move.obj
    text = _("Your case %(number)s was resolved: please rate it.") % {"number": case.number}
    if case.reporter_user_id is not None:
        move.notify(*message([case.reporter_user_id], text, case_url(case)))
        move.notify(RATING_EMAIL, {"case_id": case.pk})
    if case.reporter_phone_encrypted:
        move.notify(RATING_SMS, {"case_id": case.pk})


def _resolved_text(case: Case) -> str:
    return _("Your case %(number)s was resolved: please rate it.") % {"number": case.number}


def send_rating_email(payload: dict[str, Any]) -> bool:
    """Outbox handler: the email asking for a rating, if the reporter's account has an address."""
    from django.core.mail import send_mail

    case = Case.objects.select_related("reporter_user").get(pk=payload["case_id"])
    user = case.reporter_user
    if user is None or not user.email:
        return False
    send_mail(_("GridGov: your case was resolved"), _resolved_text(case), None, [user.email])
    return True


def send_rating_sms(payload: dict[str, Any]) -> bool:
    """Outbox handler: the text message asking for a rating; a gateway error is retried."""
    from gridgov.accounts.sms import send_sms

    case = Case.objects.get(pk=payload["case_id"])
    phone = case.reporter_phone
    if not phone:
        return False
    text = _resolved_text(case)
    if case.tracking_code:
        text += " " + _("Tracking code: %(code)s") % {"code": case.tracking_code}
    send_sms(
        phone,
        text,
        template="case_resolved",
        params={"number": case.number, "code": case.tracking_code},
    )
    return True
