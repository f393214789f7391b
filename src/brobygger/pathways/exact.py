"""Exact propagation of an augmented chain's distribution, month by month (no sampling).

For a chain with keys x and next-state tables, one transition period is a sparse matrix
``A[x, next(x, s')] += M[state(x), s']``; the distribution at month k is ``A_kᵀ p_{k-1}``.
What the contract pays on a move is a linear function of the same distribution, so the
expected payments and indicator events per month since entry are exact too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from brobygger.pathways.chains import CompiledChain
from brobygger.pathways.states import N_STATES
from brobygger.pathways.transitions import Transitions


def _period_operator(chain: CompiledChain, matrix: np.ndarray) -> sp.csr_matrix:
    n = chain.size
    weights = matrix[chain.state]  # (n, S): probability of each next state
    rows = np.repeat(np.arange(n), N_STATES)
    op = sp.csr_matrix(
        (weights.ravel(), (rows, chain.next_index.ravel())), shape=(n, n)
    )
    op.sum_duplicates()
    return op


@dataclass(frozen=True)
class Propagation:
    """Per month since entry k = 0..K-1 and per initial key (profile): exact expectations."""

    distribution: np.ndarray  # (K, n, m) probability of each key
    payments: np.ndarray | None  # (K, m, outcomes) expected øre paid on entering month k
    events: np.ndarray | None  # (K, m, 4) probability of each indicator event in month k


def propagate(chain: CompiledChain, transitions: Transitions, months: int) -> Propagation:
    n, m = chain.size, len(chain.initial)
    periods = transitions.period_index(months)
    operators: dict[int, sp.csr_matrix] = {}
    expected_pay: dict[int, np.ndarray] = {}
    expected_events: dict[int, np.ndarray] = {}
    contract = chain.payment is not None
    dist = np.zeros((months, n, m))
    dist[0, chain.initial, np.arange(m)] = 1.0
    pay = events = None
    if contract:
        assert chain.payment is not None and chain.events is not None
        assert chain.entry_payment is not None and chain.entry_events is not None
        pay = np.zeros((months, m, chain.payment.shape[2]))
        events = np.zeros((months, m, chain.events.shape[2]))
        pay[0] = chain.entry_payment[0]
        events[0] = chain.entry_events[0]
    for k in range(1, months):
        p = int(periods[k])
        if p not in operators:
            matrix = transitions.matrices[p]
            operators[p] = _period_operator(chain, matrix).T.tocsr()
            if chain.payment is not None and chain.events is not None:
                weights = matrix[chain.state][:, None, :]  # (n, 1, S)
                expected_pay[p] = np.matmul(weights, chain.payment)[:, 0, :]
                expected_events[p] = np.matmul(weights, chain.events)[:, 0, :]
        prev = dist[k - 1]
        dist[k] = operators[p] @ prev
        if contract:
            assert pay is not None and events is not None
            pay[k] = prev.T @ expected_pay[p]
            events[k] = prev.T @ expected_events[p]
    return Propagation(dist, pay, events)
