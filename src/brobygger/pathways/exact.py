"""Exact propagation of an augmented chain's distribution, month by month (no sampling).

For a chain with keys x and next-state tables, one transition period is a sparse matrix
``A[x, next(x, s')] += M[state(x), s']``; the distribution at month k is ``A_kᵀ p_{k-1}``,
applied by a compiled loop over the keys with mass (numba).
What the contract pays on a move is a linear function of the same distribution, so the
expected payments and indicator events per month since entry are exact too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from brobygger.pathways.chains import CompiledChain
from brobygger.pathways.transitions import Transitions


@njit(cache=True)
def _propagate_months(state, next_index, matrices, periods, expected_pay, expected_events,
                      group, prev, cur, dist, pay, events
                      ):  # pragma: no cover - compiled; tested against hand cases
    """From ``prev`` (n, m), the keys' probabilities at referral, fill for k = 1..K-1
    ``dist[k]`` (the probability of each group of keys) and, when ``expected_pay`` has rows,
    ``pay[k]`` and ``events[k]``: each key's mass moves to its successors, weighted by its
    state's row of the period's matrix. Only two months of the keys' probabilities are
    kept (``prev``, ``cur``); keys without mass are skipped."""
    K, m = dist.shape[0], dist.shape[2]
    n, S = next_index.shape[0], next_index.shape[1]
    contract = expected_pay.shape[0] > 0
    for k in range(1, K):
        p = periods[k]
        cur[:] = 0.0
        for x in range(n):
            some = False
            for a in range(m):
                if prev[x, a] != 0.0:
                    some = True
                    break
            if not some:
                continue
            row = matrices[p, state[x]]
            for s in range(S):
                w = row[s]
                if w != 0.0:
                    y = next_index[x, s]
                    for a in range(m):
                        cur[y, a] += w * prev[x, a]
            if contract:
                for a in range(m):
                    for o in range(expected_pay.shape[2]):
                        pay[k, a, o] += prev[x, a] * expected_pay[p, x, o]
                    for o in range(expected_events.shape[2]):
                        events[k, a, o] += prev[x, a] * expected_events[p, x, o]
        for y in range(n):
            for a in range(m):
                dist[k, group[y], a] += cur[y, a]
        prev, cur = cur, prev


@dataclass(frozen=True)
class Propagation:
    """Per month since entry k = 0..K-1 and per initial key (profile): exact expectations."""

    distribution: np.ndarray  # (K, G, m) probability of each group of keys
    payments: np.ndarray | None  # (K, m, outcomes) expected øre paid on entering month k
    events: np.ndarray | None  # (K, m, 4) probability of each indicator event in month k


def propagate(chain: CompiledChain, transitions: Transitions, months: int,
              group: np.ndarray | None = None, groups: int | None = None) -> Propagation:
    """The chain's exact expectations over ``months`` months since entry. ``group`` (n,)
    puts keys together in ``distribution``, which has ``groups`` groups (e.g. the refund
    chain's keys by cost column; default: each key its own group). The keys' own
    month-by-month probabilities are not kept: for a large chain they would be most of the
    memory, and fresh memory is slow to touch."""
    n, m = chain.size, len(chain.initial)
    group = np.arange(n) if group is None else np.asarray(group, dtype=np.int64)
    periods = transitions.period_index(months).astype(np.int64)
    matrices = np.ascontiguousarray(transitions.matrices, dtype=np.float64)
    prev = np.zeros((n, m))
    prev[chain.initial, np.arange(m)] = 1.0
    dist = np.zeros((months, groups or int(group.max()) + 1, m))
    np.add.at(dist[0], group, prev)
    contract = chain.payment is not None
    if chain.payment is not None:
        assert chain.events is not None
        assert chain.entry_payment is not None and chain.entry_events is not None
        # what a key's move pays (and which events it records) in expectation, per period
        weights = matrices[:, chain.state][:, :, None, :]  # (P, n, 1, S)
        expected_pay = np.matmul(weights, chain.payment)[:, :, 0, :]
        expected_events = np.matmul(weights, chain.events)[:, :, 0, :]
        pay = np.zeros((months, m, chain.payment.shape[2]))
        events = np.zeros((months, m, chain.events.shape[2]))
        pay[0] = chain.entry_payment[0]
        events[0] = chain.entry_events[0]
    else:
        expected_pay = expected_events = pay = events = np.zeros((0, 0, 0))
    _propagate_months(chain.state.astype(np.int64), chain.next_index, matrices, periods,
                      expected_pay, expected_events, group, prev, np.empty_like(prev), dist,
                      pay, events)
    return Propagation(dist, pay if contract else None, events if contract else None)
