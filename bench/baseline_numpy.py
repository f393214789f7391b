"""The baseline for bench_simulate.py: a straightforward vectorised NumPy implementation of
the same monthly model (economics and payments included), one draw at a time.

Per calendar month it takes all participants present, draws one uniform each, picks the
next state by comparing with the cumulative rows, applies the rules (RefundRules.step,
ContractRules.transition) to the arrays of keys state by state, and adds costs and payments
with bincount. It is what one would write first with NumPy; the kernel must beat it.
"""

from __future__ import annotations

import numpy as np

from brobygger.economics.public_finance import wage_taxes
from brobygger.model import ORE, WORLDS
from brobygger.simulation.inputs import B, SimulationInputs


def baseline_draw(inputs: SimulationInputs, rng: np.random.Generator):
    c = inputs.compiled
    T, M = c.T, len(c.codes)
    part = inputs.participants
    N = part.n
    rules = c.refund_rules
    costs = inputs.costs
    profile = np.searchsorted(inputs.profile_cum, rng.random(N), side="right")
    b0 = np.array(c.profile_b0)[profile]
    keys = [rules.encode(np.full(N, c.transitions[w].entry_state), np.minimum(b0, 12),
                         np.zeros(N, dtype=np.int64)) for w in WORLDS]
    regime = c.regimes[0].rules  # the benchmark scenarios have one price regime
    ckeys, pay, ev = regime.transition(None, c.transitions["programme"].entry_state, N)
    cost = np.zeros((2, 2, M, T))
    due = np.zeros((len(inputs.lags), M, T))
    events = np.zeros((4, M, T))
    periods = inputs.period_of
    job_tax, job_kbase = wage_taxes(costs.wages, c.finance.taxes)  # (2, T) central wages
    for t in range(T):
        here = part.entry <= t
        new = part.entry == t
        k = t - part.entry
        if new.any():
            for o in range(pay.shape[1]):
                tt = t + inputs.lags[o]
                if tt < T:
                    due[o, :, tt] += np.bincount(part.muni[new], pay[new, o] / ORE, M)
            for q in range(4):
                events[q, :, t] += np.bincount(part.muni[new], ev[new, q], M)
        moving = here & (k > 0)
        if moving.any():
            idx = np.flatnonzero(moving)
            u = rng.random(idx.size)
            moves = []
            for w in range(2):
                s, _, _ = rules.decode(keys[w][idx])
                rows = inputs.cum[w, periods[w, k[idx]], s]  # (n, S)
                s_next = (u[:, None] >= rows).sum(axis=1)
                moves.append(s_next)
                for target in np.unique(s_next):
                    sel = idx[s_next == target]
                    keys[w][sel] = rules.step(keys[w][sel], int(target))
            for target in np.unique(moves[0]):
                sel = idx[moves[0] == target]
                ckeys[sel], p_, e_ = regime.transition(ckeys[sel], int(target))
                for o in range(p_.shape[1]):
                    tt = t + inputs.lags[o]
                    if tt < T:
                        due[o, :, tt] += np.bincount(part.muni[sel], p_[:, o] / ORE, M)
                for q in range(4):
                    events[q, :, t] += np.bincount(part.muni[sel], e_[:, q], M)
        idx = np.flatnonzero(here)
        for w in range(2):
            s, b, _ = rules.decode(keys[w][idx])
            j = s * B + b
            pp = profile[idx]
            jc = costs.job_col[s]
            in_job = jc >= 0
            kb = costs.k_base[pp, t, j] + np.where(in_job, job_kbase[np.maximum(jc, 0), t], 0.0)
            st = costs.a_state[pp, t, j] - np.where(in_job, job_tax[np.maximum(jc, 0), t], 0.0)
            muni_cost = costs.a_muni[pp, t, j] - inputs.kommuneskat[part.muni[idx], t] * kb
            cost[w, 0, :, t] += np.bincount(part.muni[idx], muni_cost, M)
            cost[w, 1, :, t] += np.bincount(part.muni[idx], st, M)
    return cost, due, events
