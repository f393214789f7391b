"""A plain reference implementation of the path kernel: the rules applied directly.

It walks each participant through the months with :meth:`RefundRules.step` and
:meth:`ContractRules.transition` on single keys — the rules as written — where the kernel
uses the compiled tables. Same draws in (the same uniforms, the same sampled parameters),
same numbers out; it is slow and only for tests.
"""

from __future__ import annotations

import numpy as np

from brobygger.model import ORE, WORLDS
from brobygger.simulation.inputs import B, SimulationInputs
from brobygger.simulation.kernel import uniforms
from brobygger.simulation.run import NO_HISTORY, ChunkDraws, Histories


def reference_draw(inputs: SimulationInputs, seed: int, d: int, draws: ChunkDraws, c_: int = 0,
                   history: Histories = NO_HISTORY):
    """Draw ``d`` (the ``c_``-th of ``draws``): (cost, due, events) without a draw axis."""
    c = inputs.compiled
    T = c.T
    M = len(c.codes)
    part = inputs.participants
    cost = np.zeros((2, 2, M, T))
    due = np.zeros((len(inputs.lags), M, T))
    events = np.zeros((4, M, T))
    rules = c.refund_rules
    entry_states = [c.transitions[w].entry_state for w in WORLDS]
    periods = [c.transitions[w].period_index(T) for w in WORLDS]
    costs = inputs.costs
    stream = iter(uniforms(seed, d, inputs.codes, inputs.starts, part.entry, T))
    for i in range(part.n):
        e, m, g = int(part.entry[i]), int(part.muni[i]), int(part.regime[i])
        p = int(np.searchsorted(inputs.profile_cum, next(stream), side="right"))
        known = history.profile.shape[0] > 0
        if known and history.profile[i] >= 0:
            p = int(history.profile[i])
        keys = [rules.initial(entry_states[w], c.profile_b0[p]) for w in range(2)]
        contract = c.regimes[g].rules
        ckey, pay, ev = contract.transition(None, entry_states[0], 1)
        _book(due, events, pay[0] / ORE, ev[0], inputs.lags, m, e, T)
        for k in range(T - e):
            t = e + k
            if k > 0:
                u = next(stream)
                moves = []
                for w in range(2):
                    s = int(rules.decode(keys[w])[0][0])
                    row = draws.cum[c_, w, periods[w][k], s]
                    moves.append(int(np.searchsorted(row, u, side="right")))
                if known and history.states[i, k] >= 0:
                    moves[0] = int(history.states[i, k])
                ckey, pay, ev = contract.transition(ckey, moves[0])
                _book(due, events, pay[0] / ORE, ev[0], inputs.lags, m, t, T)
                keys = [rules.step(keys[w], moves[w]) for w in range(2)]
            for w in range(2):
                s_arr, b_arr, _ = rules.decode(keys[w])
                s, b = int(s_arr[0]), int(b_arr[0])
                j = s * B + b
                kb, st = costs.k_base[p, t, j], costs.a_state[p, t, j]
                jc = costs.job_col[s]
                if jc >= 0:
                    kb += draws.job_kbase[c_, jc, t]
                    st -= draws.job_tax[c_, jc, t]
                cost[w, 0, m, t] += costs.a_muni[p, t, j] - inputs.kommuneskat[m, t] * kb
                cost[w, 1, m, t] += st
    return cost, due, events


def _book(due, events, pay, ev, lags, m, t, T) -> None:
    for o, amount in enumerate(pay):
        if amount and t + lags[o] < T:
            due[o, m, t + lags[o]] += amount
    events[:, m, t] += ev
