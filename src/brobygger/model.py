"""A scenario compiled for computation: horizon, chains, tables and intake as arrays.

Both the exact expectation (:mod:`brobygger.economics.business_case`) and the Monte Carlo
(:mod:`brobygger.simulation`) start from a :class:`CompiledScenario`, so they read the same
rules, the same tables and the same intake.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from brobygger.economics.public_finance import FinanceContext
from brobygger.economics.rates import WEEKS_PER_MONTH, reset_months
from brobygger.errors import Problem, ScenarioError
from brobygger.params import ParameterTree, default_parameters
from brobygger.pathways.chains import (
    ChainTooLarge,
    CompiledChain,
    ContractRules,
    OutcomeRule,
    RefundRules,
    compile_contract_chain,
    compile_refund_chain,
)
from brobygger.pathways.states import EDUCATION, IN_JOB, INDEX, N_STATES, ON_BENEFIT
from brobygger.pathways.transitions import Transitions, build_transitions
from brobygger.scenario.check import horizon_months
from brobygger.scenario.schema import (
    CITIZEN_TRIGGERS,
    ENTERPRISE_TRIGGERS,
    Outcome,
    Scenario,
    State,
    month_of,
)

WORLDS = ("programme", "counterfactual")
ORE = 100  # øre per krone: the contract chain counts money in whole øre


def month_index(months: list[dt.date], date: dt.date) -> int:
    first = months[0]
    return (date.year - first.year) * 12 + date.month - first.month


@dataclass(frozen=True)
class Regime:
    """The prices in force for participants referred in some months (price at referral)."""

    prices_ore: tuple[int, ...]  # per citizen-side outcome, 0 where not valid
    rules: ContractRules
    chain: CompiledChain


@dataclass
class CompiledScenario:
    scenario: Scenario
    params: ParameterTree
    months: list[dt.date]
    transitions: dict[str, Transitions]
    refund_rules: RefundRules
    refund_chains: dict[str, CompiledChain]
    citizen_outcomes: list[Outcome]
    enterprise_outcomes: list[Outcome]
    regimes: list[Regime]
    #: referrals per municipality code, regime and month: (R, T) arrays
    intake: dict[str, np.ndarray]
    finance: FinanceContext
    profile_b0: list[int]
    _cache: dict[str, object] = field(default_factory=dict, repr=False)

    @property
    def T(self) -> int:
        return len(self.months)

    @property
    def codes(self) -> list[str]:
        return [m.code for m in self.scenario.municipalities]

    @cached_property
    def window_end_index(self) -> int:
        """Last month index (inclusive) counted for the programme's indicators."""
        return month_index(self.months, month_of(self.scenario.programme.window_end))

    def lag(self, outcome: Outcome) -> int:
        return outcome.lag_months if outcome.lag_months is not None \
            else self.scenario.contract.lag_months


def _refund_rules(scenario: Scenario, params: ParameterTree, start: dt.date) -> RefundRules:
    subsidised = {
        INDEX[State.job_accelerator]: scenario.jobs.accelerator.subsidy.type != "none",
        INDEX[State.job_other]: scenario.jobs.other.subsidy.type != "none",
    }
    on_support = ON_BENEFIT.copy()
    self_support = np.zeros(N_STATES, dtype=bool)
    for s, sub in subsidised.items():
        on_support[s] = sub
        self_support[s] = not sub
    self_support[EDUCATION] = True
    assert not np.any(on_support & self_support)
    assert np.all((on_support | self_support) >= IN_JOB)
    return RefundRules(on_support, self_support, reset_months(params, start))


def _too_many_histories(source: str, cap: float | None, prices: tuple[int, ...],
                        limit: int) -> Problem:
    """The problem of a rate card whose contract chain has more than ``limit`` keys
    (:class:`brobygger.pathways.chains.ChainTooLarge`); ``prices`` in øre."""
    if cap is None:  # (the outcomes alone stay far below the limit: no sum to remember)
        return Problem(source, "contract.outcomes", f"the rate card's outcomes make more "
                       f"than {limit:,} distinct payment histories for a participant",
                       "too_many_histories", (("limit", limit),))
    smallest = round(min((x for x in prices if x), default=0) / ORE)
    return Problem(source, "contract.caps.per_participant",
                   f"the cap of {cap:,.0f} kr is paid out in prices so small next to it (from "
                   f"{smallest:,.0f} kr) that a participant's payment histories up to it "
                   f"number more than {limit:,}: raise the smallest prices, or lower or "
                   "remove the cap", "cap_too_fine",
                   (("cap", round(cap)), ("smallest", smallest), ("limit", limit)))


def compile_scenario(scenario: Scenario, params: ParameterTree | None = None) -> CompiledScenario:
    params = params or default_parameters()
    months = horizon_months(scenario)
    transitions = {w: build_transitions(getattr(scenario.pathways, w)) for w in WORLDS}
    rules = _refund_rules(scenario, params, months[0])
    b0 = [round(p.weeks_on_benefit_at_entry / WEEKS_PER_MONTH) for p in scenario.profiles]
    refund_chains = {
        w: compile_refund_chain(rules, transitions[w].entry_state, b0) for w in WORLDS
    }
    contract = scenario.contract
    citizen = [o for o in contract.outcomes if o.trigger.type in CITIZEN_TRIGGERS]
    enterprise = [o for o in contract.outcomes if o.trigger.type in ENTERPRISE_TRIGGERS]
    hours = {
        INDEX[State.job_accelerator]: scenario.jobs.accelerator.hours_per_week,
        INDEX[State.job_other]: scenario.jobs.other.hours_per_week,
    }

    def states_mask(o: Outcome) -> np.ndarray:
        m = np.zeros(N_STATES, dtype=bool)
        for s in o.trigger.job_states:
            if hours[INDEX[s]] >= o.trigger.min_hours_per_week:
                m[INDEX[s]] = True
        return m

    cap = contract.caps.per_participant
    cap_ore = None if cap is None else round(cap * ORE)
    regime_index: dict[tuple[int, ...], int] = {}
    regimes: list[Regime] = []
    intake: dict[str, np.ndarray] = {}
    monthly = {m.code: m.intake.monthly() for m in scenario.municipalities}
    entry = transitions["programme"].entry_state
    rows: list[tuple[str, int, int, int]] = []

    def regime_of(month: dt.date) -> int:
        """The regime of a referral in ``month`` (its prices), made when first met."""
        prices = tuple(
            round(o.price_at(month) * ORE) if o.offered_to_referral(month) else 0
            for o in citizen
        )
        if prices not in regime_index:
            rule_list = [
                OutcomeRule(o.trigger.type, p, states_mask(o), o.trigger.months or 0)
                for o, p in zip(citizen, prices, strict=True)
            ]
            contract_rules = ContractRules.build(rule_list, cap_ore)
            try:
                chain = compile_contract_chain(contract_rules, entry)
            except ChainTooLarge as exc:
                raise ScenarioError(_too_many_histories(scenario.name, cap, prices,
                                                        exc.limit)) from None
            regime_index[prices] = len(regimes)
            regimes.append(Regime(prices, contract_rules, chain))
        return regime_index[prices]

    for code, schedule in monthly.items():
        for month, count in schedule.items():
            rows.append((code, regime_of(month), month_index(months, month), count))
    if not regimes:  # no referrals at all: the horizon's first month's regime, never used,
        # so that the engines' tables of regimes are never empty
        regime_of(months[0])
    for code in monthly:
        intake[code] = np.zeros((len(regimes), len(months)))
    for code, g, t, count in rows:
        intake[code][g, t] += count
    finance = FinanceContext(scenario, params, months)
    return CompiledScenario(
        scenario, params, months, transitions, rules, refund_chains, citizen, enterprise,
        regimes, intake, finance, b0,
    )
