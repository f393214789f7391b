"""The kernel's gamma, normal and Poisson draws follow their laws (statistical bounds).

They are made from the simulation's own xoroshiro128+ streams (brobygger.simulation.kernel);
each test draws a fixed sample and compares it with the exact distribution: the mean and
variance within 5 standard errors, and the whole distribution by a goodness-of-fit test at
the 1e-4 level (a correct sampler fails one in 10,000 seeds; the seeds are fixed)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numba import njit
from scipy import stats

from brobygger.simulation import kernel

N = 40_000


@njit  # not cached: numba's cache would not see a change to the kernel's samplers
def _draws(kind, parameter, n, seed):
    s0, s1 = kernel.stream(seed, 0, 0)
    out = np.empty(n)
    for i in range(n):
        if kind == 0:
            out[i], s0, s1 = kernel.gamma(parameter, s0, s1)
        elif kind == 1:
            out[i], s0, s1 = kernel.poisson(parameter, s0, s1)
        else:
            out[i], s0, s1 = kernel.normal(s0, s1)
    return out


def _moments_agree(x: np.ndarray, mean: float, var: float, fourth_central: float) -> None:
    n = x.size
    assert abs(x.mean() - mean) < 5 * math.sqrt(var / n), (x.mean(), mean)
    var_se = math.sqrt((fourth_central - var**2) / n)
    assert abs(x.var() - var) < 5 * var_se, (x.var(), var)


@pytest.mark.parametrize("shape", [0.2, 1.0, 2.5, 40.0])
def test_gamma_draws_follow_the_gamma_law(shape):
    x = _draws(0, shape, N, 11)
    _moments_agree(x, shape, shape, 3 * shape**2 + 6 * shape)
    assert stats.kstest(x, stats.gamma(shape).cdf).pvalue > 1e-4


def test_normal_draws_follow_the_normal_law():
    x = _draws(2, 0.0, N, 12)
    _moments_agree(x, 0.0, 1.0, 3.0)
    assert stats.kstest(x, stats.norm.cdf).pvalue > 1e-4


@pytest.mark.parametrize("lam", [0.3, 3.0, 9.99, 10.0, 37.5, 400.0])
def test_poisson_draws_follow_the_poisson_law_on_both_sides_of_the_method_switch(lam):
    x = _draws(1, lam, N, 13)
    assert np.all(x == np.round(x)) and x.min() >= 0
    _moments_agree(x, lam, lam, lam * (1 + 3 * lam))
    # chi-square over the values with an expected count of at least 5 (the tails pooled)
    k = np.arange(int(lam + 12 * math.sqrt(lam) + 12))
    expected = stats.poisson(lam).pmf(k) * N
    keep = expected >= 5
    observed = np.array([np.sum(x == v) for v in k[keep]], dtype=float)
    rest_expected, rest_observed = N - expected[keep].sum(), N - observed.sum()
    observed = np.append(observed, rest_observed)
    expected = np.append(expected[keep], rest_expected)
    statistic = float(((observed - expected) ** 2 / expected).sum())
    assert stats.chi2(len(observed) - 1).sf(statistic) > 1e-4


def test_a_mean_of_zero_draws_zero_and_streams_differ_by_seed():
    assert np.all(_draws(1, 0.0, 100, 1) == 0)
    assert not np.array_equal(_draws(0, 2.0, 100, 1), _draws(0, 2.0, 100, 2))
