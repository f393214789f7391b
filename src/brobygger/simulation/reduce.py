"""Each draw's business case reduced to its summaries, compiled (numba).

:func:`brobygger.simulation.run.summarise` gets the summaries through
:func:`brobygger.economics.business_case.assemble`, the accounting ``expect`` uses, with
NumPy over a batch of draws; that is the reference. This module does the same accounting
draw by draw while the draw's monthly arrays are still in the cache, with the scenario's
fixed parts (enterprise prices, programme costs, discount factors, who pays what to whom)
prepared once; the tests check that both give the same summaries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numba import njit

from brobygger.economics.business_case import (
    PAYERS,
    _enterprise_prices,
    _fixed_programme_costs,
    discount_factors,
    partnership_shares,
    payer_index,
    referral_counts,
)
from brobygger.model import CompiledScenario


@dataclass(frozen=True)
class Accounts:
    """What turns a draw's monthly arrays into its business case, per compiled scenario."""

    ent_kind: np.ndarray  # (E,) 0 places created, 1 ordinary hires
    ent_price: np.ndarray  # (E, T) kroner per place or hire, by month
    ent_lag: np.ndarray  # (E,) months from the event to the payment
    partner_share: np.ndarray  # (M,) share of the enterprise side's payments
    cap: float  # the per-contract cap on all payments (inf when none)
    payer_of: np.ndarray  # (O + E,) index into PAYERS, -1 for other payers
    flow_share: np.ndarray  # (O + E, F) share of each outcome's payment in each flow
    fixed_borne: np.ndarray  # (2, M, T) programme costs that do not depend on the draw
    per_start: np.ndarray  # (2,) cost of a course start to municipality and state
    discount: np.ndarray  # (T,)
    window: int  # months counted in the indicators


def accounts(c: CompiledScenario, flow_keys: list[tuple[str, str]]) -> Accounts:
    T = c.T
    ent = c.enterprise_outcomes
    fixed_borne, _, per_start = _fixed_programme_costs(c, referral_counts(c))
    outcomes = c.citizen_outcomes + ent
    flow_share = np.zeros((len(outcomes), len(flow_keys)))
    for i, o in enumerate(outcomes):
        for payee, share in o.payees.items():
            flow_share[i, flow_keys.index((str(o.payer), str(payee)))] += share
    cap = c.scenario.contract.caps.per_contract
    return Accounts(
        ent_kind=np.array([0 if o.trigger.type == "place_created" else 1 for o in ent],
                          dtype=np.int64),
        ent_price=np.array([_enterprise_prices(c, o) for o in ent]).reshape(len(ent), T),
        ent_lag=np.array([c.lag(o) for o in ent], dtype=np.int64),
        partner_share=partnership_shares(c),
        cap=math.inf if cap is None else float(cap),
        payer_of=payer_index(c),
        flow_share=flow_share,
        fixed_borne=np.ascontiguousarray(fixed_borne, dtype=np.float64),
        per_start=np.array([per_start.get(p, 0.0) for p in PAYERS]),
        discount=discount_factors(c.scenario, c.params, T),
        window=max(c.window_end_index + 1, 0),
    )


@njit(cache=True, inline="always")
def _break_even(cumulative):  # pragma: no cover - compiled
    """The first month (1-based) from which ``cumulative`` stays at or above zero; 0 when
    it does not within the horizon (as :func:`brobygger.simulation.run.break_even_months`)."""
    T = cumulative.shape[0]
    last = -1
    for t in range(T):
        if cumulative[t] < 0:
            last = t
    if last < 0:
        return 1
    return 0 if last == T - 1 else last + 2


@njit(nogil=True, cache=True)
def reduce_draws(save, due_c, events, enterprise,
                 ent_kind, ent_price, ent_lag, partner_share, cap, payer_of, flow_share,
                 fixed_borne, per_start, discount, window, paths,
                 net, net_disc, savings, borne_out, payments, break_even, muni_net,
                 muni_be, flows, indicators, cap_bound, muni_path, muni_savings_path,
                 ):  # pragma: no cover - compiled; tested against run.summarise
    """Fill the per-draw summaries (see :class:`brobygger.simulation.run.DrawSummaries`)
    from ``save`` (n, M, T, 2), ``due_c`` (n, O, M, T), ``events`` (n, 4, M, T) and
    ``enterprise`` (n, 2, T)."""
    n, M, T = save.shape[0], save.shape[1], save.shape[2]
    n_cit, E = due_c.shape[1], ent_kind.shape[0]
    ent = np.empty((E, T))  # the enterprise side's payments, before they are allotted
    monthly = np.empty(T)
    factor = np.empty(T)
    pay = np.empty((2, M, T))
    net_mt = np.empty((2, M, T))
    by_month = np.empty(T)
    sums = np.empty((4, T))
    net_t = np.empty((3, T))
    cumulative = np.empty(T)
    for c in range(n):
        for a in range(E):
            for t in range(T):
                s = t - ent_lag[a]
                ent[a, t] = enterprise[c, ent_kind[a], s] * ent_price[a, s] if s >= 0 else 0.0
        # the per-contract cap on the running total of payments
        monthly[:] = 0.0
        for o in range(n_cit):
            for m in range(M):
                for t in range(T):
                    monthly[t] += due_c[c, o, m, t]
        for a in range(E):
            for m in range(M):
                for t in range(T):
                    monthly[t] += ent[a, t] * partner_share[m]
        bound = False
        running = 0.0
        paid = 0.0
        for t in range(T):
            running += monthly[t]
            allowed = min(running, cap)
            factor[t] = (allowed - paid) / monthly[t] if monthly[t] > 0 else 1.0
            paid = allowed
            if factor[t] < 1 - 1e-12:
                bound = True
        cap_bound[c] = bound
        # payments by payer, municipality and month, and by flow (sums are taken along the
        # months into arrays first, so that the additions do not wait on one another)
        pay[:] = 0.0
        flows[c, :] = 0.0
        for o in range(n_cit + E):
            i = payer_of[o]
            by_month[:] = 0.0
            for m in range(M):
                for t in range(T):
                    x = due_c[c, o, m, t] if o < n_cit else ent[o - n_cit, t] * partner_share[m]
                    if bound:
                        x *= factor[t]
                    by_month[t] += x
                    if i >= 0:
                        pay[i, m, t] += x
            total = 0.0
            for t in range(T):
                total += by_month[t]
            for f in range(flows.shape[1]):
                flows[c, f] += total * flow_share[o, f]
        # net = savings − programme costs − payments, per payer, municipality and month
        for i in range(2):
            sums[:] = 0.0
            for m in range(M):
                for t in range(T):
                    sv = save[c, m, t, i]
                    b = fixed_borne[i, m, t] + events[c, 0, m, t] * per_start[i]
                    x = sv - b - pay[i, m, t]
                    net_mt[i, m, t] = x
                    sums[0, t] += sv
                    sums[1, t] += b
                    sums[2, t] += pay[i, m, t]
                    sums[3, t] += x
                    if paths:
                        muni_path[c, m, i, t] = x
                        muni_savings_path[c, m, i, t] = sv
            savings[c, i] = 0.0
            borne_out[c, i] = 0.0
            payments[c, i] = 0.0
            for t in range(T):
                savings[c, i] += sums[0, t]
                borne_out[c, i] += sums[1, t]
                payments[c, i] += sums[2, t]
                net_t[i, t] = sums[3, t]
        savings[c, 2] = savings[c, 0] + savings[c, 1]
        borne_out[c, 2] = borne_out[c, 0] + borne_out[c, 1]
        payments[c, 2] = payments[c, 0] + payments[c, 1]
        # totals, discounted totals and break-even months per payer (and both together)
        for t in range(T):
            net_t[2, t] = net_t[0, t] + net_t[1, t]
        for i in range(3):
            net[c, i] = 0.0
            net_disc[c, i] = 0.0
            running = 0.0
            for t in range(T):
                x = net_t[i, t]
                net[c, i] += x
                net_disc[c, i] += x * discount[t]
                running += x
                cumulative[t] = running
            break_even[c, i] = _break_even(cumulative)
        for m in range(M):
            a = 0.0
            b = 0.0
            running = 0.0
            for t in range(T):
                a += net_mt[0, m, t]
                b += net_mt[1, m, t]
                running += net_mt[0, m, t]
                cumulative[t] = running
            muni_net[c, m, 0] = a
            muni_net[c, m, 1] = b
            muni_net[c, m, 2] = a + b
            muni_be[c, m] = _break_even(cumulative)
        # indicators within the programme window
        for q in range(4):
            x = 0.0
            for m in range(M):
                for t in range(min(window, T)):
                    x += events[c, q, m, t]
            indicators[c, q] = x
        for q in range(2):
            x = 0.0
            for t in range(min(window, T)):
                x += enterprise[c, q, t]
            indicators[c, 4 + q] = x
