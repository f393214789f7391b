"""Settlement of outcome-based payments: events, contract files, checks and the ledger."""

from __future__ import annotations


class Invalid(ValueError):
    """A value refused with its kind and figures (``context``), so a problem made of it can
    be said in the user's language (:mod:`brobygger.problem_text`); ``str()`` is the core's
    English."""

    def __init__(self, message: str, kind: str, **context: str | int | float):
        super().__init__(message)
        self.kind = kind
        self.context: tuple[tuple[str, str | int | float], ...] = tuple(context.items())
