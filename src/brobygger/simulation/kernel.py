"""The compiled kernels (numba): parameter draws, participants' paths and each draw's
reduction to its summaries, a chunk at a time. (They are in one file because numba's
on-disk cache checks only the file of the function it caches: a compiled function calling
one in another file would keep running the old callee after that file changed.)

Randomness: every draw d has its own streams, seeded from the run's seed by a fixed hash
(splitmix64) of (seed, d, stream): stream 0 for parameter uncertainty, 1 for the
enterprise side, and (1000 + kommunekode, the participant's place in its municipality) for
each participant; each is a xoroshiro128+ generator whose state lives in the kernel
(inlined: starting a stream costs a few hashes, not a generator's seeding), and the
gamma, normal, Poisson and exponential draws are made from it (:func:`gamma`,
:func:`normal`, :func:`poisson`, :func:`exponential`). A draw therefore
gives the same numbers on any backend, thread or worker count; and two scenarios run with
the same seed share their participants' draws (common random numbers), whatever the
participants before them drew.

The path kernel (:func:`draw_paths`) moves both worlds by one shared uniform a month
(common random numbers between the two worlds), drawing a run of months in which neither
moves at once; it moves both worlds' refund chains and the contract chain by table
look-up, over a run's months by the chains' holds (:func:`holds`), and counts each
participant where what it adds to the accounts changes: into and out of cost classes and
booking lists, which each municipality's sums turn into its monthly savings, payments and
indicator events (:func:`savings_by_month` or :func:`savings_by_change`,
:func:`bookings_by_list`). The rules live in the tables;
:mod:`brobygger.simulation.reference` applies the same rules directly, month by month and
without tables, and the tests check that both give the same numbers.
The simulation reduces each draw to its summaries as it is drawn (:func:`simulate_draws`,
:func:`reduce_draw`); :func:`run_paths` keeps the monthly arrays instead, for the tests
and analyses.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from brobygger.model import ORE  # the savings and payments are summed in whole øre

PARAMETERS, ENTERPRISES, MUNICIPALITY_BASE = 0, 1, 1000
KRONE = 1.0 / ORE  # øre to kroner by a multiplication (a division is several times slower)

#: an index cast to unsigned: numba indexes an array with a signed integer through Python's
#: wrap-around of negative indices (``a[-1]``: a shift, a mask and an add on the way to
#: every load and store) and with an unsigned one directly. The kernels never index with a
#: negative number, and cast the indices on their hot paths (a default draw's paths took
#: 10-12 % less time, measured). An index cast so must be checked to be in range where it is
#: made: there is no bounds check either way.
ix = np.uint64


@njit(cache=True)
def _splitmix(x):  # pragma: no cover - compiled
    x = (x + np.uint64(0x9E3779B97F4A7C15)) & np.uint64(0xFFFFFFFFFFFFFFFF)
    z = x
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


@njit(cache=True, inline="always")
def _rotl(x, k):  # pragma: no cover - compiled
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@njit(cache=True, inline="always")
def next_bits(s0, s1):  # pragma: no cover - compiled
    """xoroshiro128+ (Blackman and Vigna): 64 bits and the next state.

    Every stream of the simulation draws from it (see the module's notes)."""
    result = s0 + s1
    s1 ^= s0
    s0 = _rotl(s0, 24) ^ s1 ^ (s1 << np.uint64(16))
    s1 = _rotl(s1, 37)
    return result, s0, s1


@njit(cache=True, inline="always")
def next_uniform(s0, s1):  # pragma: no cover - compiled
    """A uniform in [0, 1) (the top 53 of :func:`next_bits`) and the next state."""
    bits, s0, s1 = next_bits(s0, s1)
    return (bits >> np.uint64(11)) * (1.0 / 9007199254740992.0), s0, s1


def _ziggurat(r: float, density, inverse, tail: float, bits: int
              ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Marsaglia and Tsang's ziggurat (J. Stat. Softw. 5(8), 2000) of 256 layers for a
    decreasing ``density`` on [0, ∞) (1 at 0, ``inverse`` its inverse), with the base
    layer's edge at r and ``tail`` = the density's integral beyond r, for points of
    ``bits`` bits: (k, the point below which a layer accepts at once; w, a point's scale;
    f, the density at each layer's right edge). Every layer has the base layer's area v,
    r·density(r) and the tail, taken here from r in double precision."""
    layers, m = 256, float(1 << bits)
    v = r * density(r) + tail
    k = np.zeros(layers, dtype=np.uint64)
    w, f = np.zeros(layers), np.zeros(layers)
    x = prev = r
    q = v / density(x)  # the base layer's width
    k[0], w[0], f[0] = int(x / q * m), q / m, 1.0
    w[-1], f[-1] = x / m, density(x)
    for i in range(layers - 2, 0, -1):
        x = inverse(v / x + density(x))
        k[i + 1] = int(x / prev * m)
        prev = x
        w[i], f[i] = x / m, density(x)
    return k, w, f


#: the standard exponential's ziggurat (:func:`exponential`; Marsaglia and Tsang's r)
EXP_R = 7.69711747013104972
EXP_K, EXP_W, EXP_F = _ziggurat(EXP_R, lambda x: math.exp(-x), lambda y: -math.log(y),
                                math.exp(-EXP_R), 53)
#: the standard normal's, on its half-density exp(−x²/2) (:func:`normal`)
NOR_R = 3.6541528853610088
NOR_K, NOR_W, NOR_F = _ziggurat(
    NOR_R, lambda x: math.exp(-0.5 * x * x), lambda y: math.sqrt(-2.0 * math.log(y)),
    math.sqrt(math.pi / 2) * math.erfc(NOR_R / math.sqrt(2)), 52)


@njit(cache=True, inline="always")
def exponential(s0, s1):  # pragma: no cover - compiled
    """A standard exponential from the stream (s0, s1) and the stream's next state, by the
    ziggurat (:func:`_ziggurat`): the top 8 of 64 bits pick a layer and 53 of
    the others a point in it, which 97.8 % of the time lies where the layer is under the
    density — a multiplication and a comparison, no logarithm. Otherwise a uniform more
    decides: the tail beyond r by r − log(1 − U), a wedge by the density itself, and a
    rejected point starts again. (Runs of months drawn so made the paths 6 % faster
    than by a logarithm, measured: the call and its spills as much as the logarithm.)"""
    while True:
        bits, s0, s1 = next_bits(s0, s1)
        layer = bits >> np.uint64(56)
        point = (bits >> np.uint64(3)) & np.uint64((1 << 53) - 1)
        x = point * EXP_W[layer]
        if point < EXP_K[layer]:
            return x, s0, s1
        u, s0, s1 = next_uniform(s0, s1)
        if layer == 0:
            return EXP_R - math.log(1.0 - u), s0, s1
        if (EXP_F[layer - 1] - EXP_F[layer]) * u + EXP_F[layer] < math.exp(-x):
            return x, s0, s1


@njit(cache=True, inline="always")
def normal(s0, s1):  # pragma: no cover - compiled
    """A standard normal from the stream (s0, s1) and the stream's next state, by the
    ziggurat (:func:`_ziggurat`) on the half-density with a sign bit: the top 8 of 64 bits
    pick a layer, the next its sign and 52 others the point, accepted at once 98.5 % of
    the time; a wedge is decided by the density, and the tail beyond r by Marsaglia's
    exponential rejection. (A default draw's parameters took 3.5 µs instead of 4.6 by the
    polar method, whose every pair of uniforms took a logarithm, measured.)"""
    while True:
        bits, s0, s1 = next_bits(s0, s1)
        layer = bits >> np.uint64(56)
        negative = (bits >> np.uint64(55)) & np.uint64(1)
        point = (bits >> np.uint64(3)) & np.uint64((1 << 52) - 1)
        x = point * NOR_W[layer]
        if point < NOR_K[layer]:
            return (-x if negative else x), s0, s1
        if layer == 0:  # the tail
            while True:
                u, s0, s1 = next_uniform(s0, s1)
                v, s0, s1 = next_uniform(s0, s1)
                xx = -math.log(1.0 - u) / NOR_R
                yy = -math.log(1.0 - v)
                if yy + yy > xx * xx:
                    x = NOR_R + xx
                    return (-x if negative else x), s0, s1
        u, s0, s1 = next_uniform(s0, s1)
        if (NOR_F[layer - 1] - NOR_F[layer]) * u + NOR_F[layer] < math.exp(-0.5 * x * x):
            return (-x if negative else x), s0, s1


@njit(cache=True, inline="always")
def gamma(shape, s0, s1):  # pragma: no cover - compiled
    """Gamma(shape, 1) and the stream's next state (Marsaglia and Tsang, ACM TOMS 26(3),
    2000; a shape below 1 through Gamma(shape + 1) · U^(1/shape))."""
    boost = 1.0
    if shape < 1.0:
        u, s0, s1 = next_uniform(s0, s1)
        boost = (1.0 - u) ** (1.0 / shape)
        shape += 1.0
    d = shape - 1.0 / 3.0
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        x, s0, s1 = normal(s0, s1)
        v = 1.0 + c * x
        if v <= 0.0:
            continue
        v = v * v * v
        u, s0, s1 = next_uniform(s0, s1)
        w = 1.0 - u  # in (0, 1]
        if w < 1.0 - 0.0331 * x * x * x * x or \
                math.log(w) < 0.5 * x * x + d * (1.0 - v + math.log(v)):
            return d * v * boost, s0, s1


@njit(cache=True)
def poisson(lam, s0, s1):  # pragma: no cover - compiled
    """Poisson(lam) and the stream's next state: by multiplying uniforms below a mean of 10,
    above it by transformed rejection (Hörmann's PTRS, Insurance: Mathematics and Economics
    12, 1993, as NumPy does)."""
    return poisson_from(lam, poisson_limit(lam), s0, s1)


@njit(cache=True)
def poisson_limit(lam):  # pragma: no cover - compiled
    """What :func:`poisson_from` needs of a mean below 10: exp(−lam) (taken once for a
    mean drawn from again and again)."""
    return math.exp(-lam) if 0.0 < lam < 10.0 else 0.0


@njit(cache=True, inline="always")
def poisson_from(lam, limit, s0, s1):  # pragma: no cover - compiled
    """:func:`poisson` given ``limit`` = :func:`poisson_limit` (lam)."""
    if lam <= 0.0:
        return 0, s0, s1
    if lam < 10.0:
        k = 0
        prod = 1.0
        while True:
            u, s0, s1 = next_uniform(s0, s1)
            prod *= 1.0 - u
            if prod <= limit:
                return k, s0, s1
            k += 1
    slam = math.sqrt(lam)
    loglam = math.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    invalpha = 1.1239 + 1.1328 / (b - 3.4)
    vr = 0.9277 - 3.6224 / (b - 2.0)
    while True:
        u, s0, s1 = next_uniform(s0, s1)
        v, s0, s1 = next_uniform(s0, s1)
        u -= 0.5
        v = 1.0 - v  # in (0, 1]
        us = 0.5 - abs(u)
        if us <= 0.0:
            continue
        k = math.floor((2.0 * a / us + b) * u + lam + 0.43)
        if us >= 0.07 and v <= vr:
            return int(k), s0, s1
        if k < 0 or (us < 0.013 and v > us):
            continue
        if (math.log(v) + math.log(invalpha) - math.log(a / (us * us) + b)
                <= -lam + k * loglam - math.lgamma(k + 1.0)):
            return int(k), s0, s1


@njit(cache=True)
def stream(seed, draw, which):  # pragma: no cover - compiled
    """The xoroshiro128+ state of the draw's stream ``which`` (PARAMETERS, ENTERPRISES)."""
    h = _splitmix(np.uint64(seed))
    h = _splitmix(h ^ np.uint64(draw))
    return stream_of(_splitmix(h ^ np.uint64(which)), 0)


@njit(nogil=True, cache=True)
def sample_parameters(seed, first, alpha, central, wage_sd, ent_mean, uncertainty,
                      cum_out, factors_out, ent_out):  # pragma: no cover - compiled
    """Per draw: cumulative transition rows (Dirichlet), wage factors (log-normal, mean 1)
    and the enterprise side's monthly counts (Poisson). The samplers are inlined here (as
    calls, a draw's parameters took a third longer, measured)."""
    n = cum_out.shape[0]
    W, NP, S = alpha.shape[0], alpha.shape[1], alpha.shape[2]
    g = np.zeros(S)
    limit = np.empty_like(ent_mean)  # the same for every draw
    for a in range(ent_mean.shape[0]):
        for t in range(ent_mean.shape[1]):
            limit[a, t] = poisson_limit(ent_mean[a, t])
    for c in range(n):
        d = first + c
        if uncertainty:
            x0, x1 = stream(seed, d, PARAMETERS)
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
                        for j in range(S):
                            g[j] = 0.0
                            if alpha[w, per, i, j] > 0:
                                g[j], x0, x1 = gamma(alpha[w, per, i, j], x0, x1)
                                total += g[j]
                        acc = 0.0
                        for j in range(S):
                            acc += g[j] / total
                            cum_out[c, w, per, i, j] = acc
                        cum_out[c, w, per, i, S - 1] = np.inf
            for k in range(wage_sd.shape[0]):
                sd = wage_sd[k]
                z, x0, x1 = normal(x0, x1)
                factors_out[c, k] = np.exp(z * sd - sd * sd / 2.0)
        else:
            cum_out[c] = central
            for k in range(wage_sd.shape[0]):
                factors_out[c, k] = 1.0
        x0, x1 = stream(seed, d, ENTERPRISES)
        for a in range(ent_mean.shape[0]):
            for t in range(ent_mean.shape[1]):
                ent_out[c, a, t], x0, x1 = poisson_from(ent_mean[a, t], limit[a, t], x0, x1)


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
def inv_log_stay(q):  # pragma: no cover - compiled
    """1 / log q, for :func:`months_staying` (compiled, so the reference gets the same
    bits; a multiplication where a run is drawn instead of a division, which is on the
    path's chain of dependent steps: 2-3 % of a draw, measured)."""
    return 1.0 / math.log(q) if 0.0 < q < 1.0 else 0.0


@njit(cache=True)
def months_staying(e, inv_log_q, room):  # pragma: no cover - compiled
    """How many months both worlds stay before the first move (at most ``room``), from
    the standard exponential e (:func:`exponential`), with ``inv_log_q`` =
    :func:`inv_log_stay` (q): ⌊e / −log q⌋, so that P(at least n) = P(e ≥ −n log q) = qⁿ."""
    x = -e * inv_log_q
    return room if x >= room else int(x)


@njit(cache=True)
def stay_table(cum0, cum1, lo_out, q_out, inv_out):  # pragma: no cover - compiled
    """:func:`shared_stay` for every pair of rows of a draw (period and state in each
    world), flat by ((period₀·S + s₀)·NP + period₁)·S + s₁: a run looks them up instead of
    computing them. ``inv_out`` (:func:`inv_log_stay`, a logarithm) is left NaN, for
    :func:`draw_paths` to fill where a run first needs it (a default draw starts its runs
    from a few dozen of its 256 pairs)."""
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
                    inv_out[at] = np.nan  # taken where a run first needs it


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


#: the fields of a refund chain's node in the kernel's table (then its next node for each
#: state) and of a contract chain's node (then its moves):
#: :class:`brobygger.simulation.inputs.NodeTables`
R_CLS, R_OBS, R_HOLD, R_JUMP, R_REACH, R_RUN, R_STAY, R_STATE, R_NEXT = range(9)
C_STAY, C_HOLD, C_JUMP, C_REACH, C_RUN, C_MOVE = 0, 1, 2, 3, 4, 8

#: a change of booking list's entry (:class:`brobygger.simulation.inputs.NodeTables`) as
#: one 64-bit integer: the amount above the low bits, the offset (channel · W + lag) in them
OFFSET_BITS = 20
OFFSET_MASK = (1 << OFFSET_BITS) - 1

#: the channels of a draw's monthly accounts, per municipality (see :func:`draw_paths`):
#: SAVE_MUNI, SAVE_STATE, then the citizen outcomes' payments due, then the four events
SAVE_MUNI, SAVE_STATE, BOOKED = 0, 1, 2


@njit(nogil=True, cache=True)
def draw_paths(
    seed, d, model, cum_d, scratch, job_c, acc,
):  # pragma: no cover - compiled; tested against the reference implementation
    """Draw ``d``'s paths, their savings, payments and indicator events written as monthly
    *changes* into ``acc`` (M, K, W), zeroed here: ``acc[m, k, t]`` is how much channel k
    of municipality m changes from month t − 1 to month t (K = 2 + O + 4 channels:
    the savings to municipality and state in kroner, the citizen outcomes' payments due in
    whole øre, the four indicator events). Summed along the months (:func:`expand`, or as
    the draw is reduced, :func:`simulate_draws`) they are the monthly accounts.

    ``model`` is the tuple of :func:`brobygger.simulation.run.kernel_model`: the scenario's
    fixed arrays, the chains packed a node to a row (``r_node``, ``c_node``, ``p_entry``:
    :class:`brobygger.simulation.inputs.NodeTables`). ``cum_d`` holds the draw's
    cumulative transition rows per world, ``job_c`` its wages' (kommuneskat base, state
    taxes) per job type and value period; ``scratch`` and ``acc`` are the scratch arrays
    of :func:`draw_scratch` (the draw's :func:`stay_table` and class values,
    :func:`draw_values`, are made here).

    Sampling: the two worlds share one uniform a month (common random numbers between
    them), and a run of months in which both stay put is drawn at once: with q the
    chance of the uniform keeping both (:func:`shared_stay`), the run's length is
    geometric (:func:`months_staying`, from an exponential) and the month that ends it has
    the uniform drawn outside that interval (:func:`moving_uniform`) — the same joint law
    as a uniform a month, with a few draws per participant instead of one a month. A run
    stops at a change of period (new rows), where it is drawn afresh (the geometric law
    has no memory). In a run the chains move on their own (``*_stay``), and the months over
    which nothing a chain shows changes are known in advance (``*_hold``, ``*_jump``; see
    :func:`holds`), so a run costs a step per change, not per month: a staircase rate
    falling, a job's sixth month, the cap reached.

    Accounting by changes: what a participant's month adds to the accounts is written
    only where it changes: where its cost class in a world (``values[v, :, z]``, v
    the month's value period, z = ``column_of[p·C + q]`` the value column of cost class q
    in profile p: municipality cost before kommuneskat, kommuneskat base, state cost — the
    classes, columns state·B + months on staircase, that cost the same in every month,
    whatever the profile, share a column), or its booking list (what its
    contract move books each month, ``c_sig``) changes. Each municipality is accounted
    one of two ways, with the same bits (whole øre and counts; ``by_change``, see
    :data:`brobygger.simulation.run.BY_CHANGE_BELOW`):

    * by month, for many participants per class column: a move counts one out of the old
      class and one into the new, per world (``counts``, by month), and one out of the old
      booking list and one into the new (``sigs``); after the municipality's participants
      :func:`savings_by_month` sums every class in each month a count changes, and
      :func:`bookings_by_list` books each list's count once;
    * by change, for few: a move adds the classes' values of its month (``dsum``) and
      counts by value period, and books the new list less the old one at once (one
      short list per change, a row of ``p_entry``:
      :class:`brobygger.simulation.inputs.NodeTables`);
      :func:`savings_by_change` sums the classes only where the values change.

    The savings are the counterfactual's cost minus the programme world's, a year's new
    rates and the drawn wages included.

    Forecasting: ``profile_of[i] >= 0`` fixes a participant's profile, and
    ``forced[i, k] >= 0`` is the state the participant is known to have been in at month k
    of its path: over the known months the programme world follows the history and the
    counterfactual draws a uniform a month. Planning passes empty arrays.
    """
    (codes, starts, entry, regime, profile_cum, profile_of, forced, period_of, period_end,
     r_node, r_init, c_node, c_ptr, c_what, c_amount, c_list_move, p_entry, c_init,
     c_entry, values, value_job, column_of, value_change, count_row, by_change, kskat,
     lags) = model
    T = period_of.shape[1]
    K, W = acc.shape[1], acc.shape[2]
    KW = K * W
    flat = acc.reshape(acc.shape[0] * KW)  # acc[m, k, t] is flat[(m * K + k) * W + t]
    known = profile_of.shape[0] > 0
    NP, n_states = cum_d.shape[1], cum_d.shape[2]
    cum0, cum1 = cum_d[0], cum_d[1]
    rn0, rn1 = r_node[0], r_node[1]
    (st_lo, st_q, st_inv, counts, dsum, values_d, steps, changed, sigs, pushed, touched,
     first, running) = scratch
    n_lists = c_list_move.shape[0]
    sh = list_bits(c_list_move.shape[0])  # a cell (month, list) is t << sh | list
    mask = (1 << sh) - 1  # and a move is next node << sh | list
    stay_table(cum0, cum1, st_lo, st_q, st_inv)
    draw_values(values, value_job, job_c, values_d, steps)
    C = column_of.shape[0] // profile_cum.shape[0]  # the cost classes
    acc[:] = 0.0
    for m in range(codes.shape[0]):
        n_touched = 0
        mode = 1 if by_change[m] else 0  # its accounts kept by change (1) or by month
        base = m * KW  # its accounts in ``flat``
        h_m = municipality_hash(seed, d, codes[m])
        for i in range(starts[m], starts[m + 1]):
            x0, x1 = stream_of(h_m, i - starts[m])  # = participant_state(...)
            e = entry[ix(i)]
            g = regime[ix(i)]
            L = T - e
            u, x0, x1 = next_uniform(x0, x1)
            p = 0
            while u >= profile_cum[ix(p)]:
                p += 1
            if known and profile_of[i] >= 0:
                p = profile_of[i]
            r0 = r_init[0, ix(p)]
            r1 = r_init[1, ix(p)]
            s0 = rn0[ix(r0), R_STATE]
            s1 = rn1[ix(r1), R_STATE]
            ci = c_init[ix(g)]
            for z in range(c_entry[ix(g), 0]):  # the entry's bookings and events, this
                # month only (past the horizon: into the rows' padding): its regime's
                # channels booked, and each one's amount (inputs.entry_rows)
                o = c_entry[ix(g), ix(1 + 2 * z)]
                amount = c_entry[ix(g), ix(2 + 2 * z)]
                acc[m, ix(BOOKED + o), ix(e + lags[ix(o)])] += amount
                acc[m, ix(BOOKED + o), ix(e + lags[ix(o)] + 1)] -= amount
            sig = 0  # what each month books now: c_sig
            cl0, cl1 = -1, -1  # the cost classes now
            v0, v1 = -1, -1  # and their value columns
            col = p * C  # the participant's profile's classes in ``column_of``
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
                    n_cl0, n_cl1 = rn0[ix(r0), R_CLS], rn1[ix(r1), R_CLS]
                else:
                    if known and forced[ix(i), ix(k)] >= 0:  # a known month of a forecast
                        u, x0, x1 = next_uniform(x0, x1)
                        per1 = period_of[1, ix(k)]
                        n1 = 0
                        while u >= cum1[ix(per1), ix(s1), ix(n1)]:
                            n1 += 1
                        n0 = forced[ix(i), ix(k)]
                    else:
                        if left == 0 and not ending:  # draw the next run
                            per0 = period_of[0, ix(k)]
                            per1 = period_of[1, ix(k)]
                            at = ((per0 * n_states + s0) * NP + per1) * n_states + s1
                            lo, q = st_lo[ix(at)], st_q[ix(at)]
                            end = min(period_end[ix(k)], L)
                            if q <= 0.0:
                                left = 0
                            elif q >= 1.0:
                                left = end - k
                            else:
                                inv = st_inv[ix(at)]
                                if inv != inv:  # not yet taken in this draw: a
                                    # draw's runs start from few of its pairs of rows
                                    inv = inv_log_stay(q)
                                    st_inv[ix(at)] = inv
                                ex, x0, x1 = exponential(x0, x1)
                                left = months_staying(ex, inv, end - k)
                            ending = k + left < end
                        staying = left > 0
                        if not staying:  # the month that ends the run
                            ending = False
                            v, x0, x1 = next_uniform(x0, x1)
                            u = moving_uniform(v, lo, q)
                            n0 = 0
                            while u >= cum0[ix(per0), ix(s0), ix(n0)]:
                                n0 += 1
                            n1 = 0
                            while u >= cum1[ix(per1), ix(s1), ix(n1)]:
                                n1 += 1
                    if staying:  # both stay: the chains show their stay months
                        n_cl0, n_cl1 = rn0[ix(r0), R_OBS], rn1[ix(r1), R_OBS]
                    else:
                        s0 = n0
                        s1 = n1
                    move = c_node[ix(ci), C_MOVE + s0]  # the node it moves to, and its list
                    new = move & mask
                    if new != sig and mode:  # the monthly bookings change from month t:
                        # by change, the new list's less the old one's booked: the
                        # change's row holds its count, then its entries
                        pair = sig * n_lists + new
                        for z in range(1, p_entry[ix(pair), 0] + 1):
                            entry_z = p_entry[ix(pair), ix(z)]  # (channel · W + lag; a
                            # month past the horizon goes into the rows' padding)
                            flat[ix(base + t + (entry_z & OFFSET_MASK))] += \
                                entry_z >> OFFSET_BITS
                        sig = new
                    elif new != sig:  # by list: counted out of the old list, into
                        # the new, each cell listed the first time (written out: as an
                        # inlined function a draw was 30-70 % slower, measured)
                        if sig != 0:
                            cell = (t << sh) | sig
                            if not pushed[ix(cell)]:
                                pushed[ix(cell)] = True
                                touched[ix(n_touched)] = cell
                                n_touched += 1
                            sigs[ix(cell)] -= 1
                        sig = new
                        if sig != 0:
                            cell = (t << sh) | sig
                            if not pushed[ix(cell)]:
                                pushed[ix(cell)] = True
                                touched[ix(n_touched)] = cell
                                n_touched += 1
                            sigs[ix(cell)] += 1
                    if not staying:
                        ci = move >> sh
                        r0 = rn0[ix(r0), R_NEXT + s0]
                        r1 = rn1[ix(r1), R_NEXT + s1]
                        n_cl0, n_cl1 = rn0[ix(r0), R_CLS], rn1[ix(r1), R_CLS]
                # months t .. t + h - 1 have the same cost classes (and bookings)
                h = 1
                if staying:
                    h = min(left, c_node[ix(ci), C_HOLD], rn0[ix(r0), R_HOLD], rn1[ix(r1), R_HOLD])
                # the savings: a participant leaving or entering a cost class in month t
                # (counterfactual +, programme world −; a class both worlds share cancels),
                # counted in the count row of month t (its month, or its value period);
                # summed by change, the classes' values this month are added up at once
                if n_cl0 != cl0 or n_cl1 != cl1:
                    changed[ix(t)] = True
                    j = count_row[mode, ix(t)]
                    n_v0, n_v1 = column_of[ix(col + n_cl0)], column_of[ix(col + n_cl1)]
                    if n_v1 != v1:
                        counts[ix(j), ix(n_v1)] += 1
                        if v1 >= 0:
                            counts[ix(j), ix(v1)] -= 1
                    if n_v0 != v0:
                        counts[ix(j), ix(n_v0)] -= 1
                        if v0 >= 0:
                            counts[ix(j), ix(v0)] += 1
                    if mode:  # (an unchanged class cancels exactly: whole øre)
                        for a in range(3):
                            x = values_d[ix(j), a, ix(n_v1)] - values_d[ix(j), a, ix(n_v0)]
                            if v0 >= 0:  # (both worlds have a class after referral)
                                x += values_d[ix(j), a, ix(v0)] - values_d[ix(j), a, ix(v1)]
                            dsum[a, ix(t)] += x
                    cl0, cl1 = n_cl0, n_cl1
                    v0, v1 = n_v0, n_v1
                if staying:  # then each chain h months on: to where its hold ends, along
                    # its numbered path (*_run), or month by month (written out: a call
                    # passing the arrays, or a row of them, costs more than the walk)
                    if h >= c_node[ix(ci), C_REACH]:
                        ci = c_node[ix(ci), C_JUMP]
                    elif h <= c_node[ix(ci), C_RUN]:
                        ci += h
                    else:
                        for _ in range(h):
                            ci = c_node[ix(ci), C_STAY]
                    if h >= rn0[ix(r0), R_REACH]:
                        r0 = rn0[ix(r0), R_JUMP]
                    elif h <= rn0[ix(r0), R_RUN]:
                        r0 += h
                    else:
                        for _ in range(h):
                            r0 = rn0[ix(r0), R_STAY]
                    if h >= rn1[ix(r1), R_REACH]:
                        r1 = rn1[ix(r1), R_JUMP]
                    elif h <= rn1[ix(r1), R_RUN]:
                        r1 += h
                    else:
                        for _ in range(h):
                            r1 = rn1[ix(r1), R_STAY]
                    left -= h
                    k += h
                else:
                    k += 1
        if mode:
            savings_by_change(m, counts, dsum, changed, steps, first, running, kskat, acc)
        else:
            savings_by_month(m, counts, values_d, count_row[1], changed, value_change, kskat,
                             acc)
            bookings_by_list(m, sigs, pushed, touched, n_touched, c_list_move, c_ptr, c_what,
                             c_amount, lags, acc)


@njit(nogil=True, cache=True)
def bookings_by_list(m, sigs, pushed, touched, n_touched, list_move, c_ptr, c_what, c_amount,
                     lags, acc):  # pragma: no cover - compiled; tested against the reference
    """Municipality m's bookings, as monthly changes into ``acc[m, BOOKED:]``, from its
    participants' changes of booking list: ``sigs[t << bits | g]`` is how many more
    participants book list g (``c_sig``) from month t on (:func:`list_bits`);
    ``touched[:n_touched]`` lists the cells written (``pushed`` marks them). Each cell
    books its list once (the list of move ``list_move[g]``), times its count, at the
    outcomes' lags; the cells are left zeroed for the next municipality. A participant's
    change of list thus costs two counts, and equal changes in a month are booked once."""
    sh = list_bits(list_move.shape[0])
    for k in range(n_touched):
        cell = touched[k]
        n = sigs[ix(cell)]
        pushed[ix(cell)] = False
        if n != 0:
            sigs[ix(cell)] = 0
            t = cell >> sh
            # (a list counted here is some move's c_sig, so its first move is never the
            # −1 of a list no move books)
            move = list_move[ix(cell & ((1 << sh) - 1))]
            for z in range(c_ptr[ix(move)], c_ptr[ix(move + 1)]):
                o = c_what[ix(z)]  # (past the horizon: into the rows' padding)
                acc[m, ix(BOOKED + o), ix(t + lags[ix(o)])] += n * c_amount[ix(z)]


@njit(cache=True)
def list_bits(n):  # pragma: no cover - compiled
    """The bits a booking list's number takes: a count's cell is (month << bits) | list,
    split again by a shift and a mask (a division by the number of lists cost 3 % of a
    default draw, measured)."""
    bits = 0
    while (1 << bits) < n:
        bits += 1
    return bits


@njit(nogil=True, cache=True)
def draw_values(values, value_job, job_c, out, steps):  # pragma: no cover - compiled
    """The draw's class values in øre per value period (the months in which no value
    changes, :func:`brobygger.simulation.inputs.value_periods`): ``values`` (value periods,
    3, V: :attr:`brobygger.simulation.inputs.CostArrays.values` at each period's
    first month, as :func:`brobygger.simulation.run.kernel_model` gives them) with the drawn
    wage's kommuneskat base (``job_c``, in øre per job type and value period) added to the
    job columns' (``value_job``) and its state taxes taken from their state cost; ``out``
    holds ``values`` already (:func:`draw_scratch`): only the job columns are written. And
    ``steps`` (value periods × 3 × V): how much each column's values change from the
    period before (``steps[0]`` unused)."""
    NV = values.shape[0]
    for z in range(values.shape[2]):
        j = value_job[z]
        if j >= 0:
            for v in range(NV):
                out[v, 1, z] = values[v, 1, z] + job_c[j, v, 0]
                out[v, 2, z] = values[v, 2, z] - job_c[j, v, 1]
    for v in range(1, NV):
        for k in range(3):
            for z in range(values.shape[2]):
                steps[v, k, z] = out[v, k, z] - out[v - 1, k, z]


@njit(nogil=True, cache=True)
def savings_by_month(m, counts, values, period, changed, value_change, kskat, acc
                     ):  # pragma: no cover - compiled; tested against the reference
    """Municipality m's monthly savings, as changes into ``acc[m, :BOOKED]``, from its
    participants' moves between cost classes ``counts`` (T, V: net participants entering
    each class in each month, counterfactual minus programme world) and the draw's class
    values in øre (value periods, 3, V; ``period`` each month's): a month's savings are
    the classes' running counts times that month's values (the municipality's part less
    kommuneskat on the base, and the state's). They are summed only in the months in which
    a count (``changed``) or the values (``value_change``) change; ``counts`` and
    ``changed`` are left zeroed for the next municipality.

    Summing by class instead of writing each participant's savings makes a participant's
    move cost a few counts, not a look-up per class, world and year; a month's sum costs
    the class columns, whatever the participants (:func:`savings_by_change` for a
    municipality with few). The sum over classes (:func:`class_sums`) is vectorised and
    exact — whole øre times whole counts — so its order does not matter; kommuneskat and
    the krone are applied after it."""
    T, PC = counts.shape
    n = np.zeros(PC)
    sums = np.zeros(3)
    was_mu, was_st = 0.0, 0.0
    for t in range(T):
        if not (changed[t] or value_change[t]):
            acc[m, SAVE_MUNI, t] = 0.0
            acc[m, SAVE_STATE, t] = 0.0
            continue
        changed[t] = False
        class_sums(n, counts[t], values[period[t]], sums)
        mu = (sums[0] - kskat[m, t] * sums[1]) * KRONE
        st = sums[2] * KRONE
        acc[m, SAVE_MUNI, t] = mu - was_mu
        acc[m, SAVE_STATE, t] = st - was_st
        was_mu, was_st = mu, st


@njit(nogil=True, cache=True, fastmath={"reassoc"})
def class_sums(n, counts, values, out):  # pragma: no cover - compiled
    """Add a month's ``counts`` (V) to the running counts ``n`` (and zero them), and put
    the running counts times the month's ``values`` (3, V) in ``out`` (3,). Every
    product and partial sum is a whole number of øre below 2⁵³, so the reassociated
    (vectorised) sum is exact: the same bits in any order, on any CPU."""
    mu, kb, st = 0.0, 0.0, 0.0
    for z in range(n.shape[0]):
        n[z] += counts[z]
        counts[z] = 0
        mu += n[z] * values[0, z]
        kb += n[z] * values[1, z]
        st += n[z] * values[2, z]
    out[0], out[1], out[2] = mu, kb, st


@njit(nogil=True, cache=True)
def savings_by_change(m, counts, dsum, changed, steps, first, running, kskat, acc
                      ):  # pragma: no cover - compiled; tested against the reference
    """Municipality m's monthly savings, as changes into ``acc[m, :BOOKED]``, from its
    participants' moves between cost classes: ``dsum`` (3, T) holds, per month, the
    values (øre: municipality cost before kommuneskat, kommuneskat base, state cost) of
    the classes entered less those left, counterfactual minus programme world, and
    ``counts`` (value periods × V) the same moves counted by the value period
    of their month (:func:`brobygger.simulation.inputs.value_periods`). A month's class
    sums are the last month's plus its moves' values plus, in the first month of a value
    period (``first``), the classes' running counts times the change in their values
    (:func:`class_steps`; ``steps``, value periods × 3 × V, the changes,
    :func:`draw_values`; ``running``, V, scratch); the municipality's part then less
    kommuneskat on the base, and the state's, and each month's less the last month's.

    The value periods' changes are added to their first months' moves, and the class sums
    taken as running sums in place, three additions a month with no test (a test on
    ``changed`` cost a mispredicted branch in about every other month, a sixth of the
    function's time, profiled); the savings and their changes are then a loop the compiler
    vectorises. A month with neither a move nor a value change adds zeros and its change
    comes out an exact zero (kommuneskat changes only where the values do). ``counts``,
    ``dsum`` and ``changed`` are left zeroed for the next municipality.

    A participant's move thus costs a count and a look-up of the classes' values, and a
    new year's values a sum over the classes, not one per participant. Every term is a
    whole number of øre below 2⁵³, so the sums are exact: the same bits in any order, on
    any CPU; kommuneskat and the krone are applied after them."""
    T = changed.shape[0]
    class_steps(counts, steps, first, running, dsum)
    s0, s1, s2 = 0.0, 0.0, 0.0  # the class sums: muni before kommuneskat, base, state
    for t in range(T):
        s0 += dsum[0, t]
        s1 += dsum[1, t]
        s2 += dsum[2, t]
        dsum[0, t], dsum[1, t], dsum[2, t] = s0, s1, s2
    k = kskat[m]
    mu, st = acc[m, SAVE_MUNI], acc[m, SAVE_STATE]
    mu[0] = (dsum[0, 0] - k[0] * dsum[1, 0]) * KRONE
    st[0] = dsum[2, 0] * KRONE
    for t in range(1, T):
        mu[t] = ((dsum[0, t] - k[t] * dsum[1, t]) * KRONE
                 - (dsum[0, t - 1] - k[t - 1] * dsum[1, t - 1]) * KRONE)
        st[t] = dsum[2, t] * KRONE - dsum[2, t - 1] * KRONE
    dsum[:] = 0.0
    changed[:] = False


@njit(nogil=True, cache=True, fastmath={"reassoc"})
def class_steps(counts, steps, first, n, out):  # pragma: no cover - compiled
    """For each value period j ≥ 1, the running counts of the periods before it
    (``counts``, value periods × V, zeroed here; ``n``, V, scratch) times the change in
    the classes' values into period j (``steps[j]``, 3 × V), added to ``out[:, first[j]]``
    (3 × T), the period's first month. Every product and partial sum is a whole number of
    øre below 2⁵³, so the reassociated (vectorised) sums are exact: the same bits in any
    order, on any CPU. (Once a municipality, not once a value period: a call passes its
    arrays' references, and twenty calls a municipality cost more than the sums,
    profiled.)"""
    NV, V = steps.shape[0], steps.shape[2]
    n[:] = 0.0
    for j in range(1, NV):
        mu, kb, st = 0.0, 0.0, 0.0
        for z in range(V):
            x = n[z] + counts[j - 1, z]
            n[z] = x
            counts[j - 1, z] = 0
            mu += x * steps[j, 0, z]
            kb += x * steps[j, 1, z]
            st += x * steps[j, 2, z]
        t = first[j]
        out[0, t] += mu
        out[1, t] += kb
        out[2, t] += st
    for z in range(V):  # the last period's counts
        counts[NV - 1, z] = 0


@njit(cache=True)
def draw_scratch(model, cum, T):  # pragma: no cover - compiled
    """The scratch arrays :func:`draw_paths` overwrites draw after draw: the stay table's
    three arrays (for the rows of ``cum``, the chunk's transition rows), the counts by
    class (T, V; by month or by value period) and the classes' values added at the
    moves (3, T), both zeroed, the draw's class values (value periods × 3 × V, a copy
    of the scenario's: :func:`draw_values` writes only the job classes') and their changes
    into each value period, the months in which a count changes (zeroed), the counts by booking
    list (T × a power of two, zeroed), which of them are written and where, each value
    period's first month and a row of running counts by class; and the monthly changes
    (M, K, W: :func:`account_months`)."""
    NP, S = cum.shape[2], cum.shape[3]
    values, count_row = model[-8], model[-4]
    NS = 1 << list_bits(model[15].shape[0])  # c_list_move: the booking lists
    st_lo = np.empty(NP * S * NP * S)
    period = count_row[1]
    first = np.zeros(period[-1] + 1, dtype=np.int64)  # each value period's first month
    for t in range(T - 1, -1, -1):
        first[period[t]] = t
    scratch = (st_lo, np.empty_like(st_lo), np.empty_like(st_lo),
               np.zeros((T, values.shape[2]), dtype=np.int32), np.zeros((3, T)), values.copy(),
               np.zeros((count_row[1, -1] + 1, 3, values.shape[2])),
               np.zeros(T, dtype=np.bool_), np.zeros(T * NS, dtype=np.int32),
               np.zeros(T * NS, dtype=np.bool_), np.empty(T * NS, dtype=np.int64),
               first, np.empty(values.shape[2]))
    lags = model[-1]
    return scratch, np.empty((model[0].shape[0], BOOKED + lags.shape[0], account_months(T, lags)))


@njit(cache=True)
def account_months(T, lags):  # pragma: no cover - compiled
    """W, the months a draw's accounts (M, K, W) keep for each channel: the T months of the
    horizon, and after them room for a booking at the largest of the channels' ``lags``
    from the last month and for the entry's bookings' end a month later. What a move
    books past the horizon lands in these months, which nothing reads: a booking needs
    no test of its month (an entry of a list change is its channel's row and lag from the
    month of the change, ``channel · W + lag``: :func:`brobygger.simulation.inputs.change_rows`)."""
    W = T + 1
    for o in range(lags.shape[0]):
        W = max(W, T + lags[o] + 1)
    return W


@njit(nogil=True, cache=True)
def expand(acc, save_c, due_c, ev_c):  # pragma: no cover - compiled
    """A draw's monthly changes ``acc`` (M, K, W) summed along the months into the layout
    of :func:`brobygger.economics.business_case.assemble`: ``save_c`` (M, T, 2),
    ``due_c`` (O, M, T), ``ev_c`` (4, M, T)."""
    M, T, n_out = acc.shape[0], save_c.shape[1], due_c.shape[0]
    for m in range(M):
        now = np.zeros(acc.shape[1])
        for t in range(T):
            for k in range(acc.shape[1]):
                now[k] += acc[m, k, t]
            save_c[m, t, 0] = now[SAVE_MUNI]
            save_c[m, t, 1] = now[SAVE_STATE]
            for o in range(n_out):
                due_c[o, m, t] = now[BOOKED + o] * KRONE
            for z in range(ev_c.shape[0]):
                ev_c[z, m, t] = now[BOOKED + n_out + z]


@njit(nogil=True, cache=True)
def run_paths(seed, first, model, cum, job, save, due, events
              ):  # pragma: no cover - compiled; tested against the reference implementation
    """Draws first.. of a chunk (:func:`draw_paths`), each summed into ``save``
    (n, M, T, 2), ``due`` (n, O, M, T) and ``events`` (n, 4, M, T): the arrays of
    :func:`brobygger.economics.business_case.assemble`, for tests and analyses (the
    simulation reduces each draw as it goes, :func:`simulate_draws`)."""
    scratch, acc = draw_scratch(model, cum, save.shape[2])
    for c in range(save.shape[0]):
        draw_paths(seed, first + c, model, cum[c], scratch, job[c], acc)
        expand(acc, save[c], due[c], events[c])


# --- each draw reduced to its summaries as it is drawn -------------------------------------

@njit(cache=True, inline="always")
def _break_even(last, T):  # pragma: no cover - compiled
    """The first month (1-based) from which a cumulative result stays at or above zero,
    from ``last``, the last month it is below zero (−1: never); 0 when it does not within
    the horizon (as :func:`brobygger.simulation.run.break_even_months`)."""
    if last < 0:
        return 1
    return 0 if last == T - 1 else last + 2


@njit(nogil=True, cache=True)
def simulate_draws(seed, first, model, cum, job, enterprise, accounts, paths, out
                   ):  # pragma: no cover - compiled; tested against run.summarise
    """Draws first.. of a chunk, each drawn (:func:`brobygger.simulation.kernel.draw_paths`)
    and reduced at once to its summaries while its monthly changes are in the cache:
    ``out`` is the tuple of :class:`brobygger.simulation.run.DrawSummaries`' arrays, in
    field order, with the chunk's draws along axis 0."""
    scratch, acc = draw_scratch(model, cum, enterprise.shape[2])
    work = reduce_scratch(acc, enterprise.shape[2], accounts[0].shape[0])
    # ``paths`` a constant in each loop: the compiler then drops the monthly paths' stores
    # where they are not kept, and a draw runs about 15 % faster (measured)
    if paths:
        for c in range(cum.shape[0]):
            draw_paths(seed, first + c, model, cum[c], scratch, job[c], acc)
            reduce_draw(c, acc, enterprise[c], accounts, True, out, work)
    else:
        for c in range(cum.shape[0]):
            draw_paths(seed, first + c, model, cum[c], scratch, job[c], acc)
            reduce_draw(c, acc, enterprise[c], accounts, False, out, work)


@njit(cache=True)
def reduce_scratch(acc, T, E):  # pragma: no cover - compiled
    """The arrays :func:`reduce_draw` overwrites draw after draw, for accounts ``acc``
    (M, K, W), T months and E enterprise outcomes: the changes over all municipalities
    (K, T), the payments due per outcome (O + E, T), the enterprise side's (E, T), the
    share the cap withholds (T), the enterprise side's payments to each payer (2, T), each
    payer's months (3, T), the changes in the payments due to each payer (2, T), a
    municipality's months (2, T: :func:`_municipal_months`) and the indicators (6)."""
    K = acc.shape[1]
    n_cit = K - BOOKED - 4
    return (np.empty((K, T)), np.empty((n_cit + E, T)), np.empty((E, T)), np.empty(T),
            np.empty((2, T)), np.empty((3, T)), np.empty((2, T)), np.empty((2, T)),
            np.empty(6))


@njit(cache=True, inline="always")
def _payer_sums(rows, payer_of, n_cit, out):  # pragma: no cover - compiled
    """The monthly changes in the payments due to each payer (municipality, state) in
    ``out`` (2, T), in kroner, from ``rows`` (channels × months) of changes in whole øre:
    each month's outcomes summed exactly, a channel's months at a time (a loop the
    compiler vectorises), then turned into kroner by a multiplication (a division per month
    and municipality took a third of the reduction, measured; the two differ by at most a
    unit in the last place)."""
    T = out.shape[1]
    out[:] = 0.0
    for o in range(n_cit):
        i = payer_of[o]
        if i == 0 or i == 1:
            for t in range(T):
                out[i, t] += rows[BOOKED + o, t]
    for i in range(2):
        for t in range(T):
            out[i, t] *= KRONE


@njit(nogil=True, cache=True)
def reduce_draw(c, acc, enterprise, accounts, paths, out, work
                ):  # pragma: no cover - compiled; tested against run.summarise
    """Fill draw c's summaries in ``out`` from its monthly changes ``acc`` (M, K, W; see
    :func:`draw_paths`) and its enterprise side ``enterprise`` (2, T), with the scratch
    arrays ``work`` (:func:`reduce_scratch`). The running sums of the changes along the
    months are the monthly accounts.

    First every channel's changes summed over the municipalities (``total``, K × T): the
    payments due per outcome and month, and with them the per-contract cap (a month's
    payments scaled by the share of them the cap still allows as the running total reaches
    it, and left as they are where it allows them all), the flows, and each payer's months,
    totals, discounted totals and break-even month. Then each municipality's own months,
    for its net result and break-even month (:func:`_municipal_months`). The totals that
    are sums over the months are the sum of each change times the months it lasts
    (T − t)."""
    (ent_kind, ent_price, ent_lag, partner_share, cap, payer_of, flow_share, fixed_borne,
     per_start, discount, window, borne_by_month, borne_by_muni, provider_share) = accounts
    (net, net_disc, savings, borne_out, payments, break_even, muni_net, muni_be, flows,
     indicators, cap_bound, muni_path, muni_savings_path, provider_path) = out
    total, due, ent, cut, ent_pay, net_t, pay, months, ind = work
    M, K = acc.shape[0], acc.shape[1]
    T = enterprise.shape[1]
    n_cit = K - BOOKED - 4
    EV = BOOKED + n_cit
    E = ent_kind.shape[0]
    share_sum = 0.0
    for m in range(M):
        share_sum += partner_share[m]
    # every channel's changes over all municipalities, added a municipality at a time
    # over each channel's months (a loop the compiler vectorises; as a sum over the
    # municipalities for each month and channel, a chain of dependent additions, it took
    # a quarter of the reduction, measured)
    total[:] = 0.0
    for m in range(M):
        for k in range(K):
            for t in range(T):
                total[k, t] += acc[m, k, t]
    # the payments due per outcome and month (before the cap)
    for o in range(n_cit):
        running = 0.0
        for t in range(T):
            running += total[BOOKED + o, t]
            due[o, t] = running * KRONE  # to kroner
    ent[:] = 0.0  # the enterprise side's payments, before they are allotted
    for a in range(E):
        for t in range(T):
            due[n_cit + a, t] = 0.0
        for t in range(ent_lag[a], T):
            s = t - ent_lag[a]
            ent[a, t] = enterprise[ent_kind[a], s] * ent_price[a, s]
            due[n_cit + a, t] = ent[a, t] * share_sum
    # the cap, month by month: ``cut`` is the share of a month's payments it withholds
    running_due, paid, bound = 0.0, 0.0, False
    for t in range(T):
        cut[t] = 0.0
        monthly = 0.0
        for o in range(n_cit + E):
            monthly += due[o, t]
        running_due += monthly
        allowed = min(running_due, cap)
        if monthly > 0:
            f = (allowed - paid) / monthly
            if f < 1 - 1e-12:
                cut[t] = 1.0 - f
                bound = True
        paid = allowed
    cap_bound[c] = bound
    for f in range(flows.shape[1]):
        flows[c, f] = 0.0
    for o in range(n_cit + E):
        x = 0.0
        for t in range(T):
            x += due[o, t] * (1.0 - cut[t])
        for f in range(flows.shape[1]):
            flows[c, f] += x * flow_share[o, f]
    # the providers' payments by month (a scenario's investor is repaid from them)
    if provider_path.shape[1] > 0:
        for t in range(T):
            x = 0.0
            for o in range(n_cit + E):
                x += due[o, t] * provider_share[o]
            provider_path[c, t] = x * (1.0 - cut[t])
    # the enterprise side's payments to each payer, per krone of a partnership's share
    ent_pay[:] = 0.0
    for a in range(E):
        i = payer_of[n_cit + a]
        if 0 <= i <= 1:
            for t in range(T):
                ent_pay[i, t] += ent[a, t] * (1.0 - cut[t])
    # each payer's months: the level of the savings less the costs and the payments due
    # (before the cap), then less the programme's fixed costs and the enterprise side's
    # payments, plus what the cap withholds
    _payer_sums(total, payer_of, n_cit, pay)
    level0, level1, due0, due1 = 0.0, 0.0, 0.0, 0.0
    sav0, sav1, starts, pay_0, pay_1, brn0, brn1 = 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0
    ind[:] = 0.0
    for t in range(T):
        d0, d1 = pay[0, t], pay[1, t]
        level0 += total[SAVE_MUNI, t] - total[EV, t] * per_start[0] - d0
        level1 += total[SAVE_STATE, t] - total[EV, t] * per_start[1] - d1
        due0 += d0
        due1 += d1
        net_t[0, t] = (level0 - borne_by_month[0, t] - ent_pay[0, t] * share_sum
                       + due0 * cut[t])
        net_t[1, t] = (level1 - borne_by_month[1, t] - ent_pay[1, t] * share_sum
                       + due1 * cut[t])
        net_t[2, t] = net_t[0, t] + net_t[1, t]
        lasts = T - t  # the months a change made in month t lasts
        sav0 += total[SAVE_MUNI, t] * lasts
        sav1 += total[SAVE_STATE, t] * lasts
        starts += total[EV, t] * lasts
        pay_0 += d0 * lasts - due0 * cut[t] + ent_pay[0, t] * share_sum
        pay_1 += d1 * lasts - due1 * cut[t] + ent_pay[1, t] * share_sum
        brn0 += borne_by_month[0, t]
        brn1 += borne_by_month[1, t]
        if t < window:
            for q in range(4):
                ind[q] += total[EV + q, t] * (window - t)
            for q in range(2):
                ind[4 + q] += enterprise[q, t]
    savings[c, 0], savings[c, 1], savings[c, 2] = sav0, sav1, sav0 + sav1
    brn0 += starts * per_start[0]
    brn1 += starts * per_start[1]
    borne_out[c, 0], borne_out[c, 1], borne_out[c, 2] = brn0, brn1, brn0 + brn1
    payments[c, 0], payments[c, 1], payments[c, 2] = pay_0, pay_1, pay_0 + pay_1
    for q in range(indicators.shape[1]):
        indicators[c, q] = ind[q]
    for i in range(3):
        total_i, disc, run, last = 0.0, 0.0, 0.0, -1
        for t in range(T):
            x = net_t[i, t]
            total_i += x
            disc += x * discount[t]
            run += x
            if run < 0:
                last = t
        net[c, i] = total_i
        net_disc[c, i] = disc
        break_even[c, i] = _break_even(last, T)
    _municipal_months(c, acc, cut, bound, ent_pay, partner_share, payer_of, fixed_borne,
                      borne_by_muni, per_start, paths, muni_net, muni_be, muni_path,
                      muni_savings_path, pay, months)


@njit(nogil=True, cache=True)
def _municipal_months(c, acc, cut, bound, ent_pay, partner_share, payer_of, fixed_borne,
                      borne_by_muni, per_start, paths, muni_net, muni_be, muni_path,
                      muni_savings_path, pay, months):  # pragma: no cover - compiled;
    # tested against run.summarise
    """Each municipality's net result per payer, its break-even month (as a payer: the
    months of its own net result), and with ``paths`` its monthly net results and
    savings (:func:`_municipal_paths`). A municipality's changes are first turned into the
    monthly changes of the level of each payer's result and of the payments due to each
    (``months``, 2 × T, and ``pay``, 2 × T; a channel's months at a time, loops the
    compiler vectorises), then its months are walked one by one for its break-even month;
    the state's net result in it is the sum of each change times the months it lasts, less
    the programme's fixed costs and the enterprise side's share. Where the cap withholds
    payments (``bound``, ``cut``), each payer's result gets back what it withholds of
    the payments due to it; where it does not, those terms are zeros and left out (the
    same figures, a third less work a month)."""
    M, K = acc.shape[0], acc.shape[1]
    T = cut.shape[0]
    n_cit = K - BOOKED - 4
    EV = BOOKED + n_cit
    ps0, ps1 = per_start[0], per_start[1]
    ent1 = 0.0
    for t in range(T):
        ent1 += ent_pay[1, t]
    a0, c1 = months[0], months[1]
    for m in range(M):
        share = partner_share[m]
        rows = acc[m]
        fb = fixed_borne[0, m]
        _payer_sums(rows, payer_of, n_cit, pay)
        for t in range(T):
            a0[t] = rows[SAVE_MUNI, t] - rows[EV, t] * ps0 - pay[0, t]
            c1[t] = rows[SAVE_STATE, t] - rows[EV, t] * ps1 - pay[1, t]
        level0, due0, due1, net0, net1, run0, last = 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -1
        for t in range(T):
            level0 += a0[t]
            x0 = level0 - fb[t] - ent_pay[0, t] * share
            x1 = c1[t] * (T - t)
            if bound:
                due0 += pay[0, t]
                due1 += pay[1, t]
                x0 += due0 * cut[t]
                x1 += due1 * cut[t]
            net0 += x0
            run0 += x0
            if run0 < 0:
                last = t
            net1 += x1
        net1 -= borne_by_muni[1, m] + ent1 * share
        muni_net[c, m, 0] = net0
        muni_net[c, m, 1] = net1
        muni_net[c, m, 2] = net0 + net1
        muni_be[c, m] = _break_even(last, T)
        if paths:
            _municipal_paths(c, m, rows, a0, c1, pay, cut, ent_pay, share, fixed_borne,
                             muni_path, muni_savings_path)


@njit(nogil=True, cache=True)
def _municipal_paths(c, m, rows, a0, c1, pay, cut, ent_pay, share, fixed_borne, muni_path,
                     muni_savings_path):  # pragma: no cover - compiled; tested against
    # run.summarise
    """Municipality m's monthly net result per payer and its savings (the running sums of
    its changes ``rows``), from its months of :func:`_municipal_months`, into draw c's
    ``muni_path`` and ``muni_savings_path``."""
    level0, level1, due0, due1, sv0, sv1 = 0.0, 0.0, 0.0, 0.0, 0.0, 0.0
    for t in range(cut.shape[0]):
        level0 += a0[t]
        level1 += c1[t]
        due0 += pay[0, t]
        due1 += pay[1, t]
        sv0 += rows[SAVE_MUNI, t]
        sv1 += rows[SAVE_STATE, t]
        muni_path[c, m, 0, t] = (level0 - fixed_borne[0, m, t] - ent_pay[0, t] * share
                                 + due0 * cut[t])
        muni_path[c, m, 1, t] = (level1 - fixed_borne[1, m, t] - ent_pay[1, t] * share
                                 + due1 * cut[t])
        muni_savings_path[c, m, 0, t] = sv0
        muni_savings_path[c, m, 1, t] = sv1
