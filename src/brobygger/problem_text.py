"""Problems in the user's language, for the command line and the web app.

The core writes its problems in English (:class:`brobygger.errors.Problem`). A problem
found by a schema keeps pydantic's error type and context — the bound, the value given —
and so do the problems a forecast of the registry meets (referrals the scenario cannot
hold) and an unknown kommunekode; they are said here again in Danish or English, from the
core's catalogue (:mod:`brobygger.i18n`), their numbers in the language's format. Any
other problem keeps its English text.
"""

from __future__ import annotations

from typing import Any

from brobygger.errors import Problem
from brobygger.i18n import language, translation
from brobygger.reports.format import danish_separators


def N_(text: str) -> str:
    """Marks a text for the catalogue; it is translated where it is shown."""
    return text


#: pydantic's error types (https://docs.pydantic.dev/latest/errors/validation_errors/) as
#: the schemas meet them, then the scenario checker's (:func:`brobygger.scenario.check.
#: check_scenario`) and a forecast's, with the context each message names
MESSAGES = {
    "greater_than_equal": N_("must be at least %(ge)s"),
    "greater_than": N_("must be greater than %(gt)s"),
    "less_than_equal": N_("must be at most %(le)s"),
    "less_than": N_("must be less than %(lt)s"),
    "int_parsing": N_("must be a whole number"),
    "int_type": N_("must be a whole number"),
    "int_from_float": N_("must be a whole number"),
    "float_parsing": N_("must be a number"),
    "float_type": N_("must be a number"),
    "finite_number": N_("must be a finite number"),
    "bool_parsing": N_("must be true or false"),
    "bool_type": N_("must be true or false"),
    "string_type": N_("must be a text"),
    "missing": N_("is required"),
    "extra_forbidden": N_("is not known here"),
    "literal_error": N_("must be %(expected)s"),
    "dict_type": N_("must be a mapping of names to values"),
    "list_type": N_("must be a list"),
    "too_short": N_("must have at least %(min_length)s items"),
    "too_long": N_("must have at most %(max_length)s items"),
    "model_type": N_("must be a mapping of names to values"),
    # the scenario schema's own checks (:func:`brobygger.scenario.schema._invalid`)
    "period_order": N_("end %(end)s is before start %(start)s"),
    "intake_both_forms": N_("give either 'schedule' or 'start', 'end' and 'total', not both"),
    "intake_no_form": N_("give 'schedule', or all of 'start', 'end' and 'total'"),
    "same_month": N_("%(first)s and %(second)s are the same month"),
    "intake_order": N_("intake ends (%(end)s) before it starts (%(start)s)"),
    "first_period": N_("the first period must start at from_month 1"),
    "periods_ascending": N_("from_month must strictly ascend, got %(starts)s"),
    "one_wage_source": N_("give exactly one of 'amount' and 'parameter'"),
    "subsidy_none_amount": N_("a subsidy of type 'none' has no amount"),
    "basis_needs": N_("basis %(basis)s needs %(field)s"),
    "sustained_months": N_("a job_sustained trigger needs 'months'"),
    "sustained_only": N_("'months' and 'min_hours_per_week' are for job_sustained only"),
    "states_for_jobs": N_("'states' is for job_start and job_sustained only"),
    "job_states": N_("'states' must be job states %(states)s"),
    "payee_shares": N_("payee shares must sum to 1, got %(total)s"),
    "caps_order": N_(
        "caps contradict each other: per participant ≤ per partnership ≤ per contract"),
    "one_discount_source": N_("give either 'rate' or 'parameter'"),
    "localised_text": N_("give a text, or a mapping of languages (%(languages)s) to texts"),
    "unknown_language": N_("unknown language %(unknown)s: give the text as a plain string "
                           "or under the language keys %(languages)s"),
    "no_language": N_("give the text in at least one language (%(languages)s)"),
    "empty_text": N_("the %(language)s text is empty or not a text"),
    "draws_range": N_("the number of draws must be from 1 to %(most)s, got %(draws)s"),
    "draws_budget": N_("%(count)s participants × %(draws)s draws is more than %(budget)s "
                       "participant-draws; use fewer draws or run it in the background"),
    "negative_seed": N_("the seed must be zero or positive, got %(seed)s"),
    "unknown_municipality": N_("unknown kommunekode %(code)s"),
    "horizon_too_long": N_("the horizon ends after the year 9999"),
    "horizon_before_programme": N_(
        "the horizon (%(first)s to %(last)s) ends before the programme starts "
        "(%(start)s)"),
    "horizon_after_programme": N_(
        "the horizon starts (%(first)s) after the programme starts "
        "(%(start)s): its first months would be lost"),
    "window_outside": N_(
        "the indicators' window ends %(end)s, outside the programme's start "
        "(%(start)s) to the horizon's end (%(last)s)"),
    "unknown_target": N_("unknown target (known: %(known)s)"),
    "municipality_twice": N_("municipality %(code)s appears twice"),
    "profile_ids_repeat": N_("profile ids repeat: %(ids)s"),
    "profile_shares": N_("profile shares sum to %(total)s, not 1"),
    "missing_rows": N_(
        "missing rows for %(states)s (every state the participants can reach "
        "needs one)"),
    "row_sum": N_("probabilities sum to %(total)s, not 1"),
    "exited_absorbing": N_("'exited' is absorbing: its row must be {exited: 1}"),
    "counterfactual_moves": N_("the counterfactual cannot move into programme states %(states)s"),
    "counterfactual_entry": N_("the counterfactual cannot start in a programme state"),
    "financing_shares": N_("financing shares sum to %(total)s, not 1"),
    "not_a_month": N_("%(value)s is not a month (YYYY-MM)"),
    "unknown_budget_line": N_("unknown budget line %(value)s"),
    "outcome_ids_repeat": N_("outcome ids repeat: %(ids)s"),
    "enterprise_payee": N_("an enterprise-side outcome is paid to the social enterprise"),
    "ends_before_start": N_("ends before it starts"),
    "no_such_parameter": N_("%(name)s: no such parameter"),
    "wrong_unit": N_("%(name)s is in %(unit)s, expected %(expected)s"),
    "referrals_outside_horizon": N_("referrals in %(month)s fall outside the horizon"),
    "referrals_outside_period": N_("referrals in %(month)s fall outside the programme period"),
    "one_referral": N_("needs exactly one referral with a municipality"),
    "over_intake": N_("%(count)s participants but an intake of %(intake)s"),
    "outside_intake": N_("%(count)s participants that the scenario's intake does not hold"),
}

#: the problems a forecast of the registry meets, said whole (their key paths are the
#: live scenario's, which the reader never sees)
WHOLE = {
    "referrals_outside_horizon": N_(
        "Municipality %(municipality)s: referrals in %(month)s fall outside the scenario's "
        "horizon"),
    "referrals_outside_period": N_(
        "Municipality %(municipality)s: referrals in %(month)s fall outside the programme "
        "period"),
    "one_referral": N_(
        "Participant %(participant)s needs exactly one referral with a municipality"),
    "over_intake": N_(
        "Municipality %(municipality)s, %(month)s: %(count)s participants referred, but the "
        "scenario's intake is %(intake)s"),
    "outside_intake": N_(
        "Municipality %(municipality)s: %(count)s participants referred in months the "
        "scenario's intake does not hold"),
}

#: what a message is followed by: the value given, the participants concerned; and the
#: word pydantic joins allowed values with
GIVEN = N_("%(message)s (given: %(input)s)")
NAMED = N_("%(message)s (participants %(named)s)")
OR = N_("or")


def shown_number(value: int | float, lang: str) -> str:
    """A number in the language's format, as many decimals as it has (a whole float as a
    whole number: a form gives ``-5`` as ``-5.0``): ``1.234,5`` in Danish, ``1,234.5`` in
    English."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = f"{value:,}"
    return danish_separators(text) if lang == "da" else text


def _said(problem: Problem, templates: dict[str, str], lang: str) -> str | None:
    """The problem in its kind's template, or None (no template, or a context without a
    value the template names)."""
    template = templates.get(problem.kind)
    if template is None:
        return None
    _ = translation(lang).gettext
    values: dict[str, Any] = {
        key: shown_number(value, lang) if isinstance(value, int | float) and
        not isinstance(value, bool) else str(value)
        for key, value in problem.context}
    if "expected" in values:  # pydantic joins the allowed values with an English "or"
        values["expected"] = values["expected"].replace(" or ", f" {_(OR)} ")
    try:
        text = _(template) % values
    except KeyError:
        return None
    if "input" in values:
        text = _(GIVEN) % {"message": text, "input": values["input"]}
    if "participants" in values:
        text = _(NAMED) % {"message": text, "named": values["participants"]}
    return text


def problem_message(problem: Problem, lang: str | None = None) -> str:
    """The problem's message in ``lang`` (default: the command line's,
    :func:`brobygger.i18n.language`); the core's English where its kind has no template."""
    return _said(problem, MESSAGES, lang or language()) or problem.message


def problem_text(problem: Problem, lang: str | None = None) -> str:
    """The whole problem, as ``str(problem)`` gives it, in ``lang``: said whole where its
    kind is one of :data:`WHOLE`, else its source, key path and message."""
    lang = lang or language()
    whole = _said(problem, WHOLE, lang)
    if whole is not None:
        return whole
    message = problem_message(problem, lang)
    return f"{problem.where}: {message}" if problem.where else message
