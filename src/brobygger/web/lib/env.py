"""Strict readers of environment variables: a bad value stops the process with its name.

Every setting the operator can change is read through these, so a typo in ``DEBUG=ture`` or a
missing ``SECRET_KEY`` in production fails loudly at start-up instead of silently running with a
default.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from brobygger.errors import BrobyggerError, Problem

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class SettingError(BrobyggerError):
    """An environment variable is missing or malformed."""


def _problem(name: str, message: str) -> SettingError:
    return SettingError(Problem("environment", name, message))


class Env:
    """Typed access to a mapping of environment variables (``os.environ`` by default)."""

    def __init__(self, environ: Mapping[str, str] | None = None):
        self.environ = os.environ if environ is None else environ

    def _raw(self, name: str) -> str | None:
        value = self.environ.get(name)
        if value is None or value.strip() == "":
            return None
        return value.strip()

    def bool(self, name: str, default: bool) -> bool:
        raw = self._raw(name)
        if raw is None:
            return default
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise _problem(name, "expected one of 1/0, true/false, yes/no, on/off")

    def int(self, name: str, default: int, *, minimum: int | None = None) -> int:
        raw = self._raw(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise _problem(name, "expected a whole number") from None
        if minimum is not None and value < minimum:
            raise _problem(name, f"expected a whole number of at least {minimum}")
        return value

    def str(self, name: str, *, default: str | None = None, dev_default: str | None = None,
            debug: bool = False) -> str:
        """A string; ``dev_default`` is used only when ``debug`` is on, else it is required."""
        raw = self._raw(name)
        if raw is not None:
            return raw
        if default is not None:
            return default
        if debug and dev_default is not None:
            return dev_default
        hint = " (or set DEBUG=1 for development defaults)" if dev_default is not None else ""
        raise _problem(name, f"is required{hint}")

    def list(self, name: str, *, default: list[str] | None = None,
             dev_default: list[str] | None = None, debug: bool = False) -> list[str]:
        """A comma-separated list, empty items dropped."""
        raw = self._raw(name)
        if raw is not None:
            return [item.strip() for item in raw.split(",") if item.strip()]
        if default is not None:
            return list(default)
        if debug and dev_default is not None:
            return list(dev_default)
        hint = " (or set DEBUG=1 for development defaults)" if dev_default is not None else ""
        raise _problem(name, f"is required, a comma-separated list{hint}")


def check_secret_key(key: str, *, debug: bool) -> str:
    """Refuse a weak SECRET_KEY in production (the same rule as ``check --deploy``)."""
    if not debug and (len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure-")):
        raise _problem("SECRET_KEY", "must be at least 50 random characters in production")
    return key


def check_database_url(url: str) -> str:
    scheme = url.split(":", 1)[0].lower()
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise _problem("DATABASE_URL", "expected sqlite:///path or postgres://user@host:port/name")
    return url
