"""Citizen ID numbers (GB 11643-1999) and mobile numbers, pinned by independent references.

The check character comes from `tests/id_reference.py`, which follows the standard's own
definition (ISO 7064 MOD 11-2: the weighted sum over all 18 characters, X counting 10, is 1
modulo 11), never from the code's `check_digit()`. The example numbers are written out
literally: one for each of the 11 check characters, so a swap of any two characters of the
code's table is caught.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from gridgov.core.identity import (
    birth_date_of,
    check_digit,
    check_id_matches,
    normalise_id_number,
    normalise_mobile,
    sex_of,
)
from tests.id_reference import CHECK_CHARACTERS, WEIGHTS, mod11_2_valid, with_check

# One valid number for each check character (region 440106, born 1988-07-20, sequence 003…).
# By hand for the first: 4·7+4·9+0·10+1·5+0·8+6·4+1·2+9·1+8·6+8·3+0·7+7·9+2·10+0·5+0·8+0·4+3·2
# = 265 ≡ 1 (mod 11), so the check character is 0 (265 + 0 ≡ 1).
VALID_BY_CHECK = {
    "0": "440106198807200030",
    "1": "440106198807200081",
    "2": "440106198807200022",
    "3": "440106198807200073",
    "4": "440106198807200014",
    "5": "440106198807200065",
    "6": "440106198807200006",
    "7": "440106198807200057",
    "8": "440106198807200188",
    "9": "440106198807200049",
    "X": "44010619880720009X",
}


def code_of(raw: str | None) -> str | None:
    try:
        normalise_id_number(raw)
    except ValidationError as error:
        return error.code
    return None


def test_the_weights_are_powers_of_two_modulo_11():
    assert [2 ** (18 - i) % 11 for i in range(1, 18)] == list(WEIGHTS)


def test_the_examples_are_valid_by_the_reference():
    assert all(mod11_2_valid(number) for number in VALID_BY_CHECK.values())
    assert mod11_2_valid("11010519491231002X")  # the example printed in GB 11643


@pytest.mark.parametrize("check", list(VALID_BY_CHECK))
def test_every_check_character_is_computed_and_only_it_is_accepted(check):
    number = VALID_BY_CHECK[check]
    assert check_digit(number[:17]) == check
    assert normalise_id_number(number) == number
    for other in CHECK_CHARACTERS.replace(check, ""):
        assert code_of(number[:17] + other) == "id_check_digit", other


def test_a_number_without_zeros_weighs_every_position():
    # 3·7+7·9+1·10+5·5+2·8+2·4+1·2+9·1+7·6+8·3+1·7+1·9+2·10+9·5+4·8+5·4+7·2 = 367 ≡ 4;
    # 367 + 8 = 375 ≡ 1 (mod 11): the check character is 8.
    assert mod11_2_valid("371522197811294578")
    assert check_digit("37152219781129457") == "8"
    assert normalise_id_number("371522197811294578") == "371522197811294578"
    assert code_of("371522197811294579") == "id_check_digit"


def test_a_single_changed_digit_is_caught_in_every_position():
    number = VALID_BY_CHECK["X"]
    for position in range(17):
        digit = str((int(number[position]) + 1) % 10)
        changed = number[:position] + digit + number[position + 1 :]
        if mod11_2_valid(changed):  # pragma: no cover - MOD 11-2 catches every single error
            continue
        assert code_of(changed) in ("id_check_digit", "id_birth_date"), position


def test_input_is_tidied_before_checking():
    assert normalise_id_number("  44010619880720009x ") == "44010619880720009X"
    assert normalise_id_number("440106 19880720 009X") == "44010619880720009X"


def test_a_15_digit_legacy_number_becomes_18_with_the_19xx_year():
    # 440106 880720 009 → 440106 19 880720 009 + check character (X, see VALID_BY_CHECK).
    assert normalise_id_number("440106880720009") == "44010619880720009X"
    assert normalise_id_number("440106880720003") == "440106198807200030"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "id_length"),
        (None, "id_length"),
        ("4401061988072000", "id_length"),  # 16
        ("4401061988072000301", "id_length"),  # 19
        ("44010619880720003", "id_length"),  # 17
        ("4401061988072000A0", "id_format"),
        ("X40106198807200030", "id_format"),
        ("44010619880720003Y", "id_format"),
        ("440106880720X09", "id_length"),  # 15 characters but not digits
    ],
)
def test_malformed_numbers_say_what_is_wrong(raw, code):
    assert code_of(raw) == code


def test_the_check_character_needs_exactly_17_digits():
    with pytest.raises(ValueError):
        check_digit("4401061988072000")  # 16
    with pytest.raises(ValueError):
        check_digit("440106198807200030")  # 18


def test_the_messages_are_plain_and_count_the_characters():
    with translation.override("en"):
        for empty in ("", None, "   "):
            with pytest.raises(ValidationError) as error:
                normalise_id_number(empty)
            assert error.value.messages == [
                "An ID number has 18 characters (or 15 digits for an old card); this has 0."
            ]
        with pytest.raises(ValidationError) as error:
            normalise_id_number("4401061988")
        assert error.value.messages == [
            "An ID number has 18 characters (or 15 digits for an old card); this has 10."
        ]
        with pytest.raises(ValidationError) as error:
            normalise_id_number("4401061988072000A0")
        assert error.value.messages == ["An ID number is 17 digits followed by a digit or X."]
        with pytest.raises(ValidationError) as error:
            normalise_id_number("440106198807200031")
        assert error.value.messages == [
            "The ID number's check digit is wrong: please check every digit."
        ]
        with pytest.raises(ValidationError) as error:
            normalise_id_number(with_check("44010619881320003"))
        assert error.value.messages == ["The ID number does not contain a valid birth date."]
    with translation.override("zh-hans"), pytest.raises(ValidationError) as error:
        normalise_id_number("440106198807200031")
    assert error.value.messages == ["公民身份号码校验位不正确，请逐位核对。"]


@pytest.mark.parametrize(
    ("born", "valid"),
    [
        ("18891231", False),
        ("18900101", True),
        ("19000229", False),  # 1900 was not a leap year
        ("20000229", True),
        ("19881301", False),
        ("19880001", False),
        ("19880732", False),
        ("19880700", False),
        ("20990101", False),  # in the future
    ],
)
def test_birth_dates_inside_the_number(born, valid):
    number = with_check(f"440106{born}003")
    expected = dt.date(int(born[:4]), int(born[4:6]), int(born[6:])) if valid else None
    assert birth_date_of(number) == expected
    assert code_of(number) == (None if valid else "id_birth_date")


def test_born_today_is_accepted_and_born_tomorrow_is_refused():
    today = timezone.localdate()  # the date in China, whatever the server's clock zone
    tomorrow = today + dt.timedelta(days=1)
    born_today = with_check(f"440106{today:%Y%m%d}003")
    born_tomorrow = with_check(f"440106{tomorrow:%Y%m%d}003")
    assert birth_date_of(born_today) == today
    assert normalise_id_number(born_today) == born_today
    assert birth_date_of(born_tomorrow) is None
    assert code_of(born_tomorrow) == "id_birth_date"


def test_the_birth_date_follows_china_time_not_the_servers_clock(monkeypatch):
    """At 01:00 in Beijing it is still yesterday in UTC: a baby born today is valid."""
    now = dt.datetime(2026, 3, 1, 17, 0, tzinfo=dt.UTC)  # 2026-03-02 01:00 in Beijing
    monkeypatch.setattr(timezone, "now", lambda: now)
    assert birth_date_of(with_check("44010620260302003")) == dt.date(2026, 3, 2)
    assert birth_date_of(with_check("44010620260303003")) is None


@pytest.mark.parametrize(
    ("number", "sex"),
    [
        ("440106198807200030", "male"),  # 17th digit 3
        ("440106198807200014", "male"),  # 1
        ("44010619880720009X", "male"),  # 9
        ("440106198807200188", "female"),  # 8
        ("440106198807200006", "female"),  # 0
    ],
)
def test_sex_is_odd_male_even_female_in_the_17th_digit(number, sex):
    assert sex_of(number) == sex


def test_birth_date_and_sex_given_must_match_the_number():
    number = VALID_BY_CHECK["0"]  # born 1988-07-20, male
    check_id_matches(number, dt.date(1988, 7, 20), "male")
    check_id_matches(number, None, None)
    check_id_matches(number, None, "")
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            check_id_matches(number, dt.date(1988, 7, 21), "male")
        assert error.value.code == "id_birth_mismatch"
        assert error.value.messages == [
            "The birth date does not match the one in the ID number (1988-07-20)."
        ]
        with pytest.raises(ValidationError) as error:
            check_id_matches(number, dt.date(1988, 7, 20), "female")
        assert error.value.code == "id_sex_mismatch"
        assert error.value.messages == ["The sex does not match the ID number."]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13912345678", "13912345678"),
        ("+86 139-1234-5678", "13912345678"),
        ("+8613912345678", "13912345678"),
        ("008613912345678", "13912345678"),
        ("0086 139 1234 5678", "13912345678"),
        ("(139) 1234-5678", "13912345678"),
        ("13012345678", "13012345678"),
        ("15912345678", "15912345678"),
        ("19912345678", "19912345678"),
    ],
)
def test_mobile_numbers_are_tidied(raw, expected):
    assert normalise_mobile(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "",
        None,
        "1391234567",  # 10 digits
        "139123456789",  # 12 digits
        "10912345678",
        "11912345678",
        "12912345678",
        "23912345678",
        "+8713912345678",
        "86013912345678",
        "1391234567a",
        "电话",
    ],
)
def test_other_mobile_numbers_are_refused_with_a_message(raw):
    with translation.override("en"), pytest.raises(ValidationError) as error:
        normalise_mobile(raw)
    assert error.value.code == "phone_format"
    assert error.value.messages == ["Enter an 11-digit mobile number starting with 13–19."]
