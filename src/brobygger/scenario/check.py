"""Checks across a scenario's parts and against the parameters; returns every problem."""

from __future__ import annotations

import datetime as dt

from brobygger.errors import BrobyggerError, Problem
from brobygger.municipalities import municipalities
from brobygger.params import ParameterTree, default_parameters
from brobygger.scenario.schema import (
    ENTERPRISE_TRIGGERS,
    Scenario,
    State,
    _months_between,
    month_of,
)

ROW_TOLERANCE = 1e-9
KNOWN_TARGETS = frozenset(
    {"3B.1", "3B.2", "3B.3", "3B.4", "places", "ordinary_hires", "partnerships", "enterprises"}
)
PROGRAMME_ONLY_STATES = frozenset(
    {State.referred, State.induction, State.jobseeking, State.job_accelerator}
)


def horizon_months(scenario: Scenario) -> list[dt.date]:
    start = scenario.horizon_start
    end_index = start.year * 12 + start.month - 1 + scenario.horizon.months - 1
    return _months_between(start, dt.date(end_index // 12, end_index % 12 + 1, 1))


def check_scenario(
    scenario: Scenario, source: str = "<scenario>", params: ParameterTree | None = None
) -> list[Problem]:
    params = params or default_parameters()
    problems: list[Problem] = []

    def add(where: str, message: str, kind: str = "", **context: str | float) -> None:
        problems.append(Problem(source, where, message, kind, tuple(context.items())))

    start = scenario.horizon_start
    if start.year * 12 + start.month - 1 + scenario.horizon.months > 9999 * 12:
        add("horizon", "the horizon ends after the year 9999", "horizon_too_long")
        return problems
    months = horizon_months(scenario)
    first, last = months[0], months[-1]
    programme = scenario.programme

    # the horizon and the programme
    if last < month_of(programme.period.start):
        add("horizon", f"the horizon ({first:%Y-%m} to {last:%Y-%m}) ends before the programme "
            f"starts ({programme.period.start})", "horizon_before_programme",
            first=f"{first:%Y-%m}", last=f"{last:%Y-%m}", start=str(programme.period.start))
    if first > month_of(programme.period.start):
        add("horizon.start", f"the horizon starts ({first:%Y-%m}) after the programme starts "
            f"({programme.period.start}): its first months would be lost",
            "horizon_after_programme", first=f"{first:%Y-%m}",
            start=str(programme.period.start))
    if scenario.investor is not None:
        for n, d in enumerate(scenario.investor.drawdowns):
            if not first <= month_of(d.month) <= last:
                add(f"investor.drawdowns.{n}.month", f"{d.month} lies outside the horizon "
                    f"({first:%Y-%m} to {last:%Y-%m})", "drawdown_outside_horizon",
                    month=str(d.month), first=f"{first:%Y-%m}", last=f"{last:%Y-%m}")
    window = month_of(programme.window_end)
    if not (month_of(programme.period.start) <= window <= last):
        add("programme.indicator_window_end",
            f"the indicators' window ends {programme.window_end}, outside the programme's "
            f"start ({programme.period.start}) to the horizon's end ({last:%Y-%m})",
            "window_outside", end=str(programme.window_end), start=str(programme.period.start),
            last=f"{last:%Y-%m}")
    for key in programme.targets:
        if key not in KNOWN_TARGETS:
            add(f"programme.targets.{key}", f"unknown target (known: {sorted(KNOWN_TARGETS)})",
                "unknown_target", known=", ".join(sorted(KNOWN_TARGETS)))

    # municipalities and intake
    register = municipalities()
    seen: set[str] = set()
    referral_months: set[dt.date] = set()
    for i, m in enumerate(scenario.municipalities):
        where = f"municipalities.{i}"
        if m.code not in register:
            add(f"{where}.code", f"unknown kommunekode {m.code!r}", "unknown_municipality",
                code=m.code)
        if m.code in seen:
            add(f"{where}.code", f"municipality {m.code} appears twice", "municipality_twice",
                code=m.code)
        seen.add(m.code)
        # referrals outside the horizon or the programme period, one problem for the months
        # before it and one for those after it (a shortened horizon leaves many months out)
        outside: dict[tuple[str, bool], list[dt.date]] = {}
        for month in m.intake.monthly():
            referral_months.add(month)
            if not (first <= month <= last):
                outside.setdefault(("horizon", month < first), []).append(month)
            elif not (month_of(programme.period.start) <= month <= programme.period.end):
                outside.setdefault(("programme period", month < programme.period.start),
                                   []).append(month)
        for (span, _before), months in outside.items():
            a, b = f"{min(months):%Y-%m}", f"{max(months):%Y-%m}"
            shown = a if a == b else f"{a} … {b}"
            add(f"{where}.intake", f"referrals in {shown} fall outside the {span}",
                "referrals_outside_horizon" if span == "horizon" else
                "referrals_outside_period", municipality=m.code, month=shown, first=a, last=b)

    # profiles
    ids = [p.id for p in scenario.profiles]
    if len(set(ids)) != len(ids):
        add("profiles", f"profile ids repeat: {ids}", "profile_ids_repeat",
            ids=", ".join(ids))
    total_share = sum(p.share for p in scenario.profiles)
    if abs(total_share - 1.0) > ROW_TOLERANCE:
        add("profiles", f"profile shares sum to {total_share:g}, not 1", "profile_shares",
            total=round(total_share, 12))
    for i, p in enumerate(scenario.profiles):
        if _check_unit(params, p.benefit, MONEY_PER_PERIOD, f"profiles.{i}.benefit", add):
            _check_covered(params, p.benefit, months, f"profiles.{i}.benefit", add)
    if _check_unit(params, scenario.education.benefit, MONEY_PER_PERIOD, "education.benefit",
                   add):
        _check_covered(params, scenario.education.benefit, months, "education.benefit", add)

    # pathways
    for world in ("programme", "counterfactual"):
        model = getattr(scenario.pathways, world)
        base = f"pathways.{world}"
        listed = set(model.periods[0].rows)
        missing = [s.value for s in _reachable(model) if s is not State.exited and s not in listed]
        if missing:
            add(f"{base}.periods.0.rows",
                f"missing rows for {missing} (every state the participants can reach needs one)",
                "missing_rows", states=", ".join(missing))
        for n, period in enumerate(model.periods):
            for state, row in period.rows.items():
                where = f"{base}.periods.{n}.rows.{state.value}"
                total = sum(row.values())
                if abs(total - 1.0) > ROW_TOLERANCE:
                    add(where, f"probabilities sum to {total:.12g}, not 1", "row_sum",
                        total=round(total, 12))
                if state is State.exited and row.get(State.exited, 0.0) != 1.0:
                    add(where, "'exited' is absorbing: its row must be {exited: 1}",
                        "exited_absorbing")
                if world == "counterfactual":
                    bad = sorted(s.value for s in row if s in PROGRAMME_ONLY_STATES and row[s] > 0)
                    if bad:
                        add(where, f"the counterfactual cannot move into programme states {bad}",
                            "counterfactual_moves", states=", ".join(bad))
        if world == "counterfactual" and model.entry_state in PROGRAMME_ONLY_STATES:
            add(f"{base}.entry_state", "the counterfactual cannot start in a programme state",
                "counterfactual_entry")

    # jobs
    for kind in ("accelerator", "other"):
        wage = getattr(scenario.jobs, kind).hourly_wage
        where = f"jobs.{kind}.hourly_wage.parameter"
        if wage.parameter and _check_unit(params, wage.parameter, ("DKK/hour",), where, add):
            _check_covered(params, wage.parameter, months, where, add)

    # discounting
    disc = scenario.discounting
    if disc.rate is None and disc.parameter:
        _check_covered(params, disc.parameter, [disc.as_of or first], "discounting.parameter",
                       add)
    if disc.deflator and _check_unit(params, disc.deflator, ("/1",), "discounting.deflator",
                                     add):
        _check_covered(params, disc.deflator, [dt.date(y, 1, 1) for y in
                                                range(first.year, last.year + 1)],
                       "discounting.deflator", add)

    # the programme's budget: its lines add up to the eligible costs, and the EU Social Fund
    # finances each cost at the programme's share (or not at all: a cost that is not
    # eligible); the model reads the costs' own financing, so a programme share that they
    # do not follow would be shown but not used
    if programme.budget_lines:
        lines = round(sum(b.amount for b in programme.budget_lines), 2)
        if abs(lines - programme.eligible_costs) > 0.005:
            add("programme.eligible_costs", f"the budget lines sum to {lines:,.2f} kr, not "
                f"the eligible costs {programme.eligible_costs:,.2f} kr", "budget_lines_sum",
                sum=lines, amount=programme.eligible_costs)
    for i, c in enumerate(scenario.costs):
        esf = c.financing.get("esf", 0.0)
        if esf > ROW_TOLERANCE and abs(esf - programme.esf_share) > ROW_TOLERANCE:
            add(f"costs.{i}.financing.esf",
                f"the EU Social Fund finances {esf:.2%} of this cost, but the programme's "
                f"share is {programme.esf_share:.2%} (0 for a cost that is not eligible)",
                "esf_share_mismatch", share=round(100 * esf, 4),
                programme=round(100 * programme.esf_share, 4))

    # costs
    for i, c in enumerate(scenario.costs):
        share = sum(c.financing.values())
        if abs(share - 1.0) > ROW_TOLERANCE:
            add(f"costs.{i}.financing", f"financing shares sum to {share:g}, not 1",
                "financing_shares", total=round(share, 12))
        for key in ("start", "end"):
            value = getattr(c, key)
            if value is not None:
                try:
                    month_of(value)
                except ValueError:
                    add(f"costs.{i}.{key}", f"{value!r} is not a month (YYYY-MM)",
                        "not_a_month", value=repr(value))
    budget_ids = {b.id for b in programme.budget_lines}
    for i, c in enumerate(scenario.costs):
        if c.budget_line and c.budget_line not in budget_ids:
            add(f"costs.{i}.budget_line", f"unknown budget line {c.budget_line!r}",
                "unknown_budget_line", value=repr(c.budget_line))

    # contract
    outcome_ids = [o.id for o in scenario.contract.outcomes]
    if len(set(outcome_ids)) != len(outcome_ids):
        add("contract.outcomes", f"outcome ids repeat: {outcome_ids}", "outcome_ids_repeat",
            ids=", ".join(outcome_ids))
    for i, o in enumerate(scenario.contract.outcomes):
        if o.trigger.type in ENTERPRISE_TRIGGERS and set(o.payees) - {"social_enterprise"}:
            add(f"contract.outcomes.{i}.payees",
                "an enterprise-side outcome is paid to the social enterprise",
                "enterprise_payee")
        # citizen-side prices are read at referral, enterprise-side ones in every month
        enterprise = o.trigger.type in ENTERPRISE_TRIGGERS
        priced = months if enterprise else sorted(referral_months)
        offered = o.offered_in_month if enterprise else o.offered_to_referral
        for month in priced:
            if not offered(month):
                continue  # not offered then: no price needed
            try:
                o.price_at(month)
            except ValueError as exc:
                add(f"contract.outcomes.{i}.price", str(exc))
                break
        if o.valid_from and o.valid_to and o.valid_to < o.valid_from:
            add(f"contract.outcomes.{i}.valid_to", "ends before it starts",
                "ends_before_start")
    return _named(problems, scenario)


def _named(problems: list[Problem], scenario: Scenario) -> list[Problem]:
    """The problems' key paths with list positions written as the items' ids and codes
    (:func:`brobygger.scenario.load.named_location`)."""
    if not problems:
        return problems
    from brobygger.scenario.load import named_locations

    return named_locations(problems, scenario.model_dump())


MONEY_PER_PERIOD = ("DKK/month", "DKK/week", "DKK/year")


def _check_unit(params: ParameterTree, name: str, units: tuple[str, ...], where: str,
                add) -> bool:
    """The parameter exists and is in one of ``units``; False (and a problem) if not."""
    if name not in params.leaves:
        add(where, f"{name}: no such parameter", "no_such_parameter", name=name)
        return False
    unit = params.get(name).unit
    if unit not in units:
        add(where, f"{name} is in {unit}, expected {' or '.join(units)}", "wrong_unit",
            name=name, unit=unit, expected=" or ".join(units))
        return False
    return True


def _reachable(model) -> list[State]:
    """States reachable from the entry state through any period's rows, in State order."""
    seen = {model.entry_state}
    frontier = [model.entry_state]
    while frontier:
        state = frontier.pop()
        for period in model.periods:
            for target, prob in period.rows.get(state, {}).items():
                if prob > 0 and target not in seen:
                    seen.add(target)
                    frontier.append(target)
    return [s for s in State if s in seen]


def _check_covered(params: ParameterTree, name: str, dates: list[dt.date], where: str,
                   add) -> None:
    """The parameter exists and has a value on every date given (first problem only)."""
    for date in dates:
        try:
            params.value(name, date)
        except BrobyggerError as exc:
            add(where, f"{name}: {exc.problems[0].message} ({exc.problems[0].location})")
            return
