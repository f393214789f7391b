"""Numbers on screen in the language of the page: in Danish as the reports write them
(:mod:`brobygger.reports.format`: 1.234.567 kr., 12,5 %), in English 1,234,567 DKK and
12.5 %; the separators a Plotly chart is given to do the same; and a model month by name
(februar 2018) and a day as the page writes days (01.03.2019)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import get_language

from brobygger.reports import format as danish


def english() -> bool:
    return (get_language() or "da").startswith("en")


def number(value: float | Decimal, decimals: int = 0) -> str:
    """1.234.567,5 in Danish, 1,234,567.5 in English (a ``Decimal`` exactly)."""
    return f"{value:,.{decimals}f}" if english() else danish.number(value, decimals)


def currency() -> str:
    """The krone's sign after an amount: kr. in Danish, DKK in English."""
    return "DKK" if english() else "kr."


def kr(value: float | Decimal, decimals: int = 0) -> str:
    """An amount in kroner (whole by default; a ``Decimal`` exactly): 2.500.000 kr. in
    Danish, 2,500,000 DKK in English."""
    return f"{number(value, decimals)} {currency()}"


def percent(share: float, decimals: int = 0) -> str:
    """A share as a percentage: 12,5 % in Danish, 12.5 % in English."""
    return f"{number(100 * share, decimals)} %"


def separators(text: str) -> str:
    """A number written with English separators (``1,234.5``) in the page's language."""
    return text if english() else danish.danish_separators(text)


def plotly_separators() -> str:
    """Plotly's ``layout.separators``: the decimal mark, then the thousands separator."""
    return ".," if english() else ",."


def month(label: str) -> str:
    """A month of the model (``2018-02``) as the page writes months: februar 2018."""
    year, number_of_month = label.split("-")
    return date_format(dt.date(int(year), int(number_of_month), 1), "YEAR_MONTH_FORMAT")


def shown_date(value: dt.date) -> str:
    """A date as the page writes dates: 01.03.2019 in Danish, 01/03/2019 in English."""
    return date_format(value, "SHORT_DATE_FORMAT")
