"""The core's problems in the user's language.

The core writes its problems in English (:class:`brobygger.errors.Problem`). A problem
found by a schema keeps pydantic's error type and context — the bound, the value given —
and so do the problems a forecast of the registry meets (referrals the scenario cannot
hold); they are said here again in the active language, their numbers in that language's
format. Any other problem keeps the core's English text.
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
    # the scenario checker's, and the registry's forecast's
    "unknown_municipality": gettext_lazy("unknown kommunekode %(code)s"),
    "referrals_outside_horizon": gettext_lazy("referrals in %(month)s fall outside the horizon"),
    "referrals_outside_period": gettext_lazy(
        "referrals in %(month)s fall outside the programme period"),
    "one_referral": gettext_lazy("needs exactly one referral with a municipality"),
    "over_intake": gettext_lazy("%(count)s participants but an intake of %(intake)s"),
    "outside_intake": gettext_lazy("%(count)s participants that the scenario's intake does "
                                   "not hold"),
}

#: the problems a forecast of the registry meets, said whole (their key paths are the
#: live scenario's, which the page's reader never sees)
WHOLE_MESSAGES = {
    "referrals_outside_horizon": gettext_lazy(
        "Municipality %(municipality)s: referrals in %(month)s fall outside the scenario's "
        "horizon"),
    "referrals_outside_period": gettext_lazy(
        "Municipality %(municipality)s: referrals in %(month)s fall outside the programme "
        "period"),
    "one_referral": gettext_lazy(
        "Participant %(participant)s needs exactly one referral with a municipality"),
    "over_intake": gettext_lazy(
        "Municipality %(municipality)s, %(month)s: %(count)s participants referred, but the "
        "scenario's intake is %(intake)s"),
    "outside_intake": gettext_lazy(
        "Municipality %(municipality)s: %(count)s participants referred in months the "
        "scenario's intake does not hold"),
}


def _shown(value: Any) -> str:
    """A number in the active language's format (a whole float as a whole number: the lab's
    fields give ``-5`` as ``-5.0``); anything else as the core quoted it."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number_format(value, use_l10n=True)
    return str(value)


def _said(problem: Problem, templates: dict[str, Any]) -> str | None:
    """The problem in its kind's template, or None (no template, or a context without a
    value the template names)."""
    template = templates.get(problem.kind)
    if template is None:
        return None
    values = {key: _shown(value) for key, value in problem.context}
    if "expected" in values:  # pydantic joins the allowed values with an English "or"
        values["expected"] = values["expected"].replace(" or ", f" {_('or')} ")
    try:
        text = str(template) % values
    except KeyError:
        return None
    if "input" in values:
        text = _("%(message)s (given: %(input)s)") % {"message": text,
                                                      "input": values["input"]}
    if "participants" in values:
        text = _("%(message)s (participants %(named)s)") % {
            "message": text, "named": values["participants"]}
    return text


def problem_message(problem: Problem) -> str:
    """The problem's message in the active language (the core's English where its kind is
    not one of :data:`SCHEMA_MESSAGES`)."""
    return _said(problem, SCHEMA_MESSAGES) or problem.message


def problem_text(problem: Problem) -> str:
    """The whole problem, as ``str(problem)`` gives it, in the active language: said whole
    where its kind is one of :data:`WHOLE_MESSAGES`, else its key path and its message."""
    whole = _said(problem, WHOLE_MESSAGES)
    if whole is not None:
        return whole
    where = f"{problem.source}: {problem.location}" if problem.location else problem.source
    message = problem_message(problem)
    return f"{where}: {message}" if where else message
