"""Numbers on screen in Danish format: 1.234.567 kr, 12,5 %."""

from __future__ import annotations

from decimal import Decimal


def number(value: float | Decimal, decimals: int = 0) -> str:
    """Danish digit grouping and decimal comma (a ``Decimal`` is formatted exactly).

    >>> number(1234567.891)
    '1.234.568'
    >>> number(-1234.5, 1)
    '-1.234,5'
    >>> number(Decimal("-1234567.85"), 2)
    '-1.234.567,85'
    """
    return danish_separators(f"{value:,.{decimals}f}")


def danish_separators(text: str) -> str:
    """A number written with English separators (``1,234.5``) in Danish (``1.234,5``)."""
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def kr(value: float) -> str:
    """An amount in whole kroner.

    >>> kr(2500000)
    '2.500.000 kr.'
    """
    return f"{number(value)} kr."


def percent(share: float, decimals: int = 0) -> str:
    """A share as a percentage.

    >>> percent(0.125, 1)
    '12,5 %'
    """
    return f"{number(100 * share, decimals)} %"
