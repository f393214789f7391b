"""The reporting period from a download's query string.

Either ``period`` (``2020``, ``2020-H1``, ``2020-Q3`` or ``2020-03``, as everywhere in
brobygger) or ``from`` and/or ``to`` (``YYYY-MM-DD``, both days included); not both. A bad
value is a :class:`PeriodError` naming the parameter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from brobygger.payments.period import Period
from brobygger.web.numbers import shown_date

FIELDS = ("period", "from", "to")


class PeriodError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field, self.message = field, message


@dataclass(frozen=True)
class ReportPeriod:
    start: dt.date
    end: dt.date

    @property
    def label(self) -> str:
        return f"{self.start.isoformat()} – {self.end.isoformat()}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _date(params, field: str) -> dt.date | None:
    text = params.get(field, "").strip()
    if not text:
        return None
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise PeriodError(field, _("“%(value)s” is not a date: write YYYY-MM-DD, e.g. 2020-03-31.")
                          % {"value": text[:40]}) from None


def given(params) -> bool:
    """Whether the query string asks for a period at all."""
    return any(params.get(f, "").strip() for f in FIELDS)


def parse_period(params, default: ReportPeriod) -> ReportPeriod:
    """The period the parameters ask for; ``default`` fills what they leave open."""
    text = params.get("period", "").strip()
    start, end = _date(params, "from"), _date(params, "to")
    if text:
        if start or end:
            raise PeriodError("period", _("Give either a period or from/to dates, not both."))
        try:
            period = Period.parse(text)
        except ValueError:
            raise PeriodError("period", _(
                "“%(value)s” is not a period: write 2020, 2020-H1, 2020-Q1 or 2020-03.")
                % {"value": text[:40]}) from None
        return _within(ReportPeriod(period.start, period.end), "period")
    result = ReportPeriod(start or default.start, end or default.end)
    if result.end < result.start:
        raise PeriodError("to", _("The period ends (%(end)s) before it starts (%(start)s).")
                          % {"end": shown_date(result.end), "start": shown_date(result.start)})
    return _within(result, "from" if start and not FIRST <= start <= LAST else "to")


#: the years a report may cover (the reports count months back and forth from its ends)
FIRST, LAST = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


def _within(period: ReportPeriod, field: str) -> ReportPeriod:
    if not (period.start >= FIRST and period.end <= LAST):
        raise PeriodError(field, _("A report covers the years %(first)s to %(last)s.")
                          % {"first": FIRST.year, "last": LAST.year})
    return period
