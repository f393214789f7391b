"""A compiled scenario as flat arrays for the sampler (central values and per-draw values).

The sampler reads exactly the tables the exact propagation reads (the augmented chains of
:mod:`brobygger.pathways.chains`, the cost tables of :mod:`brobygger.economics`), so the
two engines differ only by sampling.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cached_property

import numpy as np

from brobygger.economics.business_case import enterprise_expectation
from brobygger.economics.public_finance import FinanceContext
from brobygger.model import ORE, WORLDS, CompiledScenario
from brobygger.pathways.chains import REFUND_MONTHS_CAP
from brobygger.pathways.states import JOB_ACCELERATOR, JOB_OTHER, N_STATES
from brobygger.pathways.transitions import Transitions
from brobygger.simulation.kernel import (
    BOOKED,
    C_HOLD,
    C_JUMP,
    C_MOVE,
    C_REACH,
    C_RUN,
    C_STAY,
    OFFSET_BITS,
    OFFSET_MASK,
    R_CLS,
    R_HOLD,
    R_JUMP,
    R_NEXT,
    R_OBS,
    R_REACH,
    R_RUN,
    R_STATE,
    R_STAY,
    account_months,
    holds,
    list_bits,
)

B = REFUND_MONTHS_CAP + 1


@dataclass(frozen=True)
class Participants:
    """Every participant of the scenario, ordered by municipality, referral month."""

    entry: np.ndarray  # (N,) int64 month index of referral
    muni: np.ndarray  # (N,) int64 municipality index
    regime: np.ndarray  # (N,) int64 price regime
    per_muni: np.ndarray  # (M,) participants per municipality (for the random streams)

    @property
    def n(self) -> int:
        return len(self.entry)


@dataclass(frozen=True)
class ChainArrays:
    """Refund chains of both worlds (padded to one size) and the contract chains stacked."""

    r_next: np.ndarray  # (W, nR, S) int32
    r_j: np.ndarray  # (W, nR) int64: state·B + months on staircase (cost column)
    r_cls: np.ndarray  # (W, nR) int64: cost class (columns with identical costs share one)
    r_state: np.ndarray  # (W, nR) int64
    r_init: np.ndarray  # (W, P) int64
    c_next: np.ndarray  # (nC, S) int32, indices already offset per regime
    c_state: np.ndarray  # (nC,) int64
    c_init: np.ndarray  # (G,) int64
    c_entry_pay: np.ndarray  # (G, O) float64 øre (whole)
    c_entry_ev: np.ndarray  # (G, 4) float64
    #: what each move (key, next state) books, as a sparse list: the entries of move
    #: ``key·S + s`` are ``c_ptr[key·S + s] .. c_ptr[key·S + s + 1] - 1``; ``c_what`` is an
    #: outcome index (< O) or O + an indicator event, ``c_amount`` whole øre or a count
    c_ptr: np.ndarray  # (nC·S + 1,) int64
    c_what: np.ndarray  # (nnz,) int64
    c_amount: np.ndarray  # (nnz,) float64
    #: (nC·S,) int32: which list move ``key·S + s`` books, the same number for the same
    #: list (0: nothing); months that book the same list are booked as one change
    c_sig: np.ndarray
    #: (number of lists,) int64: the first move that books each list (the kernel books a
    #: list's count through it)
    c_list_move: np.ndarray


@dataclass(frozen=True)
class Stays:
    """How the chains move while the participant's state stays the same (a run's months),
    and for how long what they show to the accounts stays the same (see
    :func:`brobygger.simulation.kernel.holds`). Contract chain: the node a month later
    (``c_stay``), the list the month books (``c_obs``, a ``c_sig``); refund chains: the
    node a month later (``r_stay``) and that month's cost class (``r_obs``). The nodes are
    numbered along the stays where they can be (:func:`stay_order`): ``*_run[x]`` is how
    many months on from x the node is x + months."""

    c_stay: np.ndarray  # (nC,) int64
    c_obs: np.ndarray
    c_hold: np.ndarray
    c_jump: np.ndarray
    c_reach: np.ndarray
    r_stay: np.ndarray  # (W, nR) int64
    r_obs: np.ndarray
    r_hold: np.ndarray
    r_jump: np.ndarray
    r_reach: np.ndarray
    c_run: np.ndarray  # (nC,) int64
    r_run: np.ndarray  # (W, nR) int64


def _holds(succ: np.ndarray, obs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    hold, jump, reach = (np.empty(succ.shape[0], dtype=np.int64) for _ in range(3))
    holds(succ, obs, hold, jump, reach)
    return hold, jump, reach


def stays(ch: ChainArrays) -> Stays:
    n_states = ch.c_next.shape[1]
    nodes = np.arange(ch.c_next.shape[0])
    c_stay = ch.c_next[nodes, ch.c_state].astype(np.int64)
    c_obs = ch.c_sig[nodes * n_states + ch.c_state].astype(np.int64)
    W, nR = ch.r_j.shape
    r_stay = np.stack([ch.r_next[w, np.arange(nR), ch.r_state[w]] for w in range(W)]
                      ).astype(np.int64)
    r_obs = np.take_along_axis(ch.r_cls, r_stay, axis=1)
    per_world = [_holds(r_stay[w], r_obs[w]) for w in range(W)]
    r_hold, r_jump, r_reach = (np.stack([x[i] for x in per_world]) for i in range(3))
    return Stays(c_stay, c_obs, *_holds(c_stay, c_obs), r_stay, r_obs, r_hold, r_jump,
                 r_reach, stay_runs(c_stay), np.stack([stay_runs(x) for x in r_stay]))


def stay_order(stay: np.ndarray) -> np.ndarray:
    """An order of a chain's nodes in which the node a month later while the participant
    stays (``stay[x]``) comes next wherever it can: each node without a predecessor, then
    each one left, is followed along its stays until a node already placed. Numbered in
    this order, a run's months move a node by adding to its number (see :class:`Stays`)
    instead of looking up each month's node in turn, a chain of dependent loads."""
    n = stay.shape[0]
    moved = stay != np.arange(n)
    first = np.ones(n, dtype=bool)
    first[stay[moved]] = False  # nodes some other node stays into
    placed = np.zeros(n, dtype=bool)
    order: list[int] = []
    for x0 in np.concatenate([np.flatnonzero(first), np.arange(n)]).tolist():
        x = x0
        while not placed[x]:
            placed[x] = True
            order.append(x)
            x = int(stay[x])
    return np.array(order, dtype=np.int64)


def stay_runs(stay: np.ndarray) -> np.ndarray:
    """(n,) int64: how many months on from each node the node is its number plus the
    months (0 where the next is elsewhere)."""
    n = stay.shape[0]
    runs = np.zeros(n, dtype=np.int64)
    for x in range(n - 2, -1, -1):
        if stay[x] == x + 1:
            runs[x] = runs[x + 1] + 1
    return runs


def same_rows(x: np.ndarray) -> np.ndarray:
    """(n,) int64: the same number for rows of the 2-D float array ``x`` that are equal
    (rows compared as bytes, much faster than ``np.unique(axis=0)``; + 0.0 makes −0.0 0.0)."""
    rows = np.ascontiguousarray(x + 0.0)
    _, same = np.unique(rows.view(np.dtype((np.void, rows.itemsize * rows.shape[1]))),
                        return_inverse=True)
    return same.ravel().astype(np.int64)


def booked_by_move(pay: np.ndarray, events: np.ndarray) -> dict[str, np.ndarray]:
    """The non-zero payments (nC, S, O) and events (nC, S, 4) of each move as sparse lists
    (see :class:`ChainArrays`), in outcome order, then event order: the kernel books only
    what a move really books, in the order a dense loop would."""
    booked = np.concatenate([pay, events], axis=2)  # (nC, S, O + 4)
    flat = booked.reshape(-1, booked.shape[2])
    rows, what = np.nonzero(flat)  # row-major: by move, then outcome/event
    ptr = np.zeros(flat.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=flat.shape[0]), out=ptr[1:])
    sig = np.zeros(flat.shape[0], dtype=np.int32)
    some = np.flatnonzero(ptr[1:] > ptr[:-1])
    sig[some] = same_rows(flat[some]) + 1
    list_move = np.full(sig.max() + 1, -1, dtype=np.int64)  # −1: no move books it
    list_move[sig[::-1]] = np.arange(sig.shape[0] - 1, -1, -1)  # each list's first move
    return {"c_ptr": ptr, "c_what": what.astype(np.int64),
            "c_amount": flat[rows, what].astype(np.float64), "c_sig": sig,
            "c_list_move": list_move}


#: the most booking lists for which the change from each list to each other is tabled
#: (:func:`list_changes`: lists² entries); a scenario with more keeps every municipality's
#: accounts by month (:func:`brobygger.simulation.run.by_change`)
LIST_PAIRS_UP_TO = 256


@dataclass(frozen=True)
class ListChanges:
    """What a participant's change from booking list g to list h (``c_sig``, 0: nothing)
    books from its month on, for the accounts kept by change: the entries of change
    g·lists + h are ``ptr[g·lists + h] .. ptr[g·lists + h + 1] - 1``, each the channel
    of the kernel's accounts (``BOOKED`` + outcome, or + O + an indicator event), its
    lag and its amount: h's less g's, whole øre or a count (so a sum of them is exact in
    any order); what both lists book alike is not listed. A change thus costs one
    look-up and one short list instead of two lists, the old one's taken off and the new
    one's booked (a default draw about a quarter faster, measured). ``tabled`` is false
    when the scenario has more lists than :data:`LIST_PAIRS_UP_TO`, or more channels and
    months than an entry's offset can name (the arrays empty: :func:`list_changes`)."""

    ptr: np.ndarray  # (lists² + 1,) int64
    lag: np.ndarray  # (nnz,) int64
    channel: np.ndarray  # (nnz,) int64
    amount: np.ndarray  # (nnz,) float64

    @property
    def tabled(self) -> bool:
        return self.ptr.shape[0] > 1


def booked_lags(lags: np.ndarray, ch: ChainArrays) -> np.ndarray:
    """The lag of each channel a move books: the citizen outcomes' ``lags``, then 0 for
    each indicator event (booked in its month)."""
    return np.concatenate([lags, np.zeros(ch.c_entry_ev.shape[1], dtype=np.int64)])


def list_changes(ch: ChainArrays, lags: np.ndarray, T: int) -> ListChanges:
    """:class:`ListChanges` from the contract chains' lists, each booked channel's lag
    (:func:`booked_lags`) and the horizon's T months; not tabled when there are more lists
    than :data:`LIST_PAIRS_UP_TO` or when an entry's offset in the accounts (its channel's
    months and its lag: :func:`change_rows`) would not fit in its bits (over a horizon of
    600 months, more than about 1,600 outcomes)."""
    n = ch.c_list_move.shape[0]
    K = BOOKED + lags.shape[0]
    last = (K - 1) * account_months(T, lags) + (lags.max() if lags.size else 0)
    if n > LIST_PAIRS_UP_TO or last > OFFSET_MASK:
        return ListChanges(np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64),
                           np.zeros(0, dtype=np.int64), np.zeros(0))
    books = np.zeros((n, lags.shape[0]))  # each list's amounts, by channel
    for g in range(1, n):
        first = ch.c_list_move[g]
        z = slice(ch.c_ptr[first], ch.c_ptr[first + 1])
        books[g, ch.c_what[z]] = ch.c_amount[z]
    change = (books[None, :, :] - books[:, None, :]).reshape(n * n, lags.shape[0])
    rows, what = np.nonzero(change)  # by change, then channel
    ptr = np.zeros(n * n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n * n), out=ptr[1:])
    return ListChanges(ptr, lags[what].astype(np.int64), (BOOKED + what).astype(np.int64),
                       change[rows, what])


#: a hold that lasts the horizon, in 32 bits (a run is never longer than the horizon)
HOLD_LIMIT = 1 << 30
#: a cache line's bytes: each node's row starts on one
LINE = 64


def aligned(shape: tuple[int, ...], dtype: type) -> np.ndarray:
    """Zeros of ``shape`` starting on a cache line."""
    size = int(np.prod(shape)) * np.dtype(dtype).itemsize
    raw = np.zeros(size + LINE, dtype=np.uint8)
    skip = -raw.ctypes.data % LINE
    return raw[skip: skip + size].view(dtype).reshape(shape)


def _row_width(fields_: int, itemsize: int = 4) -> int:
    """Fields of ``itemsize`` bytes per row, rounded up to whole cache lines."""
    per_line = LINE // itemsize
    return -(-fields_ // per_line) * per_line


@dataclass(frozen=True)
class NodeTables:
    """The chains as the kernel walks them: everything a path's step reads of a node in
    one row of 32-bit integers, a row a cache line (or two) long and starting on one, so
    that a step costs one cache miss where the separate arrays of :class:`ChainArrays`
    and :class:`Stays` (about 2 MB in the default scenario, four times the L2 cache of
    the AMD EPYC machines) cost one per array; and each change of booking list's entries
    (:class:`ListChanges`) likewise in one row, so that booking a change costs one load
    of its row where a pointer into a list of entries cost two dependent ones (a default
    draw's paths 3–5 % faster, measured). Measured in docs/benchmarks.md.

    ``r_node[w, x]``: refund chain node x of world w, fields ``R_*``, its next node for
    each state from ``R_NEXT``. ``c_node[x]``: contract chain node x, fields ``C_*``, and
    from ``C_MOVE`` each move (x, state) as ``next << bits | list`` (the node it moves to
    and the booking list it books, ``c_sig``; ``bits`` = :func:`list_bits`), in 64-bit
    rows when a chain's nodes do not fit above the bits in 32 (many lists and a long
    chain: a low cap paid out in small prices).
    ``p_entry[g · lists + h]``: the change from list g to list h (:class:`ListChanges`)
    as 64-bit integers: its number of entries, then each entry as
    ``amount << OFFSET_BITS | offset``, the amount (whole øre or a count) and the
    accounts' flat offset from the month of the change (channel · W + lag, W months a
    channel: :func:`brobygger.simulation.kernel.account_months`); no rows when the changes
    are not tabled.
    """

    r_node: np.ndarray  # (W, nR, width) int32
    c_node: np.ndarray  # (nC, width) int32, or int64 for a long chain
    p_entry: np.ndarray  # (lists², width) int64


def node_tables(ch: ChainArrays, st: Stays, lc: ListChanges, lags: np.ndarray, T: int
                ) -> NodeTables:
    """:class:`NodeTables` from the chains, their stays, the list changes, the booked
    channels' lags (:func:`booked_lags`) and the horizon's T months."""
    W, nR, S = ch.r_next.shape
    r_node = aligned((W, nR, _row_width(R_NEXT + S)), np.int32)
    for field, values in ((R_CLS, ch.r_cls), (R_OBS, st.r_obs), (R_JUMP, st.r_jump),
                          (R_REACH, st.r_reach), (R_RUN, st.r_run), (R_STAY, st.r_stay),
                          (R_STATE, ch.r_state), (R_HOLD, np.minimum(st.r_hold, HOLD_LIMIT))):
        r_node[:, :, field] = values
    r_node[:, :, R_NEXT: R_NEXT + S] = ch.r_next
    nC = ch.c_next.shape[0]
    bits = list_bits(ch.c_list_move.shape[0])
    # a move packs the next node above the list's bits: 32-bit rows while it fits (the
    # kernel compiles for either), 64-bit ones for a long chain of many booking lists
    dtype = np.int32 if nC < 1 << (31 - bits) else np.int64
    c_node = aligned((nC, _row_width(C_MOVE + S, np.dtype(dtype).itemsize)), dtype)
    for field, values in ((C_STAY, st.c_stay), (C_JUMP, st.c_jump), (C_REACH, st.c_reach),
                          (C_RUN, st.c_run), (C_HOLD, np.minimum(st.c_hold, HOLD_LIMIT))):
        c_node[:, field] = values
    c_node[:, C_MOVE: C_MOVE + S] = (ch.c_next.astype(np.int64) << bits
                                     | ch.c_sig.reshape(nC, S))
    # the kernel indexes with these fields as they are, with neither wrap-around nor bounds
    # check (:data:`brobygger.simulation.kernel.ix`)
    if ((r_node < 0).any() or (c_node < 0).any() or (ch.r_init < 0).any()
            or (ch.c_init < 0).any()):
        raise ValueError("a chain's node table holds a negative field")
    return NodeTables(r_node, c_node, change_rows(lc, T, account_months(T, lags)))


#: the largest amount a list change's entry holds above its offset's bits
ENTRY_AMOUNT_LIMIT = 1 << (62 - OFFSET_BITS)


def change_rows(lc: ListChanges, T: int, W: int) -> np.ndarray:
    """The list changes as :attr:`NodeTables.p_entry`: a row per change, whole cache
    lines long and starting on one, for accounts of W months a channel over a horizon of
    T (:func:`brobygger.simulation.kernel.account_months`)."""
    amount = np.round(lc.amount)
    if not np.array_equal(amount, lc.amount):
        raise ValueError("a list change books an amount that is not whole øre or a count")
    offset = lc.channel * W + lc.lag
    # a lag past the accounts' padding would book into the next channel's months
    if offset.size and (offset.max() > OFFSET_MASK or T + lc.lag.max() >= W
                        or np.abs(amount).max() >= ENTRY_AMOUNT_LIMIT):
        raise ValueError("a list change's lag or amount is too large for the accounts")
    count = np.diff(lc.ptr)
    rows = aligned((count.shape[0], _row_width(1 + count.max(initial=0), 8)), np.int64)
    rows[:, 0] = count
    change = np.repeat(np.arange(count.shape[0]), count)
    place = 1 + np.arange(offset.shape[0]) - lc.ptr[change]
    rows[change, place] = amount.astype(np.int64) << OFFSET_BITS | offset
    return rows


def entry_rows(books: np.ndarray) -> np.ndarray:
    """The entry's bookings, ``books`` (price regimes × booked channels: whole øre or
    counts, mostly zeros), as one row per regime for the path kernel: how many channels it
    books, then each one's channel and amount (a participant's referral then books only
    what it books, instead of testing every channel: a default draw 2 % faster, measured)."""
    amount = np.round(books)
    if not np.array_equal(amount, books) or np.abs(amount).max(initial=0) >= 2.0**53:
        raise ValueError("an entry books an amount that is not whole øre or a count")
    rows = np.zeros((books.shape[0], 1 + 2 * books.shape[1]), dtype=np.int64)
    for g, row in enumerate(amount):
        booked = np.flatnonzero(row)
        rows[g, 0] = booked.size
        rows[g, 1:1 + 2 * booked.size:2] = booked
        rows[g, 2:2 + 2 * booked.size:2] = row[booked].astype(np.int64)
    return rows


def cumulative(transitions: Transitions, n_periods: int) -> np.ndarray:
    cum = np.cumsum(transitions.matrices, axis=2)
    cum[..., -1] = np.inf  # rounding can never push a uniform past the last state
    out = np.repeat(cum[-1:], n_periods, axis=0)
    out[: cum.shape[0]] = cum
    return out


def padded(array: np.ndarray, n_periods: int) -> np.ndarray:
    out = np.repeat(array[-1:], n_periods, axis=0)
    out[: array.shape[0]] = array
    return out


JOB_STATES = (JOB_ACCELERATOR, JOB_OTHER)


@dataclass(frozen=True)
class CostArrays:
    """Public cost per (profile, month, state·B + months on staircase), split so that the
    wage-dependent part of the job states can be drawn per draw.

    For job states, ``k_base`` and ``a_state`` leave out the wage's taxes; they are added
    from ``job_tax`` and ``job_kbase`` (per draw, from :func:`wage_taxes`).

    Rounding rule: the simulation's costs are whole øre — the table here, and the drawn
    wages' taxes (:func:`brobygger.simulation.run.sample_chunk`) — so that the kernel's
    sums over participants are sums of whole numbers of øre, exact in float64 in any order
    (the same bits on any CPU, however the sum is vectorised). The rounding moves a
    participant-month by at most half an øre per figure.
    """

    table: np.ndarray  # (P, T, S·B, 3): a_muni, k_base, a_state side by side
    job_col: np.ndarray  # (S,) int64: 0/1 for the job states, -1 otherwise
    cost_class: np.ndarray  # (S·B,) int64: columns with identical costs in every month
    wages: np.ndarray  # (2, T) central monthly wage of each job type

    @cached_property
    def _class_first(self) -> np.ndarray:
        """The first column of each cost class."""
        return np.unique(self.cost_class, return_index=True)[1]

    @cached_property
    def class_values(self) -> np.ndarray:
        """(T, 3, P·C), in øre (whole numbers): each month's (a_muni, k_base, a_state) of
        cost class c (its first column) in profile p at p·C + c (the kernel sums counts of
        participants by class against a month's row); the job classes without the wage's
        taxes."""
        by_class = self.table[:, :, self._class_first]  # (P, T, C, 3)
        return np.ascontiguousarray(np.round(by_class * ORE).transpose(1, 3, 0, 2).reshape(
            by_class.shape[1], 3, -1))

    @cached_property
    def class_job(self) -> np.ndarray:
        """(C,) int64: the job type whose wage a cost class earns (:attr:`job_col`), −1 for
        none (a class never mixes states of different jobs, see :func:`cost_arrays`)."""
        return np.ascontiguousarray(self.job_col[self._class_first // B])

    @cached_property
    def value_column(self) -> np.ndarray:
        """(P·C,) int64: the column of :attr:`values` in which profile p's cost class c
        (at p·C + c of :attr:`class_values`) is counted. Classes that cost the same in
        every month, whatever their profile, and earn the same job's wage (or none) share
        a column (the default scenario's 32 profile classes cost 16 ways), so the kernel's
        sums over the classes run over fewer columns. The counts are whole numbers and the
        values whole øre, so a shared column's sums are the same numbers as its classes'."""
        v = self.class_values
        jobs = np.tile(self.class_job, v.shape[2] // self.class_job.shape[0])
        return same_rows(np.hstack([v.transpose(2, 0, 1).reshape(v.shape[2], -1),
                                    jobs[:, None].astype(float)]))

    @cached_property
    def _column_first(self) -> np.ndarray:
        """The first profile class of each of :attr:`values`' columns."""
        return np.unique(self.value_column, return_index=True)[1]

    @cached_property
    def values(self) -> np.ndarray:
        """(T, 3, V), in øre: :attr:`class_values` with the classes that cost the same
        in one column (:attr:`value_column`)."""
        return np.ascontiguousarray(self.class_values[:, :, self._column_first])

    @cached_property
    def value_job(self) -> np.ndarray:
        """(V,) int64: the job type whose wage the classes of a column of :attr:`values`
        earn (:attr:`class_job`), −1 for none."""
        C = self.class_job.shape[0]
        return np.ascontiguousarray(self.class_job[self._column_first % C])

    @property
    def a_muni(self) -> np.ndarray:  # (P, T, S·B) municipality cost before kommuneskat
        return self.table[..., 0]

    @property
    def k_base(self) -> np.ndarray:  # (P, T, S·B) kommuneskat base
        return self.table[..., 1]

    @property
    def a_state(self) -> np.ndarray:  # (P, T, S·B) state cost
        return self.table[..., 2]


def cost_arrays(finance: FinanceContext, benefits: list[str]) -> CostArrays:
    a_muni, k_base, a_state = [], [], []
    for name in benefits:
        ct = finance.cost_table(name)
        T = ct.refundable.shape[0]
        refund = ct.refundable[:, :, None] * ct.refund_rate[:, None, :]
        state_tax = ct.state_tax.copy()
        kommune_base = ct.kommune_base.copy()
        for s in JOB_STATES:
            state_tax[:, s] = 0.0
            kommune_base[:, s] = 0.0
        a_muni.append((ct.refundable[:, :, None] - refund).reshape(T, -1))
        k_base.append(np.repeat(kommune_base, B, axis=1))
        a_state.append((refund + (ct.state_paid - state_tax)[:, :, None]).reshape(T, -1))
    job_col = np.full(N_STATES, -1, dtype=np.int64)
    for i, s in enumerate(JOB_STATES):
        job_col[s] = i
    wages = np.stack([finance.jobs[s].wage for s in JOB_STATES])
    a_m, k_b, a_s = np.stack(a_muni), np.stack(k_base), np.stack(a_state)
    table = np.ascontiguousarray(np.round(np.stack([a_m, k_b, a_s], axis=-1), 2))  # øre
    # two (state, months on staircase) columns cost the same if their tables agree in every
    # profile and month and neither or the same job's wage applies (e.g. the benefit states)
    columns = table.transpose(2, 0, 1, 3).reshape(table.shape[2], -1)
    jobs = np.repeat(job_col, B).astype(float)[:, None]
    return CostArrays(table, job_col, same_rows(np.hstack([columns, jobs])), wages)


@dataclass(frozen=True)
class SimulationInputs:
    compiled: CompiledScenario
    participants: Participants
    chains: ChainArrays
    cum: np.ndarray  # (W, n_periods, S, S) central cumulative transition rows
    alpha: np.ndarray  # (W, n_periods, S, S) Dirichlet parameters of the rows
    period_of: np.ndarray  # (W, T) period of the transition into month k
    period_end: np.ndarray  # (T,) the next month k' > k whose period differs in a world
    #: (T,) bool: the months whose public costs may differ from the month before's (a new
    #: year's rates, prices or kommuneskat, a wage or the taxes on it), and month 0
    value_change: np.ndarray
    stays: Stays
    costs: CostArrays
    kommuneskat: np.ndarray  # (M, T)
    profile_cum: np.ndarray  # (P,) cumulative profile shares
    lags: np.ndarray  # (O,) int64
    wage_sd: np.ndarray  # (2,) relative sd of accelerator / other wages
    enterprise_mean: np.ndarray  # (2, T) expected places created and ordinary hires
    codes: np.ndarray  # (M,) int64 kommunekode
    starts: np.ndarray  # (M + 1,) first participant of each municipality
    list_changes: ListChanges

    @cached_property
    def nodes(self) -> NodeTables:
        """The chains as the kernel walks them."""
        return node_tables(self.chains, self.stays, self.list_changes,
                           booked_lags(self.lags, self.chains), self.compiled.T)


def value_changes(table: np.ndarray, kommuneskat: np.ndarray, wage_rules: np.ndarray
                  ) -> np.ndarray:
    """:attr:`SimulationInputs.value_change` from the cost table (P, T, S·B, 3),
    kommuneskat (M, T) and what a wage's taxes depend on (rows over T: the wages and the
    tax rules)."""
    change = np.ones(table.shape[1], dtype=bool)
    change[1:] = (np.any(table[:, 1:] != table[:, :-1], axis=(0, 2, 3))
                  | np.any(kommuneskat[:, 1:] != kommuneskat[:, :-1], axis=0)
                  | np.any(wage_rules[:, 1:] != wage_rules[:, :-1], axis=0))
    return change


def value_periods(value_change: np.ndarray) -> np.ndarray:
    """(T,) int64: each month's value period, numbered from 0; a new one starts in each
    month after month 0 that :func:`value_changes` marks."""
    return np.concatenate([[0], np.cumsum(value_change[1:])]).astype(np.int64)


def inputs_for(c: CompiledScenario) -> SimulationInputs:
    """:func:`build_inputs`, once per compiled scenario (kept in its cache: a compiled
    scenario does not change, and the lab and the web app simulate one many times)."""
    found = c._cache.get("simulation_inputs")
    if not isinstance(found, SimulationInputs):
        found = c._cache["simulation_inputs"] = build_inputs(c)
    return found


def build_inputs(c: CompiledScenario) -> SimulationInputs:
    sc = c.scenario
    T = c.T
    # participants, ordered by municipality then referral month (the order of the streams)
    entry: list[int] = []
    muni: list[int] = []
    regime: list[int] = []
    per_muni: list[int] = []
    for m, code in enumerate(c.codes):
        counts = c.intake[code]  # (G, T)
        before = len(entry)
        for t in range(T):
            for g in range(counts.shape[0]):
                n = round(counts[g, t])
                entry += [t] * n
                muni += [m] * n
                regime += [g] * n
        per_muni.append(len(entry) - before)
    participants = Participants(np.array(entry, dtype=np.int64), np.array(muni, dtype=np.int64),
                                np.array(regime, dtype=np.int64),
                                np.array(per_muni, dtype=np.int64))

    # refund chains, padded to a common size
    n_r = max(c.refund_chains[w].size for w in WORLDS)
    r_next = np.zeros((len(WORLDS), n_r, N_STATES), dtype=np.int32)
    r_j = np.zeros((len(WORLDS), n_r), dtype=np.int64)
    r_cls = np.zeros((len(WORLDS), n_r), dtype=np.int64)
    r_state = np.zeros((len(WORLDS), n_r), dtype=np.int64)
    r_init = np.zeros((len(WORLDS), len(sc.profiles)), dtype=np.int64)
    for w, world in enumerate(WORLDS):  # each numbered along its stays (stay_order)
        ch = c.refund_chains[world]
        assert ch.aux is not None
        order = stay_order(ch.next_index[np.arange(ch.size), ch.state])
        new = np.argsort(order)
        r_next[w, : ch.size] = new[ch.next_index[order]]
        r_state[w, : ch.size] = ch.state[order]
        r_j[w, : ch.size] = (ch.state.astype(np.int64) * B + ch.aux)[order]
        r_init[w] = new[ch.initial]

    # contract chains of all regimes, stacked with offsets
    offsets = np.cumsum([0] + [r.chain.size for r in c.regimes])
    n_out = len(c.citizen_outcomes)
    parts = [r.chain for r in c.regimes]
    entry_pay = [ch.entry_payment for ch in parts]
    entry_ev = [ch.entry_events for ch in parts]
    assert all(x is not None for x in entry_pay + entry_ev)
    c_next = np.concatenate([ch.next_index + off for ch, off in zip(parts, offsets, strict=False)])
    c_state = np.concatenate([ch.state for ch in parts]).astype(np.int64)
    order = stay_order(c_next[np.arange(c_next.shape[0]), c_state])  # (see stay_order)
    new = np.argsort(order)
    chains = ChainArrays(
        r_next, r_j, r_cls, r_state, r_init,
        c_next=new[c_next[order]].astype(np.int32),
        c_state=c_state[order],
        c_init=new[[ch.initial[0] + off for ch, off in zip(parts, offsets, strict=False)]],
        c_entry_pay=np.stack([x[0] for x in entry_pay if x is not None]).reshape(len(parts),
                                                                                  n_out),
        c_entry_ev=np.stack([x[0] for x in entry_ev if x is not None]).reshape(len(parts), 4),
        **booked_by_move(np.concatenate([ch.payment for ch in parts])[order],
                         np.concatenate([ch.events for ch in parts])[order]),
    )

    n_periods = max(len(c.transitions[w].period_starts) for w in WORLDS)
    cum = np.stack([cumulative(c.transitions[w], n_periods) for w in WORLDS])
    alpha = np.stack([padded(c.transitions[w].alpha, n_periods) for w in WORLDS])
    period_of = np.stack([c.transitions[w].period_index(T) for w in WORLDS]).astype(np.int64)
    period_end = np.full(T, T, dtype=np.int64)
    for k in range(T - 2, -1, -1):
        same = np.array_equal(period_of[:, k + 1], period_of[:, k])
        period_end[k] = period_end[k + 1] if same else k + 1
    costs = cost_arrays(c.finance, [p.benefit for p in sc.profiles])
    r_cls[:] = costs.cost_class[chains.r_j]
    kommuneskat = np.stack([c.finance.kommuneskat(code) for code in c.codes])
    shares = np.array([p.share for p in sc.profiles])
    profile_cum = np.cumsum(shares)
    profile_cum[-1] = np.inf
    lags = np.array([c.lag(o) for o in c.citizen_outcomes], dtype=np.int64)
    wage_sd = np.array([sc.jobs.accelerator.hourly_wage.sd, sc.jobs.other.hourly_wage.sd])
    codes = np.array([int(code) for code in c.codes], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(participants.per_muni)]).astype(np.int64)
    taxes = c.finance.taxes
    wage_rules = np.vstack([costs.wages, *(getattr(taxes, f.name) for f in fields(taxes))])
    return SimulationInputs(c, participants, chains, cum, alpha, period_of, period_end,
                            value_changes(costs.table, kommuneskat, wage_rules), stays(chains),
                            costs,
                            kommuneskat, profile_cum, lags, wage_sd, enterprise_expectation(c),
                            codes, starts, list_changes(chains, booked_lags(lags, chains),
                                                        T))
