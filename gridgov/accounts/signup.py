"""Resident sign-up with a phone number, a code by SMS, and a password."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gridgov.accounts.choices import Role
from gridgov.accounts.models import Membership, PhoneVerification, User
from gridgov.accounts.sms import send_sms
from gridgov.core.crypto import blind_index
from gridgov.geo.models import Area

CODE_TTL = dt.timedelta(minutes=10)
RESEND_AFTER = dt.timedelta(seconds=60)
MAX_ATTEMPTS = 5


class SignupError(Exception):
    """A refusal with a message for the user."""


def send_code(phone: str) -> None:
    index = blind_index(phone)
    if User.objects.filter(phone_index=index).exists():
        raise SignupError(_("This mobile number already has an account: log in instead."))
    last = PhoneVerification.objects.filter(phone_index=index).first()
    if last and timezone.now() - last.created_at < RESEND_AFTER:
        raise SignupError(_("A code was sent less than a minute ago. Please wait."))
    code = f"{secrets.randbelow(10**6):06d}"
    PhoneVerification.objects.create(phone_index=index, code_hash=blind_index(f"{phone}:{code}"))
    send_sms(phone, _("Your GridGov sign-up code is %(code)s (valid 10 minutes).") % {"code": code})


def check_code(phone: str, code: str) -> PhoneVerification:
    index = blind_index(phone)
    verification = PhoneVerification.objects.filter(
        phone_index=index, used_at=None, created_at__gte=timezone.now() - CODE_TTL
    ).first()
    if verification is None:
        raise SignupError(_("The code has expired. Ask for a new one."))
    if verification.attempts >= MAX_ATTEMPTS:
        raise SignupError(_("Too many wrong codes. Ask for a new one."))
    if verification.code_hash != blind_index(f"{phone}:{code.strip()}"):
        PhoneVerification.objects.filter(pk=verification.pk).update(
            attempts=verification.attempts + 1
        )
        raise SignupError(_("The code is wrong."))
    return verification


def register_resident(
    *, phone: str, code: str, password: str, full_name: str, community: Area
) -> User:
    verification = check_code(phone, code)  # outside the transaction: wrong tries must count
    return _create_resident(phone, password, full_name, community, verification)


@transaction.atomic
def _create_resident(
    phone: str, password: str, full_name: str, community: Area, verification: PhoneVerification
) -> User:
    if User.objects.filter(phone_index=blind_index(phone)).exists():
        raise SignupError(_("This mobile number already has an account: log in instead."))
    user = User(username=f"r{phone}", full_name=full_name.strip())
    user.phone = phone
    user.set_password(password)
    user.save()
    Membership.objects.create(user=user, role=Role.RESIDENT, area=community)
    PhoneVerification.objects.filter(pk=verification.pk).update(used_at=timezone.now())
    return user
