"""Resident sign-up with a phone number, a code by SMS, and a password.

The page answers the same whether or not the number already has an account: the owner of a
registered number gets a text saying so (and no usable code), so the form tells a stranger
nothing. Every code check spends one of its five tries first, with an atomic
`UPDATE … SET attempts = attempts + 1 WHERE attempts < 5`, so concurrent guesses cannot get
more than five comparisons.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.db.models import F
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
    """Text a code to the number (or, if it has an account, a note saying so)."""
    index = blind_index(phone)
    last = PhoneVerification.objects.filter(phone_index=index).first()
    if last and timezone.now() - last.created_at < RESEND_AFTER:
        raise SignupError(_("A code was sent less than a minute ago. Please wait."))
    code = f"{secrets.randbelow(10**6):06d}"
    if User.objects.filter(phone_index=index).exists():
        # Same row, same page, same timing; the hash matches no code, the text says why.
        PhoneVerification.objects.create(phone_index=index, code_hash=secrets.token_hex(32))
        send_sms(
            phone,
            _(
                "Someone asked to sign up to GridGov with this number, which already has an "
                "account. Log in with your number and password; if it was not you, ignore this."
            ),
            template="account_exists",
        )
        return
    PhoneVerification.objects.create(phone_index=index, code_hash=blind_index(f"{phone}:{code}"))
    send_sms(
        phone,
        _("Your GridGov sign-up code is %(code)s (valid 10 minutes).") % {"code": code},
        template="signup_code",
        params={"code": code},
    )


def check_code(phone: str, code: str) -> PhoneVerification:
    index = blind_index(phone)
    verification = PhoneVerification.objects.filter(
        phone_index=index, used_at=None, created_at__gte=timezone.now() - CODE_TTL
    ).first()
    if verification is None:
        raise SignupError(_("The code has expired. Ask for a new one."))
    # Spend a try before comparing: one atomic UPDATE, so no two requests share a try.
    spent = PhoneVerification.objects.filter(pk=verification.pk, attempts__lt=MAX_ATTEMPTS).update(
        attempts=F("attempts") + 1
    )
    if not spent:
        raise SignupError(_("Too many wrong codes. Ask for a new one."))
    if not secrets.compare_digest(verification.code_hash, blind_index(f"{phone}:{code.strip()}")):
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
    # Only the holder of a real code gets here; a registered number never receives one.
    claimed = PhoneVerification.objects.filter(pk=verification.pk, used_at=None).update(
        used_at=timezone.now()
    )
    if not claimed or User.objects.filter(phone_index=blind_index(phone)).exists():
        raise SignupError(_("The code has expired. Ask for a new one."))
    user = User(username=f"r{phone}", full_name=full_name.strip())
    user.phone = phone
    user.set_password(password)
    user.save()
    Membership.objects.create(user=user, role=Role.RESIDENT, area=community)
    return user
