"""The sampling kernels (numba): parameter draws and participants' paths, a chunk at a time.

Randomness: every draw d has its own streams, seeded from the run's seed by a fixed hash
(splitmix64) of (seed, d, stream): stream 0 for parameter uncertainty, 1 for the
enterprise side (numba's Mersenne Twister, per thread, re-seeded at the start of each
stream), and (1000 + kommunekode, the participant's place in its municipality) for each
participant (an inlined xoroshiro128+ whose state lives in the kernel). A draw therefore
gives the same numbers on any backend, thread or worker count; and two scenarios run with
the same seed share their participants' draws (common random numbers), whatever the
participants before them drew.

The path kernel moves both worlds by one shared uniform a month (common random numbers
between the two worlds), drawing a run of months in which neither moves at once (see
:func:`run_paths`); it moves both worlds' refund chains and the contract chain by table
look-up, over a run's months by the chains' holds (:func:`holds`), and writes each
participant's public costs, payments and indicator events where they change. The rules
live in the tables; :mod:`brobygger.simulation.reference` applies the same rules directly,
month by month and without tables, and the tests check that both give the same numbers.
"""

from __future__ import annotations

import math

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


@njit(cache=True, inline="always")
def next_uniform(s0, s1):  # pragma: no cover - compiled
    """xoroshiro128+ (Blackman and Vigna): a uniform in [0, 1) and the next state.

    The participants' paths draw from it in the kernel's inner loop, so it is inlined
    there; parameters and the enterprise side use numba's Mersenne Twister."""
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


@njit(cache=True)
def municipality_hash(seed, draw, code):  # pragma: no cover - compiled
    """The part of a participant's stream seed shared by its municipality in a draw."""
    h = _splitmix(np.uint64(seed))
    h = _splitmix(h ^ np.uint64(draw))
    return _splitmix(h ^ np.uint64(MUNICIPALITY_BASE + code))


@njit(cache=True)
def stream_of(h, index):  # pragma: no cover - compiled
    """The xoroshiro128+ state of participant ``index`` of the municipality hashed h."""
    s0 = _splitmix(h ^ np.uint64(index))
    s1 = _splitmix(s0)
    if s0 == np.uint64(0) and s1 == np.uint64(0):
        s1 = np.uint64(1)
    return s0, s1


@njit(cache=True)
def participant_state(seed, draw, code, index):  # pragma: no cover - compiled
    """The xoroshiro128+ state of one participant's stream: (seed, draw, kommunekode,
    index within the municipality), so a participant's numbers do not depend on how many
    numbers the participants before it used."""
    return stream_of(municipality_hash(seed, draw, code), index)


@njit(nogil=True, cache=True)
def uniforms(seed, draw, code, index, count):  # pragma: no cover - compiled
    """The first ``count`` uniforms of a participant's stream (for the reference)."""
    out = np.empty(count)
    s0, s1 = participant_state(seed, draw, code, index)
    for k in range(count):
        out[k], s0, s1 = next_uniform(s0, s1)
    return out


@njit(cache=True)
def shared_stay(lo0, hi0, lo1, hi1):  # pragma: no cover - compiled
    """Where both worlds stay put: world w stays while the uniform is in [lo_w, hi_w) (its
    row's cumulative bounds around its own state); both do in [lo, lo + q), returned as
    (lo, q), q = 0 when the intervals do not meet."""
    lo = lo1 if lo1 > lo0 else lo0
    hi = hi1 if hi1 < hi0 else hi0
    if hi > 1.0:
        hi = 1.0
    return lo, (hi - lo if hi > lo else 0.0)


@njit(cache=True)
def log_stay(q):  # pragma: no cover - compiled
    """log q, for :func:`months_staying` (compiled, so the reference gets the same bits)."""
    return math.log(q) if 0.0 < q < 1.0 else 0.0


@njit(cache=True)
def months_staying(v, log_q, room):  # pragma: no cover - compiled
    """How many months both worlds stay before the first move (at most ``room``), from
    the uniform v, with ``log_q`` = :func:`log_stay` (q): P(at least n) = q**n. (1 − v is
    exact for the generator's multiples of 2⁻⁵³, and log is about three times as fast as
    log1p.)"""
    x = math.log(1.0 - v) / log_q
    return room if x >= room else int(x)


@njit(cache=True)
def stay_table(cum0, cum1, lo_out, q_out, log_out):  # pragma: no cover - compiled
    """:func:`shared_stay` and :func:`log_stay` for every pair of rows of a draw (period
    and state in each world), flat by ((period₀·S + s₀)·NP + period₁)·S + s₁: a run looks
    them up instead of computing them."""
    NP, S = cum0.shape[0], cum0.shape[1]
    for a in range(NP):
        for s0 in range(S):
            lo0 = cum0[a, s0, s0 - 1] if s0 > 0 else 0.0
            for b in range(NP):
                for s1 in range(S):
                    lo1 = cum1[b, s1, s1 - 1] if s1 > 0 else 0.0
                    lo, q = shared_stay(lo0, cum0[a, s0, s0], lo1, cum1[b, s1, s1])
                    at = ((a * S + s0) * NP + b) * S + s1
                    lo_out[at] = lo
                    q_out[at] = q
                    log_out[at] = log_stay(q)


@njit(cache=True)
def moving_uniform(v, lo, q):  # pragma: no cover - compiled
    """The month's uniform given that not both worlds stay: uniform on [0, 1) outside
    [lo, lo + q), from the uniform v."""
    u = v * (1.0 - q)
    return u + q if u >= lo else u


#: the hold of a node whose months all look the same from there on
FOREVER = 1 << 40


@njit(cache=True)
def holds(succ, obs, hold, jump, reach):  # pragma: no cover - compiled
    """For a chain that moves ``x -> succ[x]`` each month the participant's state stays
    the same, and shows ``obs[x]`` to the accounts in the month that starts at x: fill
    ``hold[x]``, the months from x that show the same as x's (FOREVER when all do, the
    chain having stopped moving or moving only to nodes that show the same), ``jump[x]``,
    the node after ``reach[x]`` months (after ``hold[x]`` months, or where the chain stops
    when it holds for good). A cycle, which the rules do not make, would get holds of 1."""
    n = succ.shape[0]
    done = np.zeros(n, dtype=np.int8)  # 0 not seen, 1 on the path, 2 done
    path = np.empty(n, dtype=np.int64)
    for x0 in range(n):
        top = 0
        x = x0
        while done[x] == 0:
            done[x] = 1
            path[top] = x
            top += 1
            x = succ[x]
        # x is done (or on the path: a cycle, or a node that stops here)
        while top > 0:
            top -= 1
            y = path[top]
            z = succ[y]
            if z == y:
                hold[y], jump[y], reach[y] = FOREVER, y, 0
            elif obs[z] != obs[y] or done[z] != 2:
                hold[y], jump[y], reach[y] = 1, z, 1
            elif hold[z] >= FOREVER:
                hold[y], jump[y], reach[y] = FOREVER, jump[z], reach[z] + 1
            else:
                hold[y], jump[y], reach[y] = hold[z] + 1, jump[z], reach[z] + 1
            done[y] = 2


@njit(nogil=True, cache=True)
def run_paths(
    seed, first, codes, starts, entry, regime, profile_cum, profile_of, forced,
    cum, period_of, period_end, cost_next,
    r_next, r_cls, r_state, r_init, r_stay, r_obs, r_hold, r_jump, r_reach,
    c_next, c_sig, c_ptr, c_what, c_amount, c_init, c_entry_pay, c_entry_ev,
    c_stay, c_obs, c_hold, c_jump, c_reach,
    table, job_col, job, kskat, lags,
    save, due, events,
):  # pragma: no cover - compiled; tested against the reference implementation
    """Fill ``save`` (n, M, T, 2), ``due`` (n, O, M, T) and ``events`` (n, 4, M, T) (what
    they held before is overwritten).

    Sampling: the two worlds share one uniform a month (common random numbers between
    them), and a run of months in which both stay put is drawn at once: with q the
    chance of the uniform keeping both (:func:`shared_stay`), the run's length is
    geometric (:func:`months_staying`) and the month that ends it has the uniform drawn
    outside that interval (:func:`moving_uniform`) — the same joint law as a uniform a
    month, with a few draws per participant instead of one a month. A run stops at a
    change of period (new rows), where it is drawn afresh (the geometric law has no
    memory).

    Accounting by changes: what a participant's month adds to the accounts — its savings
    (set by both worlds' cost classes and the year's rates) and its bookings (the list
    its contract move books, ``c_sig``) — is written only where it changes, as the
    difference from the month before, and the changes are summed month by month at the end
    of the draw. In a run the chains move on their own (``*_stay``), and the months over
    which nothing a chain shows changes are known in advance (``*_hold``, ``*_jump``; see
    :func:`holds`), so a run costs a step per change, not per month: a staircase rate
    falling, a job's sixth month, the cap reached, a new year's rates
    (``cost_next[0, t]``: the next month whose costs may differ from t's; ``cost_next[1, t]``
    the same where a wage is earned, whose drawn level changes on its own dates).

    Forecasting: ``profile_of[i] >= 0`` fixes a participant's profile, and
    ``forced[i, k] >= 0`` is the state the participant is known to have been in at month k
    of its path: over the known months the programme world follows the history and the
    counterfactual draws a uniform a month. Planning passes empty arrays.

    ``table[p, q, t]`` holds (municipality cost before kommuneskat, kommuneskat base, state
    cost) of cost class q (the columns state·B + months on staircase that cost the same in
    every profile and month; a table small enough to stay in the cache), and
    ``job[c, jc, t]`` the drawn wage's (kommuneskat base, state taxes). ``save`` is the
    counterfactual's cost minus the programme world's, for municipality and state.
    """
    n_draws = save.shape[0]
    M = save.shape[1]
    T = table.shape[2]
    n_out = lags.shape[0]
    n_states = r_next.shape[2]
    known = profile_of.shape[0] > 0
    NP = cum.shape[2]
    st_lo = np.empty(NP * n_states * NP * n_states)  # the draw's stay_table
    st_q = np.empty_like(st_lo)
    st_log = np.empty_like(st_lo)
    for c in range(n_draws):
        d = first + c
        cum0 = cum[c, 0]
        cum1 = cum[c, 1]
        stay_table(cum0, cum1, st_lo, st_q, st_log)
        job_c = job[c]
        save_c = save[c]
        due_c = due[c]
        ev_c = events[c]
        save_c[:] = 0.0  # here rather than by the caller: the draw's rows stay in the cache
        due_c[:] = 0.0
        ev_c[:] = 0.0
        for m in range(codes.shape[0]):
            h_m = municipality_hash(seed, d, codes[m])
            for i in range(starts[m], starts[m + 1]):
                x0, x1 = stream_of(h_m, i - starts[m])  # = participant_state(...)
                e = entry[i]
                g = regime[i]
                L = T - e
                u, x0, x1 = next_uniform(x0, x1)
                p = 0
                while u >= profile_cum[p]:
                    p += 1
                if known and profile_of[i] >= 0:
                    p = profile_of[i]
                r0 = r_init[0, p]
                r1 = r_init[1, p]
                s0 = r_state[0, r0]
                s1 = r_state[1, r1]
                ci = c_init[g]
                for o in range(n_out):  # the entry's bookings: this month only
                    amount = c_entry_pay[g, o]
                    if amount != 0.0 and e + lags[o] < T:
                        due_c[o, m, e + lags[o]] += amount
                        if e + lags[o] + 1 < T:
                            due_c[o, m, e + lags[o] + 1] -= amount
                for z in range(4):
                    if c_entry_ev[g, z] != 0.0:
                        ev_c[z, m, e] += c_entry_ev[g, z]
                        if e + 1 < T:
                            ev_c[z, m, e + 1] -= c_entry_ev[g, z]
                sig, booked = 0, 0  # what each month books now: c_sig, a move that books it
                cl0, cl1 = -1, -1  # the cost classes now
                v_mu, v_st = 0.0, 0.0  # the monthly savings now, until month seg_end
                seg_end = 0
                per0, per1 = 0, 0  # the periods of the current run's rows
                lo, q = 0.0, 0.0
                left = 0  # months of the current run still to come
                ending = False  # a move month ends the current run
                n0, n1 = s0, s1  # the states a move goes to
                k = 0
                while k < L:
                    t = e + k
                    staying = False
                    if k == 0:  # referral: the chains' first nodes
                        n_cl0, n_cl1 = r_cls[0, r0], r_cls[1, r1]
                    else:
                        if known and forced[i, k] >= 0:  # a known month of a forecast
                            u, x0, x1 = next_uniform(x0, x1)
                            per1 = period_of[1, k]
                            n1 = 0
                            while u >= cum1[per1, s1, n1]:
                                n1 += 1
                            n0 = forced[i, k]
                        else:
                            if left == 0 and not ending:  # draw the next run
                                per0 = period_of[0, k]
                                per1 = period_of[1, k]
                                at = ((per0 * n_states + s0) * NP + per1) * n_states + s1
                                lo, q = st_lo[at], st_q[at]
                                end = min(period_end[k], L)
                                if q <= 0.0:
                                    left = 0
                                elif q >= 1.0:
                                    left = end - k
                                else:
                                    v, x0, x1 = next_uniform(x0, x1)
                                    left = months_staying(v, st_log[at], end - k)
                                ending = k + left < end
                            staying = left > 0
                            if not staying:  # the month that ends the run
                                ending = False
                                v, x0, x1 = next_uniform(x0, x1)
                                u = moving_uniform(v, lo, q)
                                n0 = 0
                                while u >= cum0[per0, s0, n0]:
                                    n0 += 1
                                n1 = 0
                                while u >= cum1[per1, s1, n1]:
                                    n1 += 1
                        if staying:  # both stay: the chains show their stay months
                            move = ci * n_states + s0
                            n_cl0, n_cl1 = r_obs[0, r0], r_obs[1, r1]
                        else:
                            s0 = n0
                            s1 = n1
                            move = ci * n_states + s0
                        if c_sig[move] != sig:  # the monthly bookings change from month t
                            if sig != 0:
                                for z in range(c_ptr[booked], c_ptr[booked + 1]):
                                    o = c_what[z]
                                    if o < n_out:
                                        if t + lags[o] < T:
                                            due_c[o, m, t + lags[o]] -= c_amount[z]
                                    else:
                                        ev_c[o - n_out, m, t] -= c_amount[z]
                            for z in range(c_ptr[move], c_ptr[move + 1]):
                                o = c_what[z]
                                if o < n_out:
                                    if t + lags[o] < T:
                                        due_c[o, m, t + lags[o]] += c_amount[z]
                                else:
                                    ev_c[o - n_out, m, t] += c_amount[z]
                            sig = c_sig[move]
                            booked = move
                        if not staying:
                            ci = c_next[move]
                            r0 = r_next[0, r0, s0]
                            r1 = r_next[1, r1, s1]
                            n_cl0, n_cl1 = r_cls[0, r0], r_cls[1, r1]
                    # months t .. t + h - 1 have the same cost classes (and bookings)
                    h = 1
                    if staying:
                        h = min(left, c_hold[ci], r_hold[0, r0], r_hold[1, r1])
                    # the monthly savings change where the classes or the year's rates do
                    tb = t if n_cl0 != cl0 or n_cl1 != cl1 else seg_end
                    while tb < t + h:
                        cl0, cl1 = n_cl0, n_cl1
                        mu, st = 0.0, 0.0
                        seg_end = T
                        if cl0 != cl1:  # the same cost class saves nothing
                            jc0, jc1 = job_col[s0], job_col[s1]
                            seg_end = cost_next[1 if jc0 >= 0 or jc1 >= 0 else 0, tb]
                            tax = kskat[m, tb]
                            mu0 = table[p, cl0, tb, 0]
                            kb0 = table[p, cl0, tb, 1]
                            st0 = table[p, cl0, tb, 2]
                            if jc0 >= 0:
                                kb0 += job_c[jc0, tb, 0]
                                st0 -= job_c[jc0, tb, 1]
                            mu1 = table[p, cl1, tb, 0]
                            kb1 = table[p, cl1, tb, 1]
                            st1 = table[p, cl1, tb, 2]
                            if jc1 >= 0:
                                kb1 += job_c[jc1, tb, 0]
                                st1 -= job_c[jc1, tb, 1]
                            mu = (mu1 - tax * kb1) - (mu0 - tax * kb0)
                            st = st1 - st0
                        save_c[m, tb, 0] += mu - v_mu
                        save_c[m, tb, 1] += st - v_st
                        v_mu, v_st = mu, st
                        tb = seg_end
                    if staying:  # then each chain h months on (written out: a call
                        # passing the arrays, or a row of them, costs more than the walk)
                        if h >= c_reach[ci]:
                            ci = c_jump[ci]
                        else:
                            for _ in range(h):
                                ci = c_stay[ci]
                        if h >= r_reach[0, r0]:
                            r0 = r_jump[0, r0]
                        else:
                            for _ in range(h):
                                r0 = r_stay[0, r0]
                        if h >= r_reach[1, r1]:
                            r1 = r_jump[1, r1]
                        else:
                            for _ in range(h):
                                r1 = r_stay[1, r1]
                        left -= h
                        k += h
                    else:
                        k += 1
        for t in range(1, T):  # the changes, summed month by month (the months outside:
            for m in range(M):  # every row's sum goes on at once)
                save_c[m, t, 0] += save_c[m, t - 1, 0]
                save_c[m, t, 1] += save_c[m, t - 1, 1]
                for o in range(n_out):
                    due_c[o, m, t] += due_c[o, m, t - 1]
                for o in range(4):
                    ev_c[o, m, t] += ev_c[o, m, t - 1]
