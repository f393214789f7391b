"""CPR numbers: ten digits and a real date; century and gender derived; modulus 11 ignored."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from brobygger.cpr import CprError, age_band, parse_cpr, redact


def test_it_accepts_a_number_with_or_without_the_dash():
    assert parse_cpr("010290-1234") == parse_cpr("0102901234")


def test_it_accepts_a_number_that_fails_the_old_modulus_11_check():
    # 0102901234: weights 4327654321 give 4+3+0+14+54+0+4+6+6+4 = 95, not divisible by 11
    assert parse_cpr("0102901234").birth_date == dt.date(1990, 2, 1)


@pytest.mark.parametrize("text", ["", "01029012", "010290-12345", "01029O1234", "0102-901234"])
def test_it_refuses_anything_but_ten_digits(text):
    with pytest.raises(CprError) as info:
        parse_cpr(text)
    assert info.value.code == "shape"


@pytest.mark.parametrize("text", ["3102901234", "0013901234", "2902011234"])
def test_it_refuses_a_date_that_does_not_exist(text):
    with pytest.raises(CprError) as info:
        parse_cpr(text)
    assert info.value.code == "date"


@pytest.mark.parametrize(
    ("digits", "year"),
    [
        ("0101000000", 1900), ("0101993000", 1999),
        ("0101364000", 2036), ("0101374000", 1937),
        ("0101579000", 1957), ("0101365000", 2036),
        ("0101575000", 2057), ("0101585000", 1858),
        ("0101008000", 2000), ("0101998000", 1899),
    ],
)
def test_it_reads_the_century_from_the_seventh_digit(digits, year):
    assert parse_cpr(digits).birth_year == year


def test_it_derives_gender_from_the_last_digit():
    assert parse_cpr("0102901233").gender == "male"
    assert parse_cpr("0102901234").gender == "female"


def test_it_masks_the_last_four_digits():
    assert parse_cpr("0102901234").masked == "010290-XXXX"


def test_its_repr_never_shows_the_whole_number():
    cpr = parse_cpr("0102901234")
    assert "1234" not in repr(cpr) and "1234" not in str(cpr)


def test_error_messages_never_repeat_the_number():
    with pytest.raises(CprError) as info:
        parse_cpr("3102901234")
    assert "3102901234" not in str(info.value) and "310290" not in str(info.value)


def test_redact_replaces_cpr_shaped_digits_in_a_text():
    assert redact("found 010290-1234 and 0102901234 and 010290 1234") == (
        "found [CPR] and [CPR] and [CPR]"
    )
    assert redact("order 12345678901 stays") == "order 12345678901 stays"


def test_age_bands_match_the_core_scenario():
    born = dt.date(1990, 6, 15)
    assert age_band(born, dt.date(2015, 6, 14)) == "under_25"
    assert age_band(born, dt.date(2015, 6, 15)) == "25_29"
    assert age_band(born, dt.date(2020, 6, 15)) == "30_54"
    assert age_band(born, dt.date(2045, 6, 15)) == "55_plus"


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(1999, 12, 31)),
       st.integers(0, 3), st.integers(0, 999))
def test_every_date_of_the_1900s_round_trips(born, century_digit, serial):
    cpr = parse_cpr(f"{born:%d%m%y}{century_digit}{serial:03d}")
    assert cpr.birth_date == born
    assert cpr.masked == f"{born:%d%m%y}-XXXX"
