import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from gridgov.core.identity import (
    check_digit,
    check_id_matches,
    normalise_id_number,
    normalise_mobile,
)
from gridgov.core.masking import mask_id_number
from tests.id_reference import with_check

# A published GB 11643 example: 11010519491231002X.
EXAMPLE = "11010519491231002X"


def test_check_digit_of_the_standard_example():
    assert check_digit(EXAMPLE[:17]) == "X"
    assert normalise_id_number(EXAMPLE.lower()) == EXAMPLE


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("110105194912310021", "id_check_digit"),
        ("11010519491231002", "id_length"),
        ("1101051949123100AX", "id_format"),
        ("110105194913310029", "id_birth_date"),
    ],
)
def test_bad_id_numbers_are_refused_with_their_reason(raw, code):
    first17 = raw[:17]
    if code == "id_birth_date":
        raw = with_check(first17)  # the reference, not the code under test
    with pytest.raises(ValidationError) as error:
        normalise_id_number(raw)
    assert error.value.code == code


def test_a_15_digit_legacy_number_is_converted():
    # 15 digits: region 110105, born 491231, sequence 002 → 18 digits with 19 and a check digit.
    assert normalise_id_number("110105491231002") == EXAMPLE


def test_birth_date_and_sex_must_match_the_id_number():
    check_id_matches(EXAMPLE, dt.date(1949, 12, 31), "female")
    with pytest.raises(ValidationError):
        check_id_matches(EXAMPLE, dt.date(1950, 1, 1), None)
    with pytest.raises(ValidationError):
        check_id_matches(EXAMPLE, None, "male")


def test_mobile_numbers():
    assert normalise_mobile("+86 139-1234-5678") == "13912345678"
    for bad in ("1391234567", "12912345678", "电话"):
        with pytest.raises(ValidationError):
            normalise_mobile(bad)


def test_id_masks():
    assert mask_id_number(EXAMPLE) == "1" + "*" * 16 + "X"
    assert mask_id_number(EXAMPLE, wide=True) == "110105********002X"
