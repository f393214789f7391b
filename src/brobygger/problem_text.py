"""Problems in the user's language, for the command line and the web app.

The core writes its problems in English (:class:`brobygger.errors.Problem`). A problem
found by a schema keeps pydantic's error type and context — the bound, the value given —
and so do the problems a forecast of the registry meets (referrals the scenario cannot
hold), an unknown kommunekode and the settlement's (event files, contract files, the
checks of the events, the ledger); they are said here again in Danish or English, from the
core's catalogue (:mod:`brobygger.i18n`), their numbers in the language's format, and so is
where a settlement's problem is (``row 12``, ``header``). Any other problem keeps its
English text.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from typing import Any

from brobygger.errors import Problem
from brobygger.i18n import N_, language, translation
from brobygger.reports.format import danish_separators

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
    "date_type": N_("must be a date (YYYY-MM-DD)"),
    "date_parsing": N_("must be a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": N_("must be a date (YYYY-MM-DD)"),
    "date_from_datetime_inexact": N_("must be a date (YYYY-MM-DD)"),
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
    # a rate card whose payment histories are too many to table
    # (:func:`brobygger.model._too_many_histories`)
    "too_many_histories": N_("the rate card's outcomes make more than %(limit)s distinct "
                             "payment histories for a participant"),
    "cap_too_fine": N_("the cap of %(cap)s kr is paid out in prices so small next to it "
                       "(from %(smallest)s kr) that a participant's payment histories up to "
                       "it number more than %(limit)s: raise the smallest prices, or lower "
                       "or remove the cap"),
    # a scenario's named changes (:func:`brobygger.scenario.load.apply_changes`)
    "change_shape": N_("a change has 'name', 'set' and optionally 'description'"),
    "no_such_key": N_("no such key: %(key)s"),
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
    "drawdown_outside_horizon": N_("%(month)s lies outside the horizon (%(first)s to "
                                   "%(last)s)"),
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
    "budget_lines_sum": N_("the budget lines sum to %(sum)s kr, not the eligible costs "
                           "%(amount)s kr"),
    "esf_share_mismatch": N_("the EU Social Fund finances %(share)s %% of this cost, but the "
                             "programme's share is %(programme)s %% (0 for a cost that is "
                             "not eligible)"),
    "not_a_month": N_("%(value)s is not a month (YYYY-MM)"),
    "unknown_budget_line": N_("unknown budget line %(value)s"),
    "outcome_ids_repeat": N_("outcome ids repeat: %(ids)s"),
    "enterprise_payee": N_("an enterprise-side outcome is paid to the social enterprise"),
    "ends_before_start": N_("ends before it starts"),
    "no_such_parameter": N_("%(name)s: no such parameter"),
    "unknown_parameter": N_("no such parameter"),
    "no_scenario": N_("no such scenario file or shipped scenario (shipped: %(shipped)s)"),
    "no_base_scenario": N_("%(name)s: no such scenario file or shipped scenario (shipped: "
                           "%(shipped)s)"),
    "not_a_mapping": N_("a scenario file holds a mapping"),
    "wrong_unit": N_("%(name)s is in %(unit)s, expected %(expected)s"),
    "referrals_outside_horizon": N_("referrals in %(month)s fall outside the horizon"),
    "referrals_outside_period": N_("referrals in %(month)s fall outside the programme period"),
    "one_referral": N_("needs exactly one referral with a municipality"),
    "over_intake": N_("%(count)s participants but an intake of %(intake)s"),
    "outside_intake": N_("%(count)s participants that the scenario's intake does not hold"),
    # a simulation's options (:func:`brobygger.simulation.run.check_request`, the Dask
    # backend's scheduler)
    "draws_positive": N_("the number of draws must be positive"),
    "out_not_csv": N_("the per-draw table is written as CSV: give a file name ending in .csv"),
    "excel_not_xlsx": N_("an Excel workbook is written: give a file name ending in .xlsx"),
    "draws_memory": N_("%(draws)s draws would keep about %(need)s GB of results in memory; "
                       "this machine has %(have)s GB: at most %(most)s draws"),
    "seed_range": N_("the seed must be from 0 to %(most)s"),
    "workers_positive": N_("the number of workers must be positive"),
    "scheduler_unreachable": N_("cannot reach the Dask scheduler: %(reason)s"),
    "cannot_write_file": N_("cannot write the file: %(reason)s"),
    "scheduler_without_workers": N_("the Dask scheduler has no workers (waited %(seconds)s "
                                    "s): start workers, or leave out --scheduler for a cluster "
                                    "on this machine"),
    "backend_name": N_("use 'local' or 'dask'"),
    "scheduler_needs_dask": N_("a scheduler is for --backend dask"),
    # any YAML file (:func:`brobygger.yamlio.load_yaml`; its unreadable file and non-UTF-8
    # text share the event file's kinds below) and an output option
    # (:func:`brobygger.errors.output_problems`)
    "malformed_yaml": N_("malformed YAML: %(reason)s"),
    "duplicate_yaml_key": N_("malformed YAML: duplicate key %(key)s (line %(line)s)"),
    "impossible_yaml_date": N_("malformed YAML: %(date)s is not a valid date"),
    "listed_twice": N_("%(list)s lists %(item)s twice"),
    "rate_lever_range": N_("the multiplier must be from 0 to %(most)s: a larger one leaves a "
                           "negative probability"),
    "extends_circle": N_("scenarios extend in a circle: %(chain)s"),
    "changes_not_a_list": N_("a list of changes (each with 'name' and 'set')"),
    "no_value_before": N_("no value before %(first)s (first known)"),
    "parameter_ended": N_("the parameter ended on %(ended)s"),
    "output_is_folder": N_("is a folder: give a file name"),
    "no_such_folder": N_("no such folder: %(folder)s"),
    # the settlement's: an event file (:mod:`brobygger.payments.events`) …
    "not_a_date": N_("date %(value)s is not a date (YYYY-MM-DD)"),
    "amount_decimals": N_("amount %(value)s has more than two decimals"),
    "amount_negative": N_("amount %(value)s is negative (a wage or a benefit paid is not)"),
    "amount_not_a_number": N_("amount %(value)s is not a number"),
    "unknown_event_type": N_("unknown event type %(value)s (known: %(known)s)"),
    "not_a_job_state": N_("state %(value)s is not a job state (%(states)s)"),
    "hours_not_a_number": N_("hours_per_week %(value)s is not a number"),
    "hours_range": N_("hours_per_week %(value)s is not between 0 and 168"),
    "bad_count": N_("count %(value)s is not a whole number of at least 1"),
    "bad_verified": N_("verified %(value)s is not true or false"),
    "date_missing": N_("the date is missing"),
    "empty_file": N_("the file is empty (no header row)"),
    "cell_count": N_("has %(cells)s cells, the header has %(width)s"),
    "malformed_json": N_("malformed JSON: %(reason)s"),
    "json_not_events": N_('a JSON event file is a list of event objects (or {"events": [...]})'),
    "missing_key": N_("no %(key)s"),
    "unknown_column": N_("unknown column %(column)s (known: %(known)s)"),
    "column_twice": N_("column %(column)s appears twice"),
    "required_column": N_("the required column %(column)s is missing"),
    "no_such_file": N_("no such file"),
    "not_a_file": N_("not a file"),
    "event_file_suffix": N_("an event file ends in .csv or .json"),
    "not_utf8": N_("not UTF-8 text: save the file as UTF-8"),
    "cannot_read": N_("cannot read: %(reason)s"),
    "unreadable_csv": N_("not a readable CSV file: %(reason)s"),
    "no_events": N_("no events in the file"),
    # … the checks of the events (:mod:`brobygger.payments.checks`) …
    "duplicate_event": N_("duplicate event: the same as row %(row)s"),
    "duplicate_event_id": N_("duplicate event id %(id)s (also row %(row)s)"),
    "job_end_without_start": N_("job end without a job start for participant %(participant)s"),
    "education_end_without_start": N_(
        "education end without a education start for participant %(participant)s"),
    "job_end_before_start": N_("job end %(end)s is before its start %(start)s (row %(row)s)"),
    "education_end_before_start": N_(
        "education end %(end)s is before its start %(start)s (row %(row)s)"),
    "job_still_open": N_(
        "a job starts on %(start)s while the job from row %(row)s is still open (has no end)"),
    "job_open_until": N_(
        "a job starts on %(start)s while the job from row %(row)s is still open "
        "(ends %(end)s)"),
    "education_still_open": N_(
        "a education starts on %(start)s while the education from row %(row)s is still open "
        "(has no end)"),
    "education_open_until": N_(
        "a education starts on %(start)s while the education from row %(row)s is still open "
        "(ends %(end)s)"),
    "needs_participant": N_("a citizen event needs a participant"),
    "needs_partnership": N_("an enterprise event needs a partnership"),
    "future_date": N_("date %(date)s is in the future (after %(as_of)s)"),
    "job_start_state": N_("a job_start needs a state (job_accelerator or job_other)"),
    "job_start_hours": N_("a job_start needs hours_per_week"),
    "referred_twice": N_(
        "participant %(participant)s is referred twice (first on row %(row)s)"),
    "unknown_participant": N_("unknown participant %(participant)s: no referral event"),
    "participant_cpr": N_("participant %(participant)s looks like a CPR number: the file "
                          "names participants by a pseudonymous id"),
    "before_referral": N_(
        "date %(date)s is before participant %(participant)s's referral on %(referral)s"),
    "unknown_partnership": N_("unknown partnership %(partnership)s"),
    "wrong_social_enterprise": N_(
        "social_enterprise %(given)s is not partnership %(partnership)s's (%(its)s)"),
    "already_exited": N_("the participant has already exited"),
    "after_exit": N_("date %(date)s is after the participant's exit on %(exit)s"),
    "no_induction_start": N_("%(type)s without an induction_start on or before %(date)s"),
    "referral_partnership": N_("a referral needs a partnership"),
    "partnership_not_in_contract": N_(
        "partnership %(partnership)s is not in the contract file: give municipality, "
        "other_actor and social_enterprise on the referral"),
    "partnership_incomplete": N_(
        "a referral that describes its partnership gives municipality, other_actor and "
        "social_enterprise"),
    "field_unknown_municipality": N_("%(field)s: unknown kommunekode %(code)s"),
    "invalid_partnership": N_("%(reasons)s"),
    "partnership_contradicts": N_("partnership %(partnership)s contradicts the contract file's"),
    "partnership_described_differently": N_(
        "partnership %(partnership)s is described differently on another referral"),
    # … a contract file (:mod:`brobygger.payments.contract_file`) …
    "outcome_id_twice": N_("outcome id %(id)s is used twice"),
    "valid_order": N_("valid_to %(valid_to)s is before valid_from %(valid_from)s"),
    "no_price": N_("no price given"),
    "investor_payer": N_("the payer is 'investor' but the file has no investor block"),
    "enterprise_payees": N_("an enterprise-side outcome is paid to the social_enterprise"),
    "partnership_twice": N_("partnership %(partnership)s is listed twice"),
    "partnership_cap_below": N_(
        "caps contradict each other: the partnership cap %(cap)s is below the "
        "per-participant cap %(other_cap)s"),
    "partnership_cap_above": N_(
        "caps contradict each other: the partnership cap %(cap)s is above the per-contract "
        "cap %(other_cap)s"),
    "no_contract_key": N_(
        "a contract file has a top-level 'contract' key (or is a whole scenario file)"),
    # … settling (:mod:`brobygger.payments.settle`) …
    "no_price_on_referral_date": N_(
        "outcome %(outcome)s has no price on %(date)s (referral date %(date)s)"),
    "no_price_on_event_date": N_(
        "outcome %(outcome)s has no price on %(date)s (event date %(date)s)"),
    "payment_not_price": N_("a payment of %(paid)s for a price of %(price)s"),
    "over_participant_cap": N_("paid %(paid)s, past the cap of %(cap)s per participant"),
    "over_partnership_cap": N_("paid %(paid)s, past the cap of %(cap)s per partnership"),
    "over_contract_cap": N_("paid %(paid)s, past the cap of %(cap)s per contract"),
    "period_not_ended": N_(
        "ends %(end)s, after %(as_of)s: only a period that has ended can be settled (what "
        "happens in its last months is not known yet)"),
    "overlaps_closed_period": N_(
        "overlaps closed period %(closed)s: settle an open period (corrections to a closed "
        "period are posted in the next open one)"),
    # … the ledger's checks (:mod:`brobygger.payments.ledger`) and store
    # (:mod:`brobygger.payments.store`) …
    "unbalanced": N_("does not balance: sums to %(sum)s"),
    "too_few_postings": N_("needs at least two postings"),
    "not_whole_ore": N_("%(account)s: %(amount)s is not whole øre"),
    "key_used_twice": N_("idempotency key used twice"),
    "in_closed_period": N_("dated %(date)s in closed period %(period)s"),
    "reverses_unknown": N_("reverses %(id)s, which is not an earlier transaction"),
    "reversal_not_mirror": N_("does not mirror the transaction it reverses"),
    "reversed_twice": N_("%(id)s is reversed twice"),
    "no_event_named": N_("names no event that caused it"),
    "unverified_events": N_("pays for unverified or unknown event(s) %(events)s"),
    "unreadable_entry": N_("unreadable entry: %(reason)s"),
    "cannot_write_ledger": N_("cannot write the ledger: %(reason)s"),
    "batch_name": N_("could not name a new batch"),
    "already_closed": N_("already closed (as %(closed)s)"),
    "overlaps_closed": N_("overlaps the closed period %(closed)s: close the months not "
                          "closed as periods of their own"),
    "settled_later": N_("the ledger already holds this contract's payments dated %(date)s, "
                        "after the period: periods are settled in order (a correction to this "
                        "one is posted in the next open period)"),
    "close_before_end": N_("has not ended: it ends on %(end)s, and can be closed from then on"),
    # … and the settle and ledger commands' options (:mod:`brobygger.ledger_cli`,
    # :class:`brobygger.payments.period.Period`)
    "not_a_period": N_("%(value)s is not a period: write 2020-03, 2020-Q1, 2020-H1 or 2020"),
    "year_out_of_range": N_("%(value)s: year %(year)s is out of range"),
    "no_such_month": N_("%(value)s: month %(month)s does not exist"),
    "as_of_date": N_("not a date: write YYYY-MM-DD"),
    "indigo_needs_contract": N_("INDIGO export needs the contract file"),
    "excel_needs": N_("needs --period and --output"),
    "unknown_format": N_("unknown format %(format)s: indigo, json or excel"),
    "no_ledger": N_("no ledger here (settle starts one)"),
    "no_investor": N_("the contract file has no investor block"),
    "period_for_excel": N_("--period is for --format excel: the INDIGO project and the JSON "
                           "export hold the whole ledger"),
    "planned_investor": N_(
        "a scenario's investor is a plan, with no providers: the ledger's investor is given "
        "in a contract file (contract, partnerships, and an investor whose drawdowns name "
        "their providers)"),
    "drawdown_provider": N_("%(provider)s is not a provider of the file's partnerships: write "
                            "other_actor:<id> or social_enterprise:<id>"),
}

#: the context's amounts of money, which the core writes as a ``Decimal`` gives them
#: (``12345.00``, no thousands separator): said in the language's format
AMOUNTS = frozenset({"paid", "price", "cap", "other_cap", "sum", "amount"})
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")

#: where a settlement's problem is: a location that is one of these words, or one of
#: these words followed by a number or a name (``row 12``, ``transaction pay:1``)
PLACES = {
    "header": N_("header"),
    "settlement": N_("settlement"),
}
#: a place in a YAML file (:func:`brobygger.yamlio.load_yaml`)
LINE_COLUMN = N_("line %(line)s, column %(column)s")
_LINE_COLUMN = re.compile(r"line (\d+), column (\d+)")
LOCATIONS = {
    "row": N_("row %(n)s"),
    "line": N_("line %(n)s"),
    "byte": N_("byte %(n)s"),
    "transaction": N_("transaction %(n)s"),
    "participant": N_("participant %(n)s"),
    "partnership": N_("partnership %(n)s"),
    "contract": N_("contract %(n)s"),
    "outcome": N_("outcome %(n)s"),
    "period": N_("period %(n)s"),
}

#: the source of the scenario a forecast makes from the registry
#: (:func:`brobygger.simulation.forecast.live_scenario`)
LIVE_SCENARIO = "live scenario"
#: the kinds of :data:`WHOLE` a scenario file's check also meets: said whole only in a
#: forecast
_FROM_FILE = {"referrals_outside_horizon": True, "referrals_outside_period": True}

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
    if lang != "en":  # (an amount given as a number is in the language's format already)
        for key, value in problem.context:
            if key in AMOUNTS and isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value):
                values[key] = danish_separators(f"{Decimal(value):,}")
    if "expected" in values:  # pydantic joins the allowed values with an English "or"
        values["expected"] = values["expected"].replace(" or ", f" {_(OR)} ")
    try:
        text = _(template) % values
    except KeyError:
        return None
    if "input" in values and "%(value)s" not in template:  # (not twice: '2020-13' is not …)
        text = _(GIVEN) % {"message": text, "input": values["input"]}
    if "participants" in values:
        text = _(NAMED) % {"message": text, "named": values["participants"]}
    return text


def problem_message(problem: Problem, lang: str | None = None) -> str:
    """The problem's message in ``lang`` (default: the command line's,
    :func:`brobygger.i18n.language`); the core's English where its kind has no template."""
    return _said(problem, MESSAGES, lang or language()) or problem.message


def location_text(location: str, lang: str | None = None) -> str:
    """Where a settlement's problem is, in ``lang``: ``row 12`` is ``række 12`` in Danish,
    ``header`` ``overskriften``; any other location (a key path) as it is."""
    _ = translation(lang or language()).gettext
    if location in PLACES:
        return _(PLACES[location])
    at = _LINE_COLUMN.fullmatch(location)
    if at:
        return _(LINE_COLUMN) % {"line": at[1], "column": at[2]}
    word, _space, rest = location.partition(" ")
    if rest and word in LOCATIONS:
        return _(LOCATIONS[word]) % {"n": rest}
    return location


def problem_text(problem: Problem, lang: str | None = None) -> str:
    """The whole problem, as ``str(problem)`` gives it, in ``lang``: said whole where its
    kind is one of :data:`WHOLE`, else its source, key path (or row) and message. The
    location is said in ``lang`` where the message is, unless it is the value an option
    was given (``--ledger``'s folder)."""
    lang = lang or language()
    # (a scenario file's intake problem keeps its file and key, said as the others)
    whole = _said(problem, WHOLE, lang) if not _FROM_FILE.get(problem.kind) or \
        problem.source == LIVE_SCENARIO else None
    if whole is not None:
        return whole
    said = _said(problem, MESSAGES, lang)
    if said is not None and not problem.source.startswith("--"):
        problem = replace(problem, location=location_text(problem.location, lang))
    message = problem.message if said is None else said
    return f"{problem.where}: {message}" if problem.where else message
