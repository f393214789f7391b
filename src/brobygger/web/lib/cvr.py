"""Danish CVR numbers (company register): eight digits with a modulus-11 check.

>>> is_valid_cvr("10150817")
True
>>> is_valid_cvr("10150818")
False
"""

from __future__ import annotations

_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def is_valid_cvr(text: str) -> bool:
    text = (text or "").strip()
    if len(text) != 8 or not text.isdigit() or text[0] == "0":
        return False
    return sum(int(d) * w for d, w in zip(text, _WEIGHTS, strict=True)) % 11 == 0


def make_cvr(first_seven: int) -> str:
    """A valid CVR from seven leading digits (for demo data); raises if none exists."""
    stem = f"{first_seven:07d}"
    if stem[0] == "0":
        raise ValueError("a CVR number does not start with 0")
    partial = sum(int(d) * w for d, w in zip(stem, _WEIGHTS[:7], strict=True))
    check = (-partial) % 11
    if check == 10:
        raise ValueError("no check digit makes this stem valid")
    return stem + str(check)
