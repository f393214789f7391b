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

import numpy as np

from brobygger.model import ORE, CompiledScenario, compile_scenario, month_index
from brobygger.params import ParameterTree
from brobygger.pathways.chains import INDICATOR_CODES, REFUND_MONTHS_CAP
from brobygger.pathways.exact import propagate
from brobygger.pathways.states import N_STATES
from brobygger.scenario.schema import Scenario, month_of

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


def discount_factors(scenario: Scenario, params: ParameterTree, T: int) -> np.ndarray:
    """(1 + r)^(−t/12) from the horizon's start, r the dated rate at the analysis date."""
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
    return (1 + r_near) ** -near * (1 + r_far) ** -(years - near)


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


@dataclass
class BusinessCase:
    scenario: Scenario
    months: list[dt.date]
    discount: np.ndarray
    #: flows[code][payer]
    flows: dict[str, dict[str, Flows]]
    #: payments by (payer, payee) in total, by month
    payment_flows: dict[tuple[str, str], np.ndarray]
    #: expected payments by outcome id, by month
    payments_by_outcome: dict[str, np.ndarray]
    #: expected indicator events per municipality and month: code -> (4, T)
    indicator_events: dict[str, np.ndarray]
    window_end_index: int
    enterprise_counts: dict[str, np.ndarray]  # places / ordinary_hires per month
    programme_costs_by_financier: dict[str, np.ndarray]
    #: public cost of the participants in each world: world -> payer -> (M, T)
    world_costs: dict[str, dict[str, np.ndarray]]
    notes: list[str] = field(default_factory=list)

    def cost(self, world: str, payer: str, code: str) -> np.ndarray:
        """Monthly public cost of a municipality's participants in one world, for one payer."""
        return self.world_costs[world][payer][list(self.flows).index(code)]

    @property
    def T(self) -> int:
        return len(self.months)

    def total(self, payer: str) -> Flows:
        if payer == "public_total":
            return self.total("municipality") + self.total("state")
        flows = [f[payer] for f in self.flows.values()]
        out = flows[0]
        for f in flows[1:]:
            out = out + f
        return out

    def municipality(self, code: str, payer: str) -> Flows:
        if payer == "public_total":
            return self.flows[code]["municipality"] + self.flows[code]["state"]
        return self.flows[code][payer]

    def indicators(self) -> dict[str, float]:
        w = self.window_end_index + 1
        total = sum(ev[:, :w].sum(axis=1) for ev in self.indicator_events.values())
        out = {code: float(total[i]) for i, code in enumerate(INDICATOR_CODES)}
        for key, series in self.enterprise_counts.items():
            out[key] = float(series[:w].sum())
        return out


def expect(scenario: Scenario | CompiledScenario, params: ParameterTree | None = None
           ) -> BusinessCase:
    compiled = scenario if isinstance(scenario, CompiledScenario) \
        else compile_scenario(scenario, params)
    return _expect(compiled)


def _expect(c: CompiledScenario) -> BusinessCase:
    sc = c.scenario
    T = c.T
    codes = c.codes
    intake_all = np.stack([c.intake[code].sum(axis=0) for code in codes])  # (M, T)
    shares = np.array([p.share for p in sc.profiles])

    # -- public finance in each world -------------------------------------------------
    world_costs = {w: {payer: np.zeros((len(codes), T)) for payer in PAYERS}
                   for w in ("programme", "counterfactual")}
    kommuneskat = np.stack([c.finance.kommuneskat(code) for code in codes])  # (M, T)
    tables = {p.benefit: c.finance.cost_table(p.benefit) for p in sc.profiles}
    for world in ("programme", "counterfactual"):
        cost = world_costs[world]
        chain = c.refund_chains[world]
        prop = propagate(chain, c.transitions[world], T)
        onehot = np.zeros((chain.size, N_STATES * B))
        assert chain.aux is not None
        onehot[np.arange(chain.size), chain.state.astype(np.int64) * B + chain.aux] = 1.0
        # (P, K, S·B): a plain matmul, much faster than einsum's loop here
        occupancy = np.matmul(prop.distribution.transpose(0, 2, 1), onehot).transpose(1, 0, 2)
        for p, profile in enumerate(sc.profiles):
            table = tables[profile.benefit]
            refund = table.refundable[:, :, None] * table.refund_rate[:, None, :]  # (T,S,B)
            a_muni = (table.refundable[:, :, None] - refund).reshape(T, -1)
            a_state = (refund + (table.state_paid - table.state_tax)[:, :, None]).reshape(T, -1)
            k_base = np.repeat(table.kommune_base, B, axis=1)  # (T, S·B)
            occ = occupancy[p]  # (K, S·B)
            n = intake_all * shares[p]
            cost["municipality"] += (
                diagonal_convolution(n, a_muni @ occ.T)
                - kommuneskat * diagonal_convolution(n, k_base @ occ.T)
            )
            cost["state"] += diagonal_convolution(n, a_state @ occ.T)
    savings = {
        payer: world_costs["counterfactual"][payer] - world_costs["programme"][payer]
        for payer in PAYERS
    }

    # -- contract: citizen-side payments and indicator events -------------------------
    n_out = len(c.citizen_outcomes)
    due = {code: np.zeros((n_out, T)) for code in codes}  # DKK by due month
    events = {code: np.zeros((len(INDICATOR_CODES), T)) for code in codes}
    for g, regime in enumerate(c.regimes):
        prop = propagate(regime.chain, c.transitions["programme"], T)
        assert prop.payments is not None and prop.events is not None
        pay = prop.payments[:, 0, :] / ORE  # (K, outcomes) DKK per participant
        ev = prop.events[:, 0, :]  # (K, 4)
        n = np.stack([c.intake[code][g] for code in codes])  # (M, T)
        for i, outcome in enumerate(c.citizen_outcomes):
            fired = convolve(n, pay[:, i])
            for m, code in enumerate(codes):
                due[code][i] += shift(fired[m], c.lag(outcome))
        for e in range(ev.shape[1]):
            counts = convolve(n, ev[:, e])
            for m, code in enumerate(codes):
                events[code][e] += counts[m]

    # -- enterprise side: accelerator places and ordinary hires ----------------------
    enterprise_counts = _enterprise_counts(c)
    partnerships = np.array([m.partnerships for m in sc.municipalities], dtype=float)
    partner_share = partnerships / partnerships.sum() if partnerships.sum() else \
        np.full(len(codes), 1.0 / len(codes))
    ent_due: dict[str, np.ndarray] = {}
    for outcome in c.enterprise_outcomes:
        key = "places" if outcome.trigger.type == "place_created" else "ordinary_hires"
        prices = np.array([outcome.price_at(m) if _valid_at(outcome, m) else 0.0
                           for m in c.months])
        ent_due[outcome.id] = shift(enterprise_counts[key] * prices, c.lag(outcome))

    # -- payments per payer, with the per-contract cap on the expected flow ----------
    outcomes = c.citizen_outcomes + c.enterprise_outcomes
    per_outcome_code: dict[str, dict[str, np.ndarray]] = {o.id: {} for o in outcomes}
    for i, o in enumerate(c.citizen_outcomes):
        for code in codes:
            per_outcome_code[o.id][code] = due[code][i]
    for o in c.enterprise_outcomes:
        for m, code in enumerate(codes):
            per_outcome_code[o.id][code] = ent_due[o.id] * partner_share[m]
    notes: list[str] = []
    cap = sc.contract.caps.per_contract
    if cap is not None:
        total = sum(sum(v.values()) for v in per_outcome_code.values())
        cum = np.cumsum(total)
        allowed = np.minimum(cum, cap)
        paid_now = np.diff(np.concatenate([[0.0], allowed]))
        factor = np.divide(paid_now, total, out=np.ones(T), where=total > 0)
        if np.any(factor < 1 - 1e-12):
            notes.append(
                "the per-contract cap binds: applied to the expected payment flow (the "
                "simulation applies it draw by draw, which is exact)"
            )
        for v in per_outcome_code.values():
            for code in v:
                v[code] = v[code] * factor
    if sc.contract.caps.per_partnership is not None:
        notes.append("the per-partnership cap is applied in settlement and simulation, "
                     "not in the expected flow")

    payments_by_payer = {code: {payer: np.zeros(T) for payer in PAYERS} for code in codes}
    payment_flows: dict[tuple[str, str], np.ndarray] = {}
    payments_by_outcome: dict[str, np.ndarray] = {}
    for o in outcomes:
        series = per_outcome_code[o.id]
        payments_by_outcome[o.id] = np.sum(list(series.values()), axis=0)
        for code, s in series.items():
            if o.payer in PAYERS:
                payments_by_payer[code][o.payer] += s
            for payee, share in o.payees.items():
                flow = (str(o.payer), str(payee))
                payment_flows[flow] = payment_flows.get(flow, np.zeros(T)) + s * share

    # -- programme costs ---------------------------------------------------------------
    induction_starts = np.stack([events[code][0] for code in codes])
    referrals = intake_all
    by_financier, borne = _programme_costs(c, referrals, induction_starts)

    flows = {
        code: {
            payer: Flows(savings[payer][m], borne[payer][m], payments_by_payer[code][payer])
            for payer in PAYERS
        }
        for m, code in enumerate(codes)
    }
    return BusinessCase(
        sc, c.months, discount_factors(sc, c.params, T), flows, payment_flows,
        payments_by_outcome, events, c.window_end_index, enterprise_counts, by_financier,
        world_costs, notes,
    )


def _valid_at(outcome, month: dt.date) -> bool:
    if outcome.valid_from and month < month_of(outcome.valid_from):
        return False
    return not (outcome.valid_to and month > outcome.valid_to)


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
) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """Costs by financier (total) and the municipality/state part per municipality.

    Per-referral and per-induction-start costs fall on the participant's municipality;
    programme-wide costs are allotted to municipalities by their share of the intake.
    """
    sc = c.scenario
    T, M = c.T, len(c.codes)
    intake_share = referrals.sum(axis=1) / max(referrals.sum(), 1e-300)
    total_partnerships = sum(m.partnerships for m in sc.municipalities)
    by_financier: dict[str, np.ndarray] = {}
    borne = {payer: np.zeros((M, T)) for payer in PAYERS}
    for line in sc.costs:
        per_code = np.zeros((M, T))
        if line.basis == "per_referral":
            per_code = referrals * line.amount
        elif line.basis == "per_induction_start":
            per_code = induction_starts * line.amount
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
            per_code = intake_share[:, None] * series[None, :]
        total = per_code.sum(axis=0)
        for financier, share in line.financing.items():
            by_financier[financier] = by_financier.get(financier, np.zeros(T)) + total * share
            if financier in borne:
                borne[financier] += per_code * share
    return by_financier, borne
