"""The core's problems in the user's language.

The core writes its problems in English (:class:`brobygger.errors.Problem`). A problem
found by a schema also keeps pydantic's error type and context — the bound, the value
given — and is said here again in the active language, its numbers in that language's
format; any other problem keeps the core's English text.
"""

from __future__ import annotations

from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from brobygger.errors import Problem

#: pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/) as
#: the schemas meet them, with the context each message names
SCHEMA_MESSAGES = {
    "greater_than_equal": gettext_lazy("must be at least %(ge)s"),
    "greater_than": gettext_lazy("must be greater than %(gt)s"),
    "less_than_equal": gettext_lazy("must be at most %(le)s"),
    "less_than": gettext_lazy("must be less than %(lt)s"),
    "int_parsing": gettext_lazy("must be a whole number"),
    "int_type": gettext_lazy("must be a whole number"),
    "int_from_float": gettext_lazy("must be a whole number"),
    "float_parsing": gettext_lazy("must be a number"),
    "float_type": gettext_lazy("must be a number"),
    "finite_number": gettext_lazy("must be a finite number"),
    "bool_parsing": gettext_lazy("must be true or false"),
    "bool_type": gettext_lazy("must be true or false"),
    "string_type": gettext_lazy("must be a text"),
    "missing": gettext_lazy("is required"),
    "extra_forbidden": gettext_lazy("is not known here"),
    "literal_error": gettext_lazy("must be %(expected)s"),
    "dict_type": gettext_lazy("must be a mapping of names to values"),
    "list_type": gettext_lazy("must be a list"),
    "too_short": gettext_lazy("must have at least %(min_length)s items"),
    "too_long": gettext_lazy("must have at most %(max_length)s items"),
}


def _shown(value: Any) -> str:
    """A number in the active language's format (a whole float as a whole number: the lab's
    fields give ``-5`` as ``-5.0``); anything else as the core quoted it."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_format(value, use_l10n=True)
    return str(value)


def problem_message(problem: Problem) -> str:
    """The problem's message in the active language (the core's English where its kind is
    not one of :data:`SCHEMA_MESSAGES`)."""
    template = SCHEMA_MESSAGES.get(problem.kind)
    if template is None:
        return problem.message
    context = dict(problem.context)
    values = {key: _shown(value) for key, value in context.items()}
    if "expected" in values:  # pydantic joins the allowed values with an English "or"
        values["expected"] = values["expected"].replace(" or ", f" {_('or')} ")
    try:
        text = str(template) % values
    except KeyError:  # a context without the value the message names
        return problem.message
    if "input" in values:
        text = _("%(message)s (given: %(input)s)") % {"message": text,
                                                      "input": values["input"]}
    return text


def problem_text(problem: Problem) -> str:
    """The whole problem, as ``str(problem)`` gives it, in the active language."""
    where = f"{problem.source}: {problem.location}" if problem.location else problem.source
    message = problem_message(problem)
    return f"{where}: {message}" if where else message
