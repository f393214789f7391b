"""The core's problems in the language of the request (:mod:`brobygger.problem_text`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

from brobygger import problem_text as core
from brobygger.errors import Problem


def _lang() -> str:
    return (get_language() or "da").split("-")[0]


def problem_message(problem: Problem) -> str:
    """The problem's message in the active language."""
    return core.problem_message(problem, _lang())


def problem_text(problem: Problem) -> str:
    """The whole problem in the active language."""
    return core.problem_text(problem, _lang())


def problem_to_json(problem: Problem) -> dict[str, Any]:
    """A problem as stored (a JSON field): to be said later in the reader's language."""
    return {"source": problem.source, "location": problem.location,
            "message": problem.message, "kind": problem.kind,
            "context": [[key, value] for key, value in problem.context]}


def problem_from_json(data: dict[str, Any]) -> Problem:
    return Problem(data.get("source", ""), data.get("location", ""), data.get("message", ""),
                   data.get("kind", ""),
                   tuple((key, value) for key, value in data.get("context", [])))
