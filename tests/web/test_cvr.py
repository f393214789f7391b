"""CVR numbers: eight digits, no leading zero, modulus-11 check digit."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from brobygger.web.lib.cvr import is_valid_cvr, make_cvr


def test_it_accepts_a_valid_cvr():
    assert is_valid_cvr("10150817")


def test_it_refuses_a_wrong_check_digit_a_leading_zero_and_wrong_lengths():
    assert not is_valid_cvr("10150818")
    assert not is_valid_cvr("01234567")
    assert not is_valid_cvr("1015081")
    assert not is_valid_cvr("1015081a")


@given(st.integers(1_000_000, 9_999_999))
def test_every_made_cvr_is_valid(stem):
    try:
        cvr = make_cvr(stem)
    except ValueError:
        return
    assert is_valid_cvr(cvr)
