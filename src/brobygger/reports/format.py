"""Numbers on screen in the language's format: 1.234.567 kr., 12,5 % in Danish (the
default), 1,234,567 DKK, 12.5 % in English."""

from __future__ import annotations

from decimal import Decimal


def number(value: float | Decimal, decimals: int = 0, lang: str = "da") -> str:
    """Digit grouping and decimal mark of ``lang`` (a ``Decimal`` is formatted exactly).

    >>> number(1234567.891)
    '1.234.568'
    >>> number(-1234.5, 1)
    '-1.234,5'
    >>> number(Decimal("-1234567.85"), 2)
    '-1.234.567,85'
    >>> number(-1234.5, 1, lang="en")
    '-1,234.5'
    """
    text = f"{value:,.{decimals}f}"
    return danish_separators(text) if lang == "da" else text


def danish_separators(text: str) -> str:
    """A number written with English separators (``1,234.5``) in Danish (``1.234,5``)."""
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def kr(value: float, lang: str = "da") -> str:
    """An amount in whole kroner.

    >>> kr(2500000)
    '2.500.000 kr.'
    >>> kr(2500000, lang="en")
    '2,500,000 DKK'
    """
    return f"{number(value, 0, lang)} {'kr.' if lang == 'da' else 'DKK'}"


def percent(share: float, decimals: int = 0, lang: str = "da") -> str:
    """A share as a percentage.

    >>> percent(0.125, 1)
    '12,5 %'
    >>> percent(0.125, 1, lang="en")
    '12.5 %'
    """
    return f"{number(100 * share, decimals, lang)} %"


def exact_percent(share: float, lang: str = "da") -> str:
    """A rate as a percentage with every decimal it has, for terms agreed in a contract.

    >>> exact_percent(0.0825), exact_percent(0.05), exact_percent(0.125, lang="en")
    ('8,25 %', '5 %', '12.5 %')
    """
    from decimal import Decimal

    exponent = Decimal(repr(round(share * 100, 6))).normalize().as_tuple().exponent
    return percent(share, max(0, -int(exponent)), lang=lang)
