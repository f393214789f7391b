"""A plain reference implementation of the path kernel: the rules applied directly.

It walks each participant through the months with :meth:`RefundRules.step` and
:meth:`ContractRules.transition` on single keys — the rules as written — where the kernel
uses the compiled tables. Same draws in (the same uniforms, the same sampled parameters),
same numbers out; it is slow and only for tests.

:func:`walk` is the sampling on its own — which state each participant is in, month by
month, in both worlds — so that the same paths can also be recorded
(:mod:`brobygger.simulation.paths`) and written out as events.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import NamedTuple

import numpy as np

from brobygger.model import ORE, WORLDS
from brobygger.simulation.inputs import B, SimulationInputs
from brobygger.simulation.kernel import (
    exponential,
    inv_log_stay,
    months_staying,
    moving_uniform,
    next_uniform,
    participant_state,
    shared_stay,
)
from brobygger.simulation.run import NO_HISTORY, ChunkDraws, Histories


class PathStep(NamedTuple):
    """One participant-month of a simulated path."""

    participant: int  # index into ``inputs.participants``
    profile: int  # the participant's profile (drawn once, at referral)
    k: int  # months since referral: the month index is ``entry + k``
    states: tuple[int, int]  # the state in that month, in the programme and counterfactual


class Stream:
    """A participant's stream (:func:`brobygger.simulation.kernel.participant_state`),
    drawn from one number at a time by the kernel's own samplers."""

    def __init__(self, seed: int, d: int, code: int, index: int):
        self._keep(*participant_state(seed, d, code, index))

    def _keep(self, s0: int, s1: int) -> None:  # (numba gives back Python integers)
        self.state = (np.uint64(s0), np.uint64(s1))

    def uniform(self) -> float:
        u, s0, s1 = next_uniform(*self.state)
        self._keep(s0, s1)
        return float(u)

    def exponential(self) -> float:
        e, s0, s1 = exponential(*self.state)
        self._keep(s0, s1)
        return float(e)


def walk(inputs: SimulationInputs, seed: int, d: int, draws: ChunkDraws, c_: int = 0,
         history: Histories = NO_HISTORY) -> Iterator[PathStep]:
    """Every participant's path in draw ``d`` (the ``c_``-th of ``draws``), month by month.

    Participants come in the order of ``inputs.participants``; each starts with ``k = 0``
    in the worlds' entry states and runs to the horizon's last month. The stream is drawn
    from exactly as the kernel draws from it (:func:`brobygger.simulation.kernel.draw_paths`):
    a uniform for the profile; then, over the months of a period, an exponential for how
    many months both worlds stay put and a uniform for the month that ends the run; with
    ``history``, a uniform a month over the known months, in which the programme world
    follows the history.
    """
    c = inputs.compiled
    T = c.T
    part = inputs.participants
    entry_states = (c.transitions[WORLDS[0]].entry_state, c.transitions[WORLDS[1]].entry_state)
    periods = [c.transitions[w].period_index(T) for w in WORLDS]
    known = history.profile.shape[0] > 0

    def row(w: int, k: int, state: int) -> np.ndarray:  # out of `state` into month k
        return draws.cum[c_, w, periods[w][k], state]

    def pick(w: int, k: int, state: int, u: float) -> int:
        return int(np.searchsorted(row(w, k, state), u, side="right"))

    for i in range(part.n):
        e = int(part.entry[i])
        m = int(part.muni[i])
        stream = Stream(seed, d, int(inputs.codes[m]), i - int(inputs.starts[m]))
        p = int(np.searchsorted(inputs.profile_cum, stream.uniform(), side="right"))
        if known and history.profile[i] >= 0:
            p = int(history.profile[i])
        s = list(entry_states)
        yield PathStep(i, p, 0, (s[0], s[1]))

        k = 1
        while known and k < T - e and history.states[i, k] >= 0:
            u = stream.uniform()
            s = [int(history.states[i, k]), pick(1, k, s[1], u)]
            yield PathStep(i, p, k, (s[0], s[1]))
            k += 1
        while k < T - e:
            bounds = []
            for w in range(2):
                r = row(w, k, s[w])
                bounds += [float(r[s[w] - 1]) if s[w] > 0 else 0.0, float(r[s[w]])]
            lo, q = shared_stay(*bounds)
            end = k + 1  # the months up to the next change of period in either world
            while end < T - e and all(periods[w][end] == periods[w][k] for w in range(2)):
                end += 1
            if q <= 0:
                stay = 0
            elif q >= 1:
                stay = end - k
            else:
                stay = months_staying(stream.exponential(), inv_log_stay(q), end - k)
            for _ in range(stay):
                yield PathStep(i, p, k, (s[0], s[1]))
                k += 1
            if k >= end:
                continue
            u = moving_uniform(stream.uniform(), lo, q)
            s = [pick(0, k, s[0], u), pick(1, k, s[1], u)]
            yield PathStep(i, p, k, (s[0], s[1]))
            k += 1


def reference_draw(inputs: SimulationInputs, seed: int, d: int, draws: ChunkDraws, c_: int = 0,
                   history: Histories = NO_HISTORY):
    """Draw ``d`` (the ``c_``-th of ``draws``): (savings, due, events) without a draw axis.

    ``savings[payer, m, t]`` is the counterfactual's cost minus the programme world's.
    """
    c = inputs.compiled
    T = c.T
    M = len(c.codes)
    part = inputs.participants
    save = np.zeros((2, M, T))
    due = np.zeros((len(inputs.lags), M, T))
    events = np.zeros((4, M, T))
    rules = c.refund_rules
    costs = inputs.costs
    job_kbase, job_tax = draws.job_kbase[c_], draws.job_tax[c_]  # (2, T) this draw's
    keys: list[np.ndarray] = []
    ckey = np.zeros(0, dtype=np.int64)
    for i, p, k, states in walk(inputs, seed, d, draws, c_, history):
        e, m, g = int(part.entry[i]), int(part.muni[i]), int(part.regime[i])
        t = e + k
        contract = c.regimes[g].rules
        if k == 0:
            keys = [rules.initial(states[w], c.profile_b0[p]) for w in range(2)]
            ckey, pay, ev = contract.transition(None, states[0], 1)
        else:
            ckey, pay, ev = contract.transition(ckey, states[0])
            keys = [rules.step(keys[w], states[w]) for w in range(2)]
        _book(due, events, pay[0] / ORE, ev[0], inputs.lags, m, t, T)
        month = []
        for w in range(2):
            s_arr, b_arr, _ = rules.decode(keys[w])
            s, b = int(s_arr[0]), int(b_arr[0])
            j = s * B + b
            mu, kb, st = costs.a_muni[p, t, j], costs.k_base[p, t, j], costs.a_state[p, t, j]
            jc = costs.job_col[s]
            if jc >= 0:
                kb += job_kbase[jc, t]
                st -= job_tax[jc, t]
            month.append((costs.cost_class[j], mu, kb, st))
        if month[0][0] != month[1][0]:  # the same cost class in both worlds saves nothing
            tax = inputs.kommuneskat[m, t]
            (_, mu0, kb0, st0), (_, mu1, kb1, st1) = month
            save[0, m, t] += (mu1 - tax * kb1) - (mu0 - tax * kb0)
            save[1, m, t] += st1 - st0
    return save, due, events


def _book(due, events, pay, ev, lags, m, t, T) -> None:
    for o, amount in enumerate(pay):
        if amount and t + lags[o] < T:
            due[o, m, t + lags[o]] += amount
    events[:, m, t] += ev
