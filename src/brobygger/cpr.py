"""Danish CPR numbers: validation, derived birth date and gender, masking (the registry
keeps them; an event file for settlement must not hold one).

Since 2007 the CPR office issues numbers that fail the old modulus-11 check, so it is *not*
required here. A CPR number is valid when it has ten digits and the first six plus the seventh
(the century digit) give a real date.

Error messages never contain the number itself: they end up in forms, API errors and logs.

>>> cpr = parse_cpr("010203-4567")
>>> cpr.birth_date.isoformat(), cpr.gender
('2003-02-01', 'male')
>>> cpr.masked
'010203-XXXX'
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_SHAPE = re.compile(r"^(\d{6})-?(\d{4})$")

#: Looks like a CPR number anywhere in a text (used to redact log lines).
CPR_PATTERN = re.compile(r"(?<!\d)(\d{6})(?:[-\s+./]|%2[0BbDdEeFf])?(\d{4})(?!\d)")


class CprError(ValueError):
    """The text is not a valid CPR number. The message never repeats the text.

    ``code`` is ``"shape"`` (not ten digits) or ``"date"`` (no such birth date).
    """

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Cpr:
    digits: str  # exactly ten digits, no dash

    @property
    def birth_date(self) -> dt.date:
        return _birth_date(self.digits)

    @property
    def birth_year(self) -> int:
        return self.birth_date.year

    @property
    def gender(self) -> str:
        """'male' for an odd last digit, 'female' for an even one."""
        return "male" if int(self.digits[9]) % 2 else "female"

    @property
    def masked(self) -> str:
        return f"{self.digits[:6]}-XXXX"

    def __repr__(self) -> str:  # never print the whole number by accident
        return f"Cpr({self.masked})"

    __str__ = __repr__


def _century(year2: int, digit7: int) -> int:
    if digit7 <= 3:
        return 1900
    if digit7 in (4, 9):
        return 2000 if year2 <= 36 else 1900
    return 2000 if year2 <= 57 else 1800  # digits 5-8


def _birth_date(digits: str) -> dt.date:
    day, month, year2 = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    year = _century(year2, int(digits[6])) + year2
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CprError("the first six digits are not a valid date (DDMMYY)", "date") from None


def parse_cpr(text: str) -> Cpr:
    """Accept ``DDMMYYXXXX`` or ``DDMMYY-XXXX`` (surrounding spaces ignored)."""
    match = _SHAPE.match((text or "").strip())
    if not match:
        raise CprError("a CPR number has ten digits, written DDMMYY-XXXX", "shape")
    digits = match.group(1) + match.group(2)
    _birth_date(digits)
    return Cpr(digits)


def mask_cpr(digits: str) -> str:
    return parse_cpr(digits).masked


def redact(text: str) -> str:
    """Replace anything shaped like a CPR number with a fixed marker."""
    return CPR_PATTERN.sub("[CPR]", text)


def age_band(birth_date: dt.date, on: dt.date) -> str:
    """The core scenario's age bands: under_25, 25_29, 30_54, 55_plus."""
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    if age < 25:
        return "under_25"
    if age < 30:
        return "25_29"
    if age < 55:
        return "30_54"
    return "55_plus"
