"""The core's problems in the language of the request (:mod:`brobygger.problem_text`)."""

from __future__ import annotations

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
