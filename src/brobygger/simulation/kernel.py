"""The sampling kernels (numba): parameter draws and participants' paths, a chunk at a time.

Randomness: every draw d has its own streams, seeded from the run's seed by a fixed hash
(splitmix64) of (seed, d, stream): stream 0 for parameter uncertainty, 1 for the
enterprise side (numba's Mersenne Twister, per thread, re-seeded at the start of each
stream), 1000 + kommunekode for the participants of one municipality (an inlined
xoroshiro128+ whose state lives in the kernel). A draw therefore gives the same numbers on
any backend, thread or worker count; and two scenarios run with the same seed share each
municipality's participant draws (common random numbers).

Per participant-month the path kernel draws one uniform, picks the next state from the
cumulative transition row (the same uniform for the programme world and the
counterfactual: common random numbers between the two worlds), moves both worlds' refund
chains and the contract chain by table look-up, and adds the month's public costs,
payments and indicator events. The rules live in the tables;
:mod:`brobygger.simulation.reference` applies the same rules directly, without tables, and
the tests check that both give the same numbers.
"""

from __future__ import annotations

import numpy as np
from numba import njit

PARAMETERS, ENTERPRISES, MUNICIPALITY_BASE = 0, 1, 1000


@njit(cache=True)
def _splitmix(x):  # pragma: no cover - compiled
    x = (x + np.uint64(0x9E3779B97F4A7C15)) & np.uint64(0xFFFFFFFFFFFFFFFF)
    z = x
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@njit(cache=True)
def stream_seed(seed, draw, stream):  # pragma: no cover - compiled
    """A 32-bit seed for the generator of (seed, draw, stream)."""
    h = _splitmix(np.uint64(seed))
    h = _splitmix(h ^ np.uint64(draw))
    h = _splitmix(h ^ np.uint64(stream))
    return np.int64(h & np.uint64(0xFFFFFFFF))


@njit(cache=True, inline="always")
def _rotl(x, k):  # pragma: no cover - compiled
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@njit(cache=True)
def stream_state(seed, draw, stream):  # pragma: no cover - compiled
    """The two-word state of a participant stream (xoroshiro128+), never all zero."""
    s0 = _splitmix(np.uint64(stream_seed(seed, draw, stream)))
    s1 = _splitmix(s0)
    if s0 == np.uint64(0) and s1 == np.uint64(0):
        s1 = np.uint64(1)
    return s0, s1


@njit(cache=True, inline="always")
def next_uniform(s0, s1):  # pragma: no cover - compiled
    """xoroshiro128+ (Blackman and Vigna): a uniform in [0, 1) and the next state.

    The participants' paths draw one uniform per month, so the generator is inlined in the
    kernel; parameters and the enterprise side use numba's Mersenne Twister."""
    result = s0 + s1
    s1 ^= s0
    s0 = _rotl(s0, 24) ^ s1 ^ (s1 << np.uint64(16))
    s1 = _rotl(s1, 37)
    return (result >> np.uint64(11)) * (1.0 / 9007199254740992.0), s0, s1


@njit(nogil=True, cache=True)
def sample_parameters(seed, first, alpha, central, wage_sd, ent_mean, uncertainty,
                      cum_out, factors_out, ent_out):  # pragma: no cover - compiled
    """Per draw: cumulative transition rows (Dirichlet), wage factors (log-normal, mean 1)
    and the enterprise side's monthly counts (Poisson)."""
    n = cum_out.shape[0]
    W, NP, S = alpha.shape[0], alpha.shape[1], alpha.shape[2]
    for c in range(n):
        d = first + c
        if uncertainty:
            np.random.seed(stream_seed(seed, d, PARAMETERS))
            for w in range(W):
                for per in range(NP):
                    for i in range(S):
                        support = 0
                        for j in range(S):
                            if alpha[w, per, i, j] > 0:
                                support += 1
                        if support <= 1:
                            for j in range(S):
                                cum_out[c, w, per, i, j] = central[w, per, i, j]
                            continue
                        total = 0.0
                        g = np.zeros(S)
                        for j in range(S):
                            if alpha[w, per, i, j] > 0:
                                g[j] = np.random.gamma(alpha[w, per, i, j], 1.0)
                                total += g[j]
                        acc = 0.0
                        for j in range(S):
                            acc += g[j] / total
                            cum_out[c, w, per, i, j] = acc
                        cum_out[c, w, per, i, S - 1] = np.inf
            for k in range(wage_sd.shape[0]):
                sd = wage_sd[k]
                factors_out[c, k] = np.exp(np.random.normal(0.0, 1.0) * sd - sd * sd / 2.0)
        else:
            cum_out[c] = central
            for k in range(wage_sd.shape[0]):
                factors_out[c, k] = 1.0
        np.random.seed(stream_seed(seed, d, ENTERPRISES))
        for a in range(ent_mean.shape[0]):
            for t in range(ent_mean.shape[1]):
                ent_out[c, a, t] = np.random.poisson(ent_mean[a, t]) if ent_mean[a, t] > 0 else 0


@njit(nogil=True, cache=True)
def uniforms(seed, draw, codes, starts, entry, T):  # pragma: no cover - compiled
    """The uniforms the path kernel consumes for one draw, in order (for the reference)."""
    n = entry.shape[0]
    total = 0
    for i in range(n):
        total += T - entry[i]
    out = np.empty(total)
    pos = 0
    for m in range(codes.shape[0]):
        s0, s1 = stream_state(seed, draw, MUNICIPALITY_BASE + codes[m])
        for i in range(starts[m], starts[m + 1]):
            for _ in range(T - entry[i]):
                out[pos], s0, s1 = next_uniform(s0, s1)
                pos += 1
    return out


@njit(nogil=True, cache=True)
def run_paths(
    seed, first, codes, starts, entry, regime, profile_cum, profile_of, forced,
    cum, period_of,
    r_next, r_j, r_cls, r_state, r_init,
    c_next, c_ptr, c_what, c_amount, c_init, c_entry_pay, c_entry_ev,
    table, job_col, job, kskat, lags,
    save, due, events,
):  # pragma: no cover - compiled; tested against the reference implementation
    """Fill ``save`` (n, M, T, 2), ``due`` (n, O, M, T) and ``events`` (n, 4, M, T).

    Forecasting: ``profile_of[i] >= 0`` fixes a participant's profile, and
    ``forced[i, k] >= 0`` is the state the participant is known to have been in at month k
    of its path (the programme world follows the history; the uniform is still drawn, so
    a forecast and a plan share their random numbers). Planning passes empty arrays.

    ``table[p, t, j]`` holds (municipality cost before kommuneskat, kommuneskat base, state
    cost) and ``job[c, jc, t]`` the drawn wage's (kommuneskat base, state taxes). ``save``
    is the counterfactual's cost minus the programme world's, for municipality and state;
    a month in which both worlds are in the same cost class (``r_cls``) adds nothing.
    """
    n_draws = save.shape[0]
    T = table.shape[1]
    n_out = lags.shape[0]
    n_states = c_next.shape[1]
    for c in range(n_draws):
        d = first + c
        cum0 = cum[c, 0]
        cum1 = cum[c, 1]
        job_c = job[c]
        save_c = save[c]
        for m in range(codes.shape[0]):
            x0, x1 = stream_state(seed, d, MUNICIPALITY_BASE + codes[m])
            for i in range(starts[m], starts[m + 1]):
                e = entry[i]
                g = regime[i]
                u, x0, x1 = next_uniform(x0, x1)
                p = 0
                while u >= profile_cum[p]:
                    p += 1
                known = profile_of.shape[0] > 0
                if known and profile_of[i] >= 0:
                    p = profile_of[i]
                r0 = r_init[0, p]
                r1 = r_init[1, p]
                ci = c_init[g]
                for o in range(n_out):
                    amount = c_entry_pay[g, o]
                    if amount != 0.0 and e + lags[o] < T:
                        due[c, o, m, e + lags[o]] += amount
                for q in range(4):
                    events[c, q, m, e] += c_entry_ev[g, q]
                for k in range(0, T - e):
                    t = e + k
                    if k > 0:
                        u, x0, x1 = next_uniform(x0, x1)
                        row = cum0[period_of[0, k], r_state[0, r0]]
                        s2 = 0
                        while u >= row[s2]:
                            s2 += 1
                        if known and forced[i, k] >= 0:
                            s2 = forced[i, k]
                        move = ci * n_states + s2
                        for z in range(c_ptr[move], c_ptr[move + 1]):
                            o = c_what[z]
                            if o < n_out:
                                if t + lags[o] < T:
                                    due[c, o, m, t + lags[o]] += c_amount[z]
                            else:
                                events[c, o - n_out, m, t] += c_amount[z]
                        ci = c_next[ci, s2]
                        r0 = r_next[0, r0, s2]
                        row = cum1[period_of[1, k], r_state[1, r1]]
                        s3 = 0
                        while u >= row[s3]:
                            s3 += 1
                        r1 = r_next[1, r1, s3]
                    cl0 = r_cls[0, r0]
                    cl1 = r_cls[1, r1]
                    if cl0 != cl1:  # the same cost class in both worlds saves nothing
                        tax = kskat[m, t]
                        j = r_j[0, r0]
                        kb0 = table[p, t, j, 1]
                        st0 = table[p, t, j, 2]
                        mu0 = table[p, t, j, 0]
                        jc = job_col[r_state[0, r0]]
                        if jc >= 0:
                            kb0 += job_c[jc, t, 0]
                            st0 -= job_c[jc, t, 1]
                        j = r_j[1, r1]
                        kb1 = table[p, t, j, 1]
                        st1 = table[p, t, j, 2]
                        mu1 = table[p, t, j, 0]
                        jc = job_col[r_state[1, r1]]
                        if jc >= 0:
                            kb1 += job_c[jc, t, 0]
                            st1 -= job_c[jc, t, 1]
                        save_c[m, t, 0] += (mu1 - tax * kb1) - (mu0 - tax * kb0)
                        save_c[m, t, 1] += st1 - st0
