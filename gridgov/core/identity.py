"""Citizen ID numbers (公民身份号码, GB 11643-1999) and mainland mobile numbers.

Each check raises `ValidationError` with a localized message that says what is wrong, so that a
form, an API input and an Excel import row all report the same thing.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID18 = re.compile(r"^\d{17}[\dX]$")
_ID15 = re.compile(r"^\d{15}$")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def check_digit(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits (ISO 7064 MOD 11-2)."""
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalise_id_number(raw: str) -> str:
    """Return the 18-character ID number, converting a 15-digit legacy number (born 19xx).

    Raises ValidationError for anything else, naming the problem.
    """
    value = (raw or "").strip().upper().replace(" ", "")
    if _ID15.match(value):
        # Legacy numbers (before 1999) have a 2-digit year of the 1900s and no check digit.
        value = value[:6] + "19" + value[6:]
        value += check_digit(value)
    if len(value) != 18:
        raise ValidationError(
            _("An ID number has 18 characters (or 15 digits for an old card); this has %(n)d.")
            % {"n": len(value)},
            code="id_length",
        )
    if not _ID18.match(value):
        raise ValidationError(
            _("An ID number is 17 digits followed by a digit or X."), code="id_format"
        )
    if check_digit(value[:17]) != value[17]:
        raise ValidationError(
            _("The ID number's check digit is wrong: please check every digit."),
            code="id_check_digit",
        )
    if birth_date_of(value) is None:
        raise ValidationError(
            _("The ID number does not contain a valid birth date."), code="id_birth_date"
        )
    return value


def birth_date_of(id_number: str) -> dt.date | None:
    try:
        born = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None
    return born if dt.date(1890, 1, 1) <= born <= timezone.localdate() else None


def sex_of(id_number: str) -> str:
    """'male' or 'female' from the 17th digit (odd is male)."""
    return "male" if int(id_number[16]) % 2 else "female"


def check_id_matches(id_number: str, birth_date: dt.date | None, sex: str | None) -> None:
    """The birth date and sex given must be the ones inside the ID number."""
    if birth_date is not None and birth_date_of(id_number) != birth_date:
        raise ValidationError(
            _("The birth date does not match the one in the ID number (%(date)s).")
            % {"date": birth_date_of(id_number)},
            code="id_birth_mismatch",
        )
    if sex and sex != sex_of(id_number):
        raise ValidationError(_("The sex does not match the ID number."), code="id_sex_mismatch")


def normalise_mobile(raw: str) -> str:
    """A mainland mobile number: 11 digits starting 13–19; +86 and separators are dropped."""
    value = re.sub(r"[\s\-()]", "", raw or "")
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    if not _MOBILE.match(value):
        raise ValidationError(
            _("Enter an 11-digit mobile number starting with 13–19."), code="phone_format"
        )
    return value
