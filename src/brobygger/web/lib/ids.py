"""Ids and batches of ids as the database takes them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")

#: values per ``__in`` query (SQLite allows 999 parameters in one statement)
BATCH = 500


def is_row_id(text: str) -> bool:
    """Whether a query-string value can be a database id: ASCII digits ('²' is a digit to
    Python, not to int()) and no more than the database's integers hold."""
    return text.isascii() and text.isdigit() and len(text) <= 12


def batches(values: Sequence[T], size: int = BATCH) -> Iterator[Sequence[T]]:
    """``values`` in slices of at most ``size``, for ``field__in`` look-ups."""
    for i in range(0, len(values), size):
        yield values[i:i + size]
