"""Monthly transition matrices by month since entry, and their parameter uncertainty."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from brobygger.pathways.states import EXITED, INDEX, N_STATES
from brobygger.scenario.schema import PathwayModel


@dataclass(frozen=True)
class Transitions:
    """``matrices[period_of[k]]`` is the matrix for the transition *into* month k ≥ 1.

    Row i gives next month's state distribution for a participant in state i.
    ``alpha`` holds the Dirichlet parameters of each row (concentration × probability).
    """

    entry_state: int
    matrices: np.ndarray  # (n_periods, S, S) float64
    period_starts: np.ndarray  # (n_periods,) int, first month each period applies to
    alpha: np.ndarray  # (n_periods, S, S) Dirichlet parameters, 0 where probability is 0

    def period_index(self, months: int) -> np.ndarray:
        """Period of the transition into month k for k = 0..months-1 (k = 0 unused)."""
        k = np.arange(months)
        return np.clip(np.searchsorted(self.period_starts, k, side="right") - 1, 0, None)

    def for_months(self, months: int) -> np.ndarray:
        """(months, S, S): the matrix used for the transition into each month."""
        return self.matrices[self.period_index(months)]

    def sample(self, rng: np.random.Generator) -> Transitions:
        """One draw of the matrices from the rows' Dirichlet distributions."""
        matrices = np.zeros_like(self.matrices)
        for p in range(self.matrices.shape[0]):
            for i in range(N_STATES):
                a = self.alpha[p, i]
                support = a > 0
                if support.sum() <= 1:
                    matrices[p, i] = self.matrices[p, i]
                else:
                    matrices[p, i, support] = rng.dirichlet(a[support])
        return Transitions(self.entry_state, matrices, self.period_starts, self.alpha)


def build_transitions(model: PathwayModel) -> Transitions:
    periods = model.periods
    matrices = np.zeros((len(periods), N_STATES, N_STATES))
    alpha = np.zeros_like(matrices)
    current = np.eye(N_STATES)
    for p, period in enumerate(periods):
        current = current.copy()
        for state, row in period.rows.items():
            current[INDEX[state]] = 0.0
            for target, prob in row.items():
                current[INDEX[state], INDEX[target]] = prob
        current[EXITED] = 0.0
        current[EXITED, EXITED] = 1.0
        matrices[p] = current
        for state in INDEX:
            conc = model.row_concentration.get(state, model.concentration)
            alpha[p, INDEX[state]] = conc * current[INDEX[state]]
    starts = np.array([p.from_month for p in periods], dtype=np.int64)
    return Transitions(INDEX[model.entry_state], matrices, starts, alpha)
