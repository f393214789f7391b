"""Numbers on screen in Danish format: 1.234.567 kr, 12,5 %."""

from __future__ import annotations


def number(value: float, decimals: int = 0) -> str:
    """Danish digit grouping and decimal comma.

    >>> number(1234567.891)
    '1.234.568'
    >>> number(-1234.5, 1)
    '-1.234,5'
    """
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def kr(value: float) -> str:
    """>>> kr(2500000)
    '2.500.000 kr.'
    """
    return f"{number(value)} kr."


def percent(share: float, decimals: int = 0) -> str:
    """>>> percent(0.125, 1)
    '12,5 %'
    """
    return f"{number(100 * share, decimals)} %"
