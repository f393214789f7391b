"""Logging filter that removes anything shaped like a CPR number from a record."""

from __future__ import annotations

import logging

from brobygger.cpr import redact


class RedactCpr(logging.Filter):
    """Redacts the message, and the traceback and stack a record carries: an exception's
    text can hold what a user typed."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        if record.exc_info and not record.exc_text:
            # formatted here, once: every formatter then uses this text (``exc_text``)
            record.exc_text = _FORMATTER.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


_FORMATTER = logging.Formatter()
