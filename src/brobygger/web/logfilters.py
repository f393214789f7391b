"""Logging filter that removes anything shaped like a CPR number from a record."""

from __future__ import annotations

import logging

from brobygger.web.lib.cpr import redact


class RedactCpr(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
