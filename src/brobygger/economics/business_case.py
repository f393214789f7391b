"""The business case, exactly: expected savings, programme costs and payments per payer.

``expect(scenario)`` propagates the distribution of every participant's augmented state
month by month (no sampling) and returns, per municipality and payer, monthly arrays of

* savings: the counterfactual's public cost minus the programme world's,
* programme costs borne (by each financier's share of each cost line),
* outcome payments made (by the contract's payer),
* net result = savings − programme costs borne − payments made,

undiscounted and discounted, with the cumulative path and the break-even month.

Aggregation by municipality uses the fact that transitions depend on months since entry
only: a participant referred in month e is in month t − e of its path in calendar month t,
so every municipality's figure is a (calendar-weighted) convolution of its intake with the
per-participant expectation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from brobygger.model import ORE, CompiledScenario, compile_scenario, month_index
from brobygger.notes import Note
from brobygger.params import ParameterTree
from brobygger.pathways.chains import INDICATOR_CODES, REFUND_MONTHS_CAP
from brobygger.pathways.exact import propagate
from brobygger.pathways.states import N_STATES
from brobygger.scenario.schema import Outcome, Scenario, month_of

PAYERS = ("municipality", "state")
B = REFUND_MONTHS_CAP + 1


def diagonal_convolution(intake: np.ndarray, per_entry: np.ndarray) -> np.ndarray:
    """``out[m, t] = Σ_e intake[m, e] · per_entry[t, t − e]`` for a calendar-dependent kernel.

    ``per_entry[t, k]`` is what one participant in month k of its path contributes in
    calendar month t; a kernel that does not depend on t is the ordinary convolution.
    """
    T = per_entry.shape[0]
    t = np.arange(T)[:, None]
    e = np.arange(T)[None, :]
    k = t - e
    H = np.where(k >= 0, per_entry[t, np.clip(k, 0, None)], 0.0)  # H[t, e]
    return intake @ H.T


def convolve(intake: np.ndarray, per_month: np.ndarray) -> np.ndarray:
    """``out[m, t] = Σ_e intake[m, e] · per_month[t − e]`` (a kernel by months since entry)."""
    T = len(per_month)
    return diagonal_convolution(intake, np.broadcast_to(per_month[None, :], (T, T)))


def shift(series: np.ndarray, months: int) -> np.ndarray:
    """Move a monthly series later by ``months`` (what falls past the horizon is dropped)."""
    if months == 0:
        return series
    out = np.zeros_like(series)
    out[..., months:] = series[..., :-months]
    return out


def price_level(scenario: Scenario, params: ParameterTree, T: int) -> np.ndarray:
    """The deflator's level in each month relative to the analysis year (1 in that year).

    A yearly index rate r_y applies from 1 January of year y, so the level in year Y is
    Π_{y = as_of.year + 1 .. Y} (1 + r_y) (and the inverse for years before the analysis).
    """
    d = scenario.discounting
    if d.deflator is None:
        return np.ones(T)
    base = (d.as_of or scenario.horizon_start).year
    start = scenario.horizon_start
    years = [start.year + (start.month - 1 + t) // 12 for t in range(T)]
    level = {base: 1.0}
    for y in range(base + 1, max(years) + 1):
        level[y] = level[y - 1] * (1 + float(params.value(d.deflator, dt.date(y, 1, 1))))
    for y in range(base - 1, min(years) - 1, -1):
        level[y] = level[y + 1] / (1 + float(params.value(d.deflator, dt.date(y + 1, 1, 1))))
    return np.array([level[y] for y in years])


def discount_factors(scenario: Scenario, params: ParameterTree, T: int) -> np.ndarray:
    """What a krone of month t is worth at the analysis date: deflated to the analysis
    year's prices (if the scenario names a deflator), then (1 + r)^(−t/12) with r the dated
    real rate at the analysis date (years 0–35; the later rate after that)."""
    d = scenario.discounting
    as_of = d.as_of or scenario.horizon_start
    if d.rate is not None:
        r_near = r_far = float(d.rate)
    else:
        r_near = float(params.value(d.parameter or "discount.rate", as_of))
        far = "discount.rate_after_35_years"
        r_far = float(params.value(far, as_of)) if far in params.leaves else r_near
    years = np.arange(T) / 12.0
    near = np.minimum(years, 35.0)
    real = (1 + r_near) ** -near * (1 + r_far) ** -(years - near)
    return real / price_level(scenario, params, T)


def break_even(cumulative: np.ndarray) -> int | None:
    """The first month (1-based) from which the cumulative result stays at or above zero."""
    below = np.flatnonzero(cumulative < 0)
    if below.size == 0:
        return 1
    if below[-1] == len(cumulative) - 1:
        return None
    return int(below[-1]) + 2


@dataclass
class Flows:
    """Monthly arrays (length T) for one payer in one municipality (or in total)."""

    savings: np.ndarray
    programme_costs: np.ndarray
    payments: np.ndarray

    @property
    def net(self) -> np.ndarray:
        return self.savings - self.programme_costs - self.payments

    def __add__(self, other: Flows) -> Flows:
        return Flows(self.savings + other.savings, self.programme_costs + other.programme_costs,
                     self.payments + other.payments)


WORLD_INDEX = {"programme": 0, "counterfactual": 1}


@dataclass
class Assembled:
    """Everything the business case needs, as arrays with leading batch axes (draws).

    ``expect`` assembles one batch element from expectations; the simulation assembles
    many from sampled draws. Both call :func:`assemble`, so the accounting is written once.
    """

    savings: np.ndarray  # (..., 2, M, T) counterfactual cost − programme-world cost, per payer
    due: np.ndarray  # (..., O, M, T) payments by outcome (citizen then enterprise side)
    events: np.ndarray  # (..., 4, M, T) indicator events
    enterprise: np.ndarray  # (..., 2, T) places created, ordinary hires
    borne: np.ndarray  # (..., 2, M, T) programme costs borne by municipality and state
    by_financier: dict[str, np.ndarray]  # financier -> (..., T)
    payer_of: np.ndarray  # (O,) index into PAYERS, -1 for other payers
    cap_bound: np.ndarray  # (...,) bool: the per-contract cap cut payments
    #: (..., W, 2, M, T) each world's public cost, where it was computed (the exact case)
    cost: np.ndarray | None = None

    @cached_property
    def payments(self) -> np.ndarray:  # (..., 2, M, T) by payer
        out = np.zeros(self.savings.shape)
        for i in range(len(PAYERS)):
            for o in np.flatnonzero(self.payer_of == i):
                out[..., i, :, :] += self.due[..., o, :, :]
        return out

    @cached_property
    def net(self) -> np.ndarray:  # (..., 2, M, T)
        return self.savings - self.borne - self.payments


def expected_arrays(c: CompiledScenario) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exact expected (cost, citizen-side due payments, events) in the sampler's layout."""
    sc = c.scenario
    T = c.T
    codes = c.codes
    M = len(codes)
    intake_all = np.stack([c.intake[code].sum(axis=0) for code in codes])  # (M, T)
    shares = np.array([p.share for p in sc.profiles])
    kommuneskat = np.stack([c.finance.kommuneskat(code) for code in codes])  # (M, T)
    tables = {p.benefit: c.finance.cost_table(p.benefit) for p in sc.profiles}
    cost = np.zeros((2, 2, M, T))
    for world, w in WORLD_INDEX.items():
        chain = c.refund_chains[world]
        assert chain.aux is not None
        column = chain.state.astype(np.int64) * B + chain.aux  # key -> (state, b) column
        prop = propagate(chain, c.transitions[world], T, group=column, groups=N_STATES * B)
        occupancy = prop.distribution.transpose(2, 0, 1)  # (P, K, S·B)
        for p, profile in enumerate(sc.profiles):
            table = tables[profile.benefit]
            refund = table.refundable[:, :, None] * table.refund_rate[:, None, :]  # (T,S,B)
            a_muni = (table.refundable[:, :, None] - refund).reshape(T, -1)
            a_state = (refund + (table.state_paid - table.state_tax)[:, :, None]).reshape(T, -1)
            k_base = np.repeat(table.kommune_base, B, axis=1)  # (T, S·B)
            occ = occupancy[p]  # (K, S·B)
            n = intake_all * shares[p]
            cost[w, 0] += (diagonal_convolution(n, a_muni @ occ.T)
                           - kommuneskat * diagonal_convolution(n, k_base @ occ.T))
            cost[w, 1] += diagonal_convolution(n, a_state @ occ.T)

    n_out = len(c.citizen_outcomes)
    due = np.zeros((n_out, M, T))
    events = np.zeros((len(INDICATOR_CODES), M, T))
    for g, regime in enumerate(c.regimes):
        prop = propagate(regime.chain, c.transitions["programme"], T)
        assert prop.payments is not None and prop.events is not None
        pay = prop.payments[:, 0, :] / ORE  # (K, outcomes) DKK per participant
        ev = prop.events[:, 0, :]  # (K, 4)
        n = np.stack([c.intake[code][g] for code in codes])  # (M, T)
        for i, outcome in enumerate(c.citizen_outcomes):
            due[i] += shift(convolve(n, pay[:, i]), c.lag(outcome))
        for e in range(ev.shape[1]):
            events[e] += convolve(n, ev[:, e])
    return cost, due, events


def enterprise_expectation(c: CompiledScenario) -> np.ndarray:
    """(2, T) expected places created and ordinary hires per month."""
    counts = _enterprise_counts(c)
    return np.stack([counts["places"], counts["ordinary_hires"]])


def assemble(c: CompiledScenario, savings: np.ndarray, due_citizen: np.ndarray,
             events: np.ndarray, enterprise: np.ndarray,
             cost: np.ndarray | None = None) -> Assembled:
    """From participants' costs, payments and events to the whole business case.

    Adds the enterprise side's payments (places and ordinary hires, allotted to
    municipalities by their share of the partnerships), applies the per-contract cap to
    the payment flow of each batch element, and the programme costs by financier.
    """
    sc = c.scenario
    batch = savings.shape[:-3]
    partner_share = partnership_shares(c)
    ent_due = []
    for outcome in c.enterprise_outcomes:
        k = 0 if outcome.trigger.type == "place_created" else 1
        prices = _enterprise_prices(c, outcome)
        series = shift(enterprise[..., k, :] * prices, c.lag(outcome))  # (..., T)
        ent_due.append(series[..., None, :] * partner_share[:, None])  # (..., M, T)
    due = due_citizen
    fresh = False  # may this function scale `due` in place?
    if ent_due:
        due = np.concatenate([due_citizen, np.stack(ent_due, axis=-3)], axis=-3)
        fresh = True
    cap = sc.contract.caps.per_contract
    cap_bound = np.zeros(batch, dtype=bool)
    if cap is not None and due.shape[-3]:
        total = due.sum(axis=(-3, -2))  # (..., T)
        allowed = np.minimum(np.cumsum(total, axis=-1), cap)
        paid_now = np.diff(allowed, axis=-1, prepend=0.0)
        factor = np.divide(paid_now, total, out=np.ones_like(total), where=total > 0)
        cap_bound = np.any(factor < 1 - 1e-12, axis=-1)
        if cap_bound.any():  # scale only the draws where the cap cut something
            if not fresh:
                due = due.copy()
            due[cap_bound] *= factor[cap_bound][..., None, None, :]
    borne, by_financier = _programme_costs(c, referral_counts(c), events[..., 0, :, :])
    return Assembled(savings, due, events, enterprise, borne, by_financier, payer_index(c),
                     cap_bound, cost)


def partnership_shares(c: CompiledScenario) -> np.ndarray:
    """(M,) each municipality's share of the partnerships (equal shares when none): how the
    enterprise side's payments are allotted."""
    partnerships = np.array([m.partnerships for m in c.scenario.municipalities], dtype=float)
    M = len(c.codes)
    return partnerships / partnerships.sum() if partnerships.sum() else np.full(M, 1.0 / M)


def payer_index(c: CompiledScenario) -> np.ndarray:
    """(O,) each outcome's payer as an index into PAYERS, −1 for other payers (citizen
    side, then enterprise side)."""
    outcomes = c.citizen_outcomes + c.enterprise_outcomes
    return np.array([PAYERS.index(o.payer) if o.payer in PAYERS else -1 for o in outcomes],
                    dtype=np.int64)


def referral_counts(c: CompiledScenario) -> np.ndarray:
    """(M, T) referrals per municipality and month."""
    return np.stack([c.intake[code].sum(axis=0) for code in c.codes])


@dataclass
class BusinessCase:
    """The exact expectation, with per-municipality and per-payer views."""

    scenario: Scenario
    months: list[dt.date]
    discount: np.ndarray
    assembled: Assembled
    codes: list[str]
    outcome_ids: list[str]
    payees: list[dict[str, float]]
    payer_names: list[str]
    window_end_index: int
    notes: list[Note] = field(default_factory=list)

    @property
    def T(self) -> int:
        return len(self.months)

    @property
    def flows(self) -> dict[str, dict[str, Flows]]:
        a = self.assembled
        savings, borne, pay = a.savings, a.borne, a.payments
        return {
            code: {payer: Flows(savings[i, m], borne[i, m], pay[i, m])
                   for i, payer in enumerate(PAYERS)}
            for m, code in enumerate(self.codes)
        }

    def total(self, payer: str) -> Flows:
        if payer == "public_total":
            return self.total("municipality") + self.total("state")
        a = self.assembled
        i = PAYERS.index(payer)
        return Flows(a.savings[i].sum(axis=0), a.borne[i].sum(axis=0),
                     a.payments[i].sum(axis=0))

    def municipality(self, code: str, payer: str) -> Flows:
        if payer == "public_total":
            return self.municipality(code, "municipality") + self.municipality(code, "state")
        a = self.assembled
        i, m = PAYERS.index(payer), self.codes.index(code)
        return Flows(a.savings[i, m], a.borne[i, m], a.payments[i, m])

    def cost(self, world: str, payer: str, code: str) -> np.ndarray:
        """Monthly public cost of a municipality's participants in one world, for one payer."""
        assert self.assembled.cost is not None
        return self.assembled.cost[WORLD_INDEX[world], PAYERS.index(payer),
                                   self.codes.index(code)]

    @property
    def payments_by_outcome(self) -> dict[str, np.ndarray]:
        return {o: self.assembled.due[i].sum(axis=0) for i, o in enumerate(self.outcome_ids)}

    @property
    def payment_flows(self) -> dict[tuple[str, str], np.ndarray]:
        out: dict[tuple[str, str], np.ndarray] = {}
        for i, payees in enumerate(self.payees):
            series = self.assembled.due[i].sum(axis=0)
            for payee, share in payees.items():
                key = (self.payer_names[i], payee)
                out[key] = out.get(key, np.zeros(self.T)) + series * share
        return out

    @property
    def programme_costs_by_financier(self) -> dict[str, np.ndarray]:
        return self.assembled.by_financier

    def indicators(self) -> dict[str, float]:
        w = max(self.window_end_index + 1, 0)
        events = self.assembled.events[:, :, :w].sum(axis=(1, 2))
        out = {code: float(events[i]) for i, code in enumerate(INDICATOR_CODES)}
        ent = self.assembled.enterprise[:, :w].sum(axis=1)
        out["places"], out["ordinary_hires"] = float(ent[0]), float(ent[1])
        return out


def expect(scenario: Scenario | CompiledScenario, params: ParameterTree | None = None
           ) -> BusinessCase:
    """The business case in expectation, exactly (no sampling)."""
    c = scenario if isinstance(scenario, CompiledScenario) else compile_scenario(scenario, params)
    cost, due, events = expected_arrays(c)
    assembled = assemble(c, cost[1] - cost[0], due, events, enterprise_expectation(c), cost)
    notes = []
    if assembled.cap_bound:
        notes.append(Note("contract_cap_binds"))
    if c.scenario.contract.caps.per_partnership is not None:
        notes.append(Note("partnership_cap_in_settlement", {"where": "expected"}))
    outcomes = c.citizen_outcomes + c.enterprise_outcomes
    return BusinessCase(
        c.scenario, c.months, discount_factors(c.scenario, c.params, c.T), assembled, c.codes,
        [o.id for o in outcomes], [{str(k): v for k, v in o.payees.items()} for o in outcomes],
        [str(o.payer) for o in outcomes], c.window_end_index, notes,
    )


def _enterprise_prices(c: CompiledScenario, outcome: Outcome) -> np.ndarray:
    """An enterprise-side outcome's price in each month (0 outside its validity), cached."""
    key = f"enterprise-prices:{outcome.id}"
    if key not in c._cache:
        c._cache[key] = np.array([outcome.price_at(m) if outcome.offered_in_month(m) else 0.0
                                  for m in c.months])
    cached = c._cache[key]
    assert isinstance(cached, np.ndarray)
    return cached


def _enterprise_counts(c: CompiledScenario) -> dict[str, np.ndarray]:
    acc = c.scenario.accelerator
    places = np.zeros(c.T)
    hires = np.zeros(c.T)
    for cohort in acc.cohorts:
        start = month_index(c.months, month_of(cohort.start))
        idx = np.arange(start, start + cohort.months)
        idx = idx[(idx >= 0) & (idx < c.T)]
        places[idx] += cohort.enterprises * acc.places_per_enterprise / cohort.months
        hires[idx] += cohort.enterprises * acc.ordinary_hires_per_enterprise / cohort.months
    return {"places": places, "ordinary_hires": hires}


def _programme_costs(
    c: CompiledScenario, referrals: np.ndarray, induction_starts: np.ndarray
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Programme costs borne by municipality and state per municipality (..., 2, M, T), and
    the costs by financier (..., T).

    Per-referral and per-induction-start costs fall on the participant's municipality;
    per-partnership costs on municipalities by their share of the partnerships; other
    programme-wide costs by their share of the intake. Only the per-induction-start lines
    depend on the draw (``induction_starts`` may carry leading batch axes); the rest is
    computed once per compiled scenario.
    """
    fixed_borne, fixed_by_financier, per_start = _fixed_programme_costs(c, referrals)
    borne = fixed_borne + np.zeros((*induction_starts.shape[:-2], 1, 1, 1))
    by_financier = {k: v + np.zeros((*induction_starts.shape[:-2], 1))
                    for k, v in fixed_by_financier.items()}
    for financier, amount in per_start.items():
        per_code = induction_starts * amount
        by_financier[financier] = by_financier.get(financier, 0.0) + per_code.sum(axis=-2)
        if financier in PAYERS:
            borne[..., PAYERS.index(financier), :, :] += per_code
    return borne, by_financier


def _fixed_programme_costs(c: CompiledScenario, referrals: np.ndarray):
    """The draw-independent programme costs, and per financier the cost of a course start."""
    key = "fixed-programme-costs"
    if key in c._cache:
        return c._cache[key]
    sc = c.scenario
    T, M = c.T, len(c.codes)
    intake_share = referrals.sum(axis=1) / max(referrals.sum(), 1e-300)
    total_partnerships = sum(m.partnerships for m in sc.municipalities)
    partner_share = (np.array([m.partnerships for m in sc.municipalities]) / total_partnerships
                     if total_partnerships else intake_share)
    by_financier: dict[str, np.ndarray] = {}
    per_start: dict[str, float] = {}
    borne = np.zeros((len(PAYERS), M, T))
    for line in sc.costs:
        if line.basis == "per_induction_start":
            for financier, share in line.financing.items():
                per_start[financier] = per_start.get(financier, 0.0) + line.amount * share
            continue
        if line.basis == "per_referral":
            per_code = referrals * line.amount
        else:
            series = np.zeros(T)
            start = month_index(c.months, month_of(line.start or c.months[0]))
            if line.basis == "lump_sum":
                if 0 <= start < T:
                    series[start] = line.amount
            elif line.basis in ("per_month", "per_partnership_month"):
                end = month_index(c.months, month_of(line.end or c.months[-1]))
                lo, hi = max(start, 0), min(end, T - 1)
                per = line.amount * (total_partnerships if line.basis.startswith("per_p") else 1)
                series[lo:hi + 1] = per
            elif line.basis == "per_enterprise":
                for cohort in sc.accelerator.cohorts:
                    t = month_index(c.months, month_of(cohort.start))
                    if 0 <= t < T:
                        series[t] += line.amount * cohort.enterprises
            # partnership costs follow the partnerships, other programme-wide costs the intake
            share_of = partner_share if line.basis == "per_partnership_month" else intake_share
            per_code = share_of[:, None] * series[None, :]
        total = per_code.sum(axis=0)
        for financier, share in line.financing.items():
            by_financier[financier] = by_financier.get(financier, 0.0) + total * share
            if financier in PAYERS:
                borne[PAYERS.index(financier)] += per_code * share
    c._cache[key] = (borne, by_financier, per_start)
    return borne, by_financier, per_start
