"""Two-factor sign-in (TOTP, RFC 6238) for staff, with one-time recovery codes (django-otp).

Staff (every role but resident) who signed in with a password must also give a code from an
authenticator app before anything else; the first time, they enrol one. Ten recovery codes are
shown once at enrolment; each works once. A security administrator can reset a user's devices.
"""

from __future__ import annotations

import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.db import transaction
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODES = 10


def requires_two_factor(user: Any) -> bool:
    return bool(
        settings.STAFF_TWO_FACTOR
        and user.is_authenticated
        and (user.is_superuser or user.is_staff_member)
    )


def is_enrolled(user: Any) -> bool:
    return user_has_device(user, confirmed=True)


def pending_device(user: Any) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (one per user, made on first use)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    out = io.BytesIO()
    image.save(out)
    return out.getvalue().decode()


@transaction.atomic
def confirm(device: TOTPDevice) -> list[str]:
    """Confirm the authenticator; replace the user's recovery codes; return the new codes."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    static, _created = StaticDevice.objects.get_or_create(
        user=device.user, name="recovery", defaults={"confirmed": True}
    )
    static.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    return codes


def reset(user: Any) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
