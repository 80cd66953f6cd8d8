"""Masking of personal data (domain.md §8), every length written out by hand: a short value must
never come out readable, and a long one keeps exactly the characters the rule names."""

from __future__ import annotations

import pytest

from gridgov.core.masking import mask_id_number, mask_name, mask_phone, mask_text


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("", ""),
        ("1", "*"),
        ("12", "**"),
        ("123", "***"),
        ("1234", "****"),
        ("1234567", "*******"),  # 7: keeping 3 + 4 would show it all
        ("12345678", "123*5678"),
        ("13912345678", "139****5678"),
        ("008613912345678", "008********5678"),
    ],
)
def test_phone_keeps_the_first_3_and_last_4_only_when_something_is_hidden(phone, masked):
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("name", "masked"),
    [("", ""), ("张", "张**"), ("张三", "张**"), ("欧阳修远", "欧**"), ("Li Lei", "L**")],
)
def test_name_keeps_the_first_character(name, masked):
    assert mask_name(name) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("", ""),
        ("1", "*"),
        ("12", "**"),
        ("123", "1*3"),
        ("1234", "1**4"),
        ("11010519491231002X", "1****************X"),
    ],
)
def test_id_number_keeps_first_and_last_character(number, masked):
    assert mask_id_number(number) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("", ""),
        ("1", "*"),
        ("123", "***"),
        ("123456789", "*********"),
        ("1234567890", "**********"),  # 10 = 6 + 4: nothing would be hidden
        ("12345678901", "123456*8901"),
        ("11010519491231002X", "110105********002X"),
    ],
)
def test_wide_id_number_keeps_first_6_and_last_4(number, masked):
    assert mask_id_number(number, wide=True) == masked


@pytest.mark.parametrize(
    ("text", "masked"), [("", ""), ("x", "******"), ("高血压，糖尿病", "******")]
)
def test_free_text_is_hidden_whole(text, masked):
    assert mask_text(text) == masked
