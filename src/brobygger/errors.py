"""Errors are data: every problem names where it came from (file, key path, row)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import ValidationError


@dataclass(frozen=True)
class Problem:
    """One problem in an input: the file, the key path (or row) and a message.

    A problem found by a schema also keeps pydantic's error type (``kind``, e.g.
    ``greater_than_equal``) and what the message was made from (``context``: the bound,
    the value given as ``input``), so a user interface can say it in its own language
    (the web app: :mod:`brobygger.web.problems`); ``message`` is the English text."""

    source: str
    location: str
    message: str
    kind: str = ""
    context: tuple[tuple[str, Any], ...] = ()

    @property
    def where(self) -> str:
        """The source and the key path (or row): ``file: key.path``."""
        return f"{self.source}: {self.location}" if self.location else self.source

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def shown(value: Any, limit: int = 60) -> str:
    """A value as an error message quotes it: its repr (a date as the file writes it),
    cut to ``limit`` characters."""
    text = value.isoformat() if isinstance(value, dt.date) else repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


def schema_problems(exc: ValidationError, source: str, prefix: str = "",
                    got: bool = False) -> list[Problem]:
    """Pydantic's errors as problems: the key path (after ``prefix``), pydantic's message
    (with ``got``, followed by the value given), its error type and its context."""
    out = []
    for err in _one_branch(exc.errors()):
        location = ".".join([prefix, *(_part(p) for p in err["loc"] if not _is_branch(p))]
                            ).strip(".") or "(file)"
        given = err.get("input")
        said = err["msg"].removeprefix("Value error, ")  # a validator's own ValueError
        message = f"{said} (got {shown(given)})" if got else said
        context = tuple((k, v if isinstance(v, int | float | str) else str(v))
                        for k, v in (err.get("ctx") or {}).items())
        if isinstance(given, int | float) and not isinstance(given, bool):
            context += (("input", given),)
        elif given is not None and not isinstance(given, dict | list):
            context += (("input", shown(given)),)
        out.append(Problem(source, location, message, err["type"], context))
    return out


#: how pydantic names the members of a union in an error's location
_BRANCH = re.compile(r"(constrained-|function-|lax-|json-or-python|tagged-union)|.*\[")
_TYPE_MISMATCH = re.compile(r".*_(type|parsing)$")
_DATE_KEY = re.compile(r"datetime\.date\((\d+), (\d+), (\d+)\)")


def _is_branch(part: Any) -> bool:
    return isinstance(part, str) and _BRANCH.match(part) is not None


def _part(part: Any) -> str:
    """A location's part as the file writes it (a date key as 2019-01-01)."""
    found = _DATE_KEY.fullmatch(str(part))
    if found:
        y, m, d = (int(g) for g in found.groups())
        return f"{y:04d}-{m:02d}-{d:02d}"
    return str(part)


def _one_branch(errors: list[Any]) -> list[Any]:
    """A value that fits no member of a union (a price as a number or as dated numbers) is
    reported by pydantic once per member; keep the member the value was meant for — drop
    a member whose only complaint is that the value is not of its type, when another
    member complains about the value itself; when every member only complains of the
    type, keep the first member's."""
    by_union: dict[tuple, dict[str, list]] = {}
    depth: dict[int, bool] = {}  # an error inside the member's value: it had that type
    for err in errors:
        loc = err["loc"]
        at = next((i for i, p in enumerate(loc) if _is_branch(p)), None)
        if at is not None:
            by_union.setdefault(tuple(loc[:at]), {}).setdefault(loc[at], []).append(err)
            depth[id(err)] = len(loc) > at + 1
    dropped: set[int] = set()
    for branches in by_union.values():
        meant = [b for b, errs in branches.items()
                 if not all(_TYPE_MISMATCH.match(e["type"]) and not depth[id(e)]
                            for e in errs)]
        # a value of no member's type: said once, as the first (simplest) member's type
        for b, errs in branches.items():
            if b not in (meant or list(branches)[:1]):
                dropped.update(id(e) for e in errs)
    return [e for e in errors if id(e) not in dropped]


class BrobyggerError(Exception):
    """Base class for input errors that carry one or more problems."""

    def __init__(self, problems: list[Problem] | Problem | str):
        if isinstance(problems, str):
            problems = [Problem("", "", problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ParameterError(BrobyggerError):
    """A parameter file is broken, or a value is asked for where none is known."""


class ScenarioError(BrobyggerError):
    """A scenario file does not validate."""


def output_problems(option: str, path: Path | None) -> list[Problem]:
    """Why a file could not be written at ``path`` (for checking an output option before
    any work is done); none for no path."""
    if path is None:
        return []
    if path.is_dir():
        return [Problem(option, str(path), "is a folder: give a file name", "output_is_folder")]
    if not path.parent.is_dir():
        return [Problem(option, str(path), f"no such folder: {path.parent}", "no_such_folder",
                        (("folder", str(path.parent)),))]
    if path.exists() and not path.is_file():
        return []  # a device or pipe (/dev/stdout) is written to directly
    # the file is written beside itself and renamed (:func:`write_whole`), so the folder
    # must take a new file: a read-only folder or file system is refused here, before the
    # work, not after it
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".probe", dir=path.parent)
    except OSError as exc:
        return [_cannot_write(option, path, exc)]
    os.close(fd)
    with contextlib.suppress(OSError):
        os.unlink(probe)
    return []


def write_whole(option: str, path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all: through a temporary file beside it,
    so a write that fails (a full disk) leaves no half-written file and keeps any file
    that was there; a device or pipe (``/dev/stdout``) is written to directly. A failure
    is a problem naming the option and the file (:class:`BrobyggerError`)."""
    direct = path.exists() and not path.is_file()
    tmp = path if direct else path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            fh.write(data)
        if not direct:
            os.replace(tmp, path)
    except OSError as exc:
        if not direct:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
        raise BrobyggerError(_cannot_write(option, path, exc)) from None


def _cannot_write(option: str, path: Path, exc: OSError) -> Problem:
    reason = str(exc.strerror or exc)
    return Problem(option, str(path), f"cannot write the file: {reason}", "cannot_write_file",
                   (("reason", reason),))

