"""Settlement periods and month arithmetic.

A period is a run of whole calendar months, written ``2020-03`` (a month), ``2020-Q1`` (a
quarter), ``2020-H2`` (a half year) or ``2020`` (a year). Internally a month is an integer
``year * 12 + month - 1`` so that month arithmetic is integer arithmetic.

>>> Period.parse("2020-Q1").months
(24240, 24242)
>>> str(Period.parse("2020-q1"))
'2020-Q1'
>>> Period.parse("2020-02").contains(month_index(dt.date(2020, 2, 17)))
True
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from brobygger.payments import Invalid

_PATTERN = re.compile(r"^([0-9]{4})(?:-(?:([0-9]{2})|[Qq]([1-4])|[Hh]([12])))?$")


def month_index(date: dt.date) -> int:
    return date.year * 12 + date.month - 1


def month_start(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_end(index: int) -> dt.date:
    return month_start(index + 1) - dt.timedelta(days=1)


@dataclass(frozen=True, order=True)
class Period:
    """Whole calendar months ``first..last`` (month indices, inclusive) and their label."""

    first: int
    last: int
    label: str

    @classmethod
    def parse(cls, text: str) -> Period:
        match = _PATTERN.match(text.strip())
        if not match:
            raise Invalid(
                f"{text!r} is not a period: write 2020-03, 2020-Q1, 2020-H1 or 2020",
                "not_a_period", value=repr(text),
            )
        year, month, quarter, half = match.groups()
        if not 1 <= int(year) <= 9998:
            raise Invalid(f"{text!r}: year {int(year)} is out of range", "year_out_of_range",
                          value=repr(text), year=str(int(year)))
        base = int(year) * 12
        if month:
            if not 1 <= int(month) <= 12:
                raise Invalid(f"{text!r}: month {month} does not exist", "no_such_month",
                              value=repr(text), month=month)
            first = last = base + int(month) - 1
            label = f"{year}-{month}"
        elif quarter:
            first = base + 3 * (int(quarter) - 1)
            last, label = first + 2, f"{year}-Q{quarter}"
        elif half:
            first = base + 6 * (int(half) - 1)
            last, label = first + 5, f"{year}-H{half}"
        else:
            first, last, label = base, base + 11, year
        return cls(first, last, label)

    @property
    def months(self) -> tuple[int, int]:
        return (self.first, self.last)

    @property
    def start(self) -> dt.date:
        return month_start(self.first)

    @property
    def end(self) -> dt.date:
        return month_end(self.last)

    def contains(self, month: int) -> bool:
        return self.first <= month <= self.last

    def overlaps(self, other: Period) -> bool:
        return self.first <= other.last and other.first <= self.last

    def __str__(self) -> str:
        return self.label
