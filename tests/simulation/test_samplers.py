"""The kernel's gamma, normal, Poisson and exponential draws follow their laws
(statistical bounds).

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
        elif kind == 2:
            out[i], s0, s1 = kernel.normal(s0, s1)
        else:
            out[i], s0, s1 = kernel.exponential(s0, s1)
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
    """A million draws, as for the exponential: the whole law, both tails beyond the base
    layer's edge r, and the share of points between the layers' edges."""
    n = 1_000_000
    x = _draws(2, 0.0, n, 12)
    _moments_agree(x, 0.0, 1.0, 3.0)
    assert stats.kstest(x, stats.norm.cdf).pvalue > 1e-4
    p = 2 * stats.norm.sf(kernel.NOR_R)  # about 260 of the million, on either side
    tail = int((np.abs(x) > kernel.NOR_R).sum())
    assert abs(tail - n * p) < 5 * math.sqrt(n * p * (1 - p)), (tail, n * p)
    beyond = np.abs(x[np.abs(x) > kernel.NOR_R])
    truncated = stats.truncnorm(kernel.NOR_R, np.inf)
    assert stats.kstest(beyond, truncated.cdf).pvalue > 1e-4
    assert abs(int((x > 0).sum()) - n / 2) < 5 * math.sqrt(n / 4)  # the sign bit
    _layers_agree(np.abs(x), kernel.NOR_W * float(1 << 52), stats.halfnorm.cdf)


def _layers_agree(x: np.ndarray, edges: np.ndarray, cdf) -> None:
    """The draws between the ziggurat's layer edges (x_i = w_i · 2^bits) are as many as
    the law puts there (a chi-square test at the 1e-4 level)."""
    bounds = np.concatenate([[0.0], np.sort(edges[1:]), [np.inf]])
    counts = np.histogram(x, bins=bounds)[0]
    expected = x.size * np.diff(cdf(bounds))
    statistic = float(((counts - expected) ** 2 / expected).sum())
    assert stats.chi2(len(counts) - 1).sf(statistic) > 1e-4


def test_exponential_draws_follow_the_exponential_law():
    """A million draws: the ziggurat's layers, wedges and tail each get thousands of them,
    so a wrong table or edge shows in the whole distribution, in the tail beyond the base
    layer's edge r, and in the share of each layer's points (the top 8 bits)."""
    n = 1_000_000
    x = _draws(3, 0.0, n, 14)
    assert x.min() >= 0
    _moments_agree(x, 1.0, 1.0, 9.0)
    assert stats.kstest(x, stats.expon.cdf).pvalue > 1e-4
    # the tail: P(x > r) = exp(−r), about 450 of the million
    p = math.exp(-kernel.EXP_R)
    tail = int((x > kernel.EXP_R).sum())
    assert abs(tail - n * p) < 5 * math.sqrt(n * p * (1 - p)), (tail, n * p)
    beyond = x[x > kernel.EXP_R] - kernel.EXP_R  # memoryless: again a standard exponential
    assert stats.kstest(beyond, stats.expon.cdf).pvalue > 1e-4
    _layers_agree(x, kernel.EXP_W * float(1 << 53), stats.expon.cdf)


@pytest.mark.parametrize("law", ["exponential", "normal"])
def test_the_ziggurat_tables_have_layers_of_equal_area(law):
    """Marsaglia and Tsang's 256 layers of area v: layer i ≥ 1 is the rectangle
    [0, x_i] × [f(x_i), f(x_(i−1))] (f(x_0) = 1), the edges x_i rising to r, and the base
    layer, [0, r] × [0, f(r)] with the tail beyond, is as wide as its area v over f(r);
    their published v (to the digits published) is the base layer's area."""
    exponential = law == "exponential"

    def density(x):
        return np.exp(-x) if exponential else np.exp(-0.5 * x * x)

    if exponential:
        r, w, f, k, bits = kernel.EXP_R, kernel.EXP_W, kernel.EXP_F, kernel.EXP_K, 53
        tail, published = math.exp(-r), 0.0039496598225815572
    else:
        r, w, f, k, bits = kernel.NOR_R, kernel.NOR_W, kernel.NOR_F, kernel.NOR_K, 52
        tail, published = stats.norm.sf(r) * math.sqrt(2 * math.pi), 0.00492867323399
    v = r * density(r) + tail
    assert v == pytest.approx(published, rel=1e-11)
    edges = w * float(1 << bits)
    assert edges[-1] == pytest.approx(r) and f[0] == 1.0
    assert np.all(np.diff(edges[1:]) > 0) and np.all(np.diff(f) < 0)
    np.testing.assert_allclose(f[1:], density(edges[1:]), rtol=1e-12)
    np.testing.assert_allclose(edges[1:] * (f[:-1] - f[1:]), v, rtol=1e-12)
    # the base layer: width v / f(r); a point accepts at once below r
    assert edges[0] == pytest.approx(v / density(r), rel=1e-12)
    assert int(k[0]) == int(r / edges[0] * float(1 << bits))
    # a layer above it accepts at once below the edge of the layer above (x_(i−1) / x_i)
    np.testing.assert_allclose(k[2:].astype(float) / float(1 << bits), edges[1:-1] / edges[2:],
                               rtol=1e-12)
    assert k[1] == 0  # the top layer: every point is tested against the density


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


def test_the_parameter_draws_have_the_scenario_s_means_and_spreads():
    """sample_parameters: each transition row is Dirichlet with the central row as its mean
    (Var p_j = p_j (1 − p_j) / (α₀ + 1)), the wage factors are log-normal with mean 1 and the
    scenario's spread, and the enterprise side's counts are Poisson with the expected means."""
    from brobygger.model import compile_scenario
    from brobygger.scenario.load import load_scenario
    from brobygger.simulation.inputs import inputs_for
    from brobygger.simulation.run import sample_chunk

    inputs = inputs_for(compile_scenario(load_scenario()))
    n = 20_000
    draws = sample_chunk(inputs, 5, 0, n, True)

    def probabilities(cum: np.ndarray) -> np.ndarray:
        cum = np.where(np.isinf(cum), 1.0, cum)
        return np.diff(cum, axis=-1, prepend=0.0)

    p, central = probabilities(draws.cum), probabilities(inputs.cum)
    alpha = inputs.alpha
    a0 = alpha.sum(axis=-1, keepdims=True)
    drawn = (alpha > 0) & ((alpha > 0).sum(axis=-1, keepdims=True) > 1)
    var = central * (1 - central) / (a0 + 1)
    z = (p.mean(axis=0) - central)[drawn] / np.sqrt(var[drawn] / n)
    assert drawn.sum() > 50 and np.abs(z).max() < 5, np.abs(z).max()
    near_normal = drawn & (alpha >= 5) & (a0 - alpha >= 5)
    ratio = p.var(axis=0)[near_normal] / var[near_normal]
    assert near_normal.sum() > 10 and np.all(np.abs(ratio - 1) < 0.1), ratio
    np.testing.assert_allclose(p[:, ~drawn], np.broadcast_to(central[~drawn], (n, (~drawn).sum())),
                               atol=1e-12)

    # the wage factors: log f = z·sd − sd²/2, so that E f = 1 (many draws of a one-row model:
    # the − sd²/2 is 3.5 standard errors in the sample above, 16 in this one)
    sd = inputs.wage_sd
    m = 400_000
    one = np.array([[[[0.5, 0.5], [0.0, 1.0]]]])
    factors = np.empty((m, 2))
    kernel.sample_parameters(5, 0, one * 10, np.cumsum(one, axis=-1), sd, np.zeros((2, 1)),
                             True, np.empty((m, 1, 1, 2, 2)), factors, np.empty((m, 2, 1)))
    logs = np.log(factors)
    assert np.all(np.abs(logs.mean(axis=0) + sd**2 / 2) < 5 * sd / np.sqrt(m))
    assert np.all(np.abs(logs.std(axis=0) / sd - 1) < 0.02)
    assert np.all(np.abs(draws.factors.mean(axis=0) - 1) < 5 * sd / np.sqrt(n))

    expected = inputs.enterprise_mean.sum(axis=-1)  # per kind, over the horizon
    totals = draws.enterprise.sum(axis=-1)
    assert np.all(np.abs(totals.mean(axis=0) - expected) < 5 * np.sqrt(expected / n))
    assert np.all(np.abs(totals.var(axis=0) / expected - 1) < 0.1)
