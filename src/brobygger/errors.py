"""Errors are data: every problem names where it came from (file, key path, row)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One problem in an input: the file, the key path (or row) and a message."""

    source: str
    location: str
    message: str

    def __str__(self) -> str:
        where = f"{self.source}: {self.location}" if self.location else self.source
        return f"{where}: {self.message}"


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
        return [Problem(option, str(path), "is a folder: give a file name")]
    if not path.parent.is_dir():
        return [Problem(option, str(path), f"no such folder: {path.parent}")]
    return []
