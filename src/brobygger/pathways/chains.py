"""The augmented Markov chains: the participant's state plus what the rules must remember.

The state of a participant moves by the scenario's transition matrices alone. Everything
else that the economics and the contract need is a deterministic function of the path, so
each of these *augmented* chains is itself a Markov chain:

* the **refund chain** ``(state, b, u)``: ``b`` months on public support counted for the
  state's refund staircase (capped where the staircase stops changing), ``u`` months of
  self-support since the count began; 52 weeks (12 months) of self-support start the count
  afresh (lov om kommunernes finansiering af visse offentlige ydelser § 6);
* the **contract chain** ``(state, j, flags, paid)``: ``j`` consecutive months in the same
  job, ``flags`` the once-only events already seen (induction started, completed, hired at an
  accelerator enterprise, hired elsewhere, education started, each job_sustained outcome),
  ``paid`` what this participant has been paid so far (for the per-participant cap).

The rules are written once here, as vectorised functions over arrays of keys. A chain is
compiled into tables by enumerating its reachable keys: ``next_index[key, s']`` and, for
the contract chain, ``payment[key, s', outcome]`` and ``events[key, s', indicator]``. The
exact propagation (:mod:`brobygger.pathways.exact`) and the Monte Carlo both read these
tables, so the two can only differ by sampling.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields

import numpy as np

from brobygger.pathways.states import (
    BENEFIT,
    COMPLETION_TARGETS,
    EDUCATION,
    IN_JOB,
    IN_PROGRAMME,
    INDEX,
    INDUCTION,
    JOB_ACCELERATOR,
    JOB_OTHER,
    N_STATES,
    OFF_BENEFIT,
)

OUTSIDE = -1  # the "state" before entry: the entry is a transition from outside

# ---------------------------------------------------------------------------- refund chain

#: months after which the staircase no longer changes (over 52 weeks: the lowest rate)
REFUND_MONTHS_CAP = 12


@dataclass(frozen=True)
class RefundRules:
    on_support: np.ndarray  # (S,) bool: the month counts on the refund staircase
    self_support: np.ndarray  # (S,) bool: the month counts as self-support
    reset_months: int  # months of self-support after which the count starts again

    def encode(self, s: np.ndarray, b: np.ndarray, u: np.ndarray) -> np.ndarray:
        return s + N_STATES * (b + (REFUND_MONTHS_CAP + 1) * u)

    def decode(self, key: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        s = key % N_STATES
        rest = key // N_STATES
        return s, rest % (REFUND_MONTHS_CAP + 1), rest // (REFUND_MONTHS_CAP + 1)

    def initial(self, entry_state: int, months_on_support: int) -> np.ndarray:
        b = min(months_on_support, REFUND_MONTHS_CAP)
        return self.encode(np.array([entry_state]), np.array([b]), np.array([0]))

    def step(self, key: np.ndarray, s_next: int | np.ndarray) -> np.ndarray:
        """The key next month, when the participant moves to ``s_next`` (one or per key)."""
        s, b, u = self.decode(key)
        b2 = np.minimum(b + self.on_support[s], REFUND_MONTHS_CAP)
        u2 = np.where(b2 > 0, u + self.self_support[s], 0)
        reset = u2 >= self.reset_months
        b2 = np.where(reset, 0, b2)
        u2 = np.where(reset, 0, u2)
        return self.encode(np.broadcast_to(np.asarray(s_next), s.shape), b2, u2)


# -------------------------------------------------------------------------- contract chain

# once-only flags (bits 0..5); job_sustained outcomes take bits from 6 upwards
F_INDUCTION, F_COMPLETED, F_HIRED_ACCEL, F_HIRED_OTHER, F_EDUCATION, F_LEFT, F_HIRED_ANY = (
    1 << i for i in range(7)
)
#: The ESF indicators: 3B.1 started the induction, 3B.2 completed it, 3B.3 and 3B.4 left the
#: programme (from referral, induction or job search) into a job at an accelerator
#: enterprise / at another enterprise — the ESF result is the participant's status on leaving.
INDICATOR_CODES = ("3B.1", "3B.2", "3B.3", "3B.4")
_FIRST_OUTCOME_BIT = 7
_J_BITS, _FLAG_BITS = 6, 16
_J_SHIFT, _FLAG_SHIFT = 3, 3 + _J_BITS
_PAID_SHIFT = _FLAG_SHIFT + _FLAG_BITS


@dataclass(frozen=True)
class OutcomeRule:
    """A rate-card line reduced to what the chain needs (price in øre for one regime)."""

    trigger: str
    price_ore: int
    states: np.ndarray  # (S,) bool: job states that count (job_start, job_sustained)
    months: int = 0  # job_sustained


@dataclass(frozen=True)
class ContractRules:
    outcomes: tuple[OutcomeRule, ...]
    cap_ore: int | None  # per-participant cap in øre, None for none
    j_cap: int
    #: once-only flags this contract needs besides the indicators' (a flag nobody reads
    #: would only split keys that behave the same)
    extra_flags: int = F_HIRED_ACCEL | F_HIRED_OTHER | F_HIRED_ANY | F_EDUCATION

    @staticmethod
    def build(outcomes: Sequence[OutcomeRule], cap_ore: int | None) -> ContractRules:
        sustained = [o.months for o in outcomes if o.trigger == "job_sustained"]
        if len(sustained) > _FLAG_BITS - _FIRST_OUTCOME_BIT:
            raise ValueError("too many job_sustained outcomes for one contract")
        j_cap = max(sustained, default=0)
        if j_cap >= 1 << _J_BITS:
            raise ValueError("job_sustained months beyond 63 are not supported")
        extra = 0
        for o in outcomes:
            if o.trigger == "job_start":
                extra |= _hired_flag(o.states)
        if any(o.trigger == "education_start" for o in outcomes):
            extra |= F_EDUCATION
        return ContractRules(tuple(outcomes), cap_ore, j_cap, extra)

    def encode(self, s, j, flags, paid) -> np.ndarray:
        return (
            s.astype(np.int64)
            | (j.astype(np.int64) << _J_SHIFT)
            | (flags.astype(np.int64) << _FLAG_SHIFT)
            | (paid.astype(np.int64) << _PAID_SHIFT)
        )

    def decode(self, key: np.ndarray):
        s = key & 0b111
        j = (key >> _J_SHIFT) & ((1 << _J_BITS) - 1)
        flags = (key >> _FLAG_SHIFT) & ((1 << _FLAG_BITS) - 1)
        paid = key >> _PAID_SHIFT
        return s, j, flags, paid

    def transition(
        self, key: np.ndarray | None, s_next: int | np.ndarray, n: int = 1
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Next keys, payments (n, outcomes) in øre and indicator events (n, 4) as 0/1.

        ``s_next`` is one next state for all keys, or one per key. ``key=None`` is the
        entry: a transition from outside into ``s_next``.
        """
        if key is None:
            s = np.full(n, OUTSIDE)
            j = np.zeros(n, dtype=np.int64)
            flags = np.zeros(n, dtype=np.int64)
            paid = np.zeros(n, dtype=np.int64)
        else:
            s, j, flags, paid = self.decode(key)
            n = len(key)
        s_next = np.broadcast_to(np.asarray(s_next, dtype=np.int64), (n,))
        entering_job = IN_JOB[s_next]
        same_job = entering_job & (s == s_next)
        j2 = np.where(same_job, j + 1, entering_job.astype(np.int64))
        j2 = np.minimum(j2, self.j_cap)

        # once-only events
        new = np.zeros(n, dtype=np.int64)
        new |= np.where(s_next == INDUCTION, F_INDUCTION, 0)
        new |= np.where(COMPLETION_TARGETS[s_next] & (s == INDUCTION), F_COMPLETED, 0)
        new |= np.where(s_next == JOB_ACCELERATOR, F_HIRED_ACCEL | F_HIRED_ANY, 0)
        new |= np.where(s_next == JOB_OTHER, F_HIRED_OTHER | F_HIRED_ANY, 0)
        new |= np.where(s_next == EDUCATION, F_EDUCATION, 0)
        was_in = (s >= 0) & IN_PROGRAMME[np.maximum(s, 0)]  # OUTSIDE is not in it
        new |= np.where(was_in & ~IN_PROGRAMME[s_next], F_LEFT, 0)
        new &= F_INDUCTION | F_COMPLETED | F_LEFT | self.extra_flags
        first = new & ~flags
        flags2 = flags | new
        leaving = (first & F_LEFT) > 0

        payments = np.zeros((n, len(self.outcomes)), dtype=np.int64)
        remaining = (
            np.full(n, np.iinfo(np.int64).max) if self.cap_ore is None else self.cap_ore - paid
        )
        bit = _FIRST_OUTCOME_BIT
        for i, rule in enumerate(self.outcomes):
            fired = self._fires(rule, key is None, s_next, j2, flags, first, bit)
            if rule.trigger == "job_sustained":
                flags2 = np.where(fired, flags2 | (1 << bit), flags2)
                bit += 1
            amount = np.where(fired, np.minimum(rule.price_ore, remaining), 0)
            payments[:, i] = amount
            remaining = remaining - amount
        paid2 = paid + payments.sum(axis=1)
        if self.cap_ore is None:
            paid2 = np.zeros_like(paid2)  # nothing to remember without a cap
        events = np.stack(
            [
                (first & F_INDUCTION) > 0,
                (first & F_COMPLETED) > 0,
                leaving & (s_next == JOB_ACCELERATOR),
                leaving & (s_next == JOB_OTHER),
            ],
            axis=1,
        ).astype(np.int64)
        keys = self.encode(s_next, j2, flags2, paid2)
        return keys, payments, events

    @staticmethod
    def _fires(rule, entry, s_next, j2, flags, first, bit) -> np.ndarray:
        n = len(s_next)
        t = rule.trigger
        if t == "referral":
            return np.full(n, entry)
        if t == "induction_start":
            return (first & F_INDUCTION) > 0
        if t == "induction_completed":
            return (first & F_COMPLETED) > 0
        if t == "education_start":
            return (first & F_EDUCATION) > 0
        if t == "off_benefit_month":
            return OFF_BENEFIT[s_next]
        if t == "job_start":
            return rule.states[s_next] & ((flags & _hired_flag(rule.states)) == 0)
        if t == "job_sustained":
            return rule.states[s_next] & (j2 == rule.months) & ((flags & (1 << bit)) == 0)
        return np.zeros(n, dtype=bool)  # enterprise-side triggers are not per participant


def _hired_flag(states: np.ndarray) -> int:
    """The once-only flag of a first hire in these job states."""
    if states[JOB_ACCELERATOR] and states[JOB_OTHER]:
        return F_HIRED_ANY
    return F_HIRED_ACCEL if states[JOB_ACCELERATOR] else F_HIRED_OTHER


# ------------------------------------------------------------------------------ compiling


@dataclass(frozen=True)
class CompiledChain:
    """A chain's reachable keys and its tables, shared by the exact and sampled engines."""

    keys: np.ndarray  # (n,) sorted int64
    state: np.ndarray  # (n,) state of each key
    next_index: np.ndarray  # (n, S) int32: index of the key next month, given next state
    initial: np.ndarray  # (m,) indices of the initial keys (one per profile/entry)
    payment: np.ndarray | None = None  # (n, S, outcomes) øre paid on that move
    events: np.ndarray | None = None  # (n, S, 4) indicator events on that move
    entry_payment: np.ndarray | None = None  # (m, outcomes) øre paid at entry
    entry_events: np.ndarray | None = None  # (m, 4)
    aux: np.ndarray | None = None  # (n,) the refund chain's b (months on staircase)

    @property
    def size(self) -> int:
        return len(self.keys)


#: The most keys a chain may have. A contract chain has a key per (state, months in it,
#: outcomes paid, paid so far): a per-participant cap paid in prices that are small next
#: to it makes many sums paid so far, and the keys grow faster than the cap (one krone a
#: month against a cap of 5,451 kr: 152,796 keys; of 30,000 kr: 1.86 million, 36 s and a
#: peak of 4.6 GB to compile and lay out for the simulation, measured). The shipped
#: scenarios' contract chains have about 5,000.
MAX_CHAIN_KEYS = 2_000_000


class ChainTooLarge(ValueError):
    """A chain would have more than ``limit`` keys (:data:`MAX_CHAIN_KEYS`)."""

    def __init__(self, limit: int):
        super().__init__(f"more than {limit:,} keys")
        self.limit = limit


def enumerate_keys(
    initial: np.ndarray, step: Callable[[np.ndarray, np.ndarray], np.ndarray]
) -> np.ndarray:
    """Every key reachable from ``initial`` through any sequence of states (sorted);
    :class:`ChainTooLarge` as soon as there are more than :data:`MAX_CHAIN_KEYS`, before
    the tables are laid out."""
    limit = MAX_CHAIN_KEYS
    frontier = np.unique(initial)
    known = set(frontier.tolist())
    states = np.arange(N_STATES)
    while frontier.size:
        reached = np.unique(step(np.repeat(frontier, N_STATES), np.tile(states, frontier.size)))
        fresh = [k for k in reached.tolist() if k not in known]
        known.update(fresh)
        if len(known) > limit:
            raise ChainTooLarge(limit)
        frontier = np.array(fresh, dtype=np.int64)
    return np.array(sorted(known), dtype=np.int64)


def _lookup(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    idx = np.searchsorted(keys, wanted)
    assert np.all(keys[idx] == wanted), "a successor key was not enumerated"
    return idx.astype(np.int32)


#: How many compiled chains are kept (:func:`_compiled`): a scenario compiles two refund
#: chains and a contract chain per price regime.
KEEP_COMPILED = 64
_compiled_chains: OrderedDict[tuple, CompiledChain] = OrderedDict()
_compiled_lock = threading.Lock()


def _compiled(key: tuple, build: Callable[[], CompiledChain]) -> CompiledChain:
    """The chain compiled from the rules ``key`` stands for, compiled once: compiling a
    scenario again with the same rules — the scenario lab's and the web app's changes
    rarely touch the rate card or the refund rules, and a contract chain takes most of
    the default scenario's compile time — reuses the tables (the last
    :data:`KEEP_COMPILED`; their arrays are read-only, being shared)."""
    with _compiled_lock:
        found = _compiled_chains.get(key)
        if found is not None:
            _compiled_chains.move_to_end(key)
            return found
    found = build()
    for f in fields(found):
        value = getattr(found, f.name)
        if isinstance(value, np.ndarray):
            value.flags.writeable = False
    with _compiled_lock:
        _compiled_chains[key] = found
        while len(_compiled_chains) > KEEP_COMPILED:
            _compiled_chains.popitem(last=False)
    return found


def compile_refund_chain(
    rules: RefundRules, entry_state: int, months_on_support: Sequence[int]
) -> CompiledChain:
    key = ("refund", rules.on_support.tobytes(), rules.self_support.tobytes(),
           rules.reset_months, entry_state, tuple(months_on_support))
    return _compiled(key, lambda: _compile_refund_chain(rules, entry_state, months_on_support))


def _compile_refund_chain(
    rules: RefundRules, entry_state: int, months_on_support: Sequence[int]
) -> CompiledChain:
    init = np.concatenate([rules.initial(entry_state, m) for m in months_on_support])
    keys = enumerate_keys(init, rules.step)
    every = np.tile(np.arange(N_STATES), len(keys))
    nxt = _lookup(keys, rules.step(np.repeat(keys, N_STATES), every)).reshape(-1, N_STATES)
    state, b, _ = rules.decode(keys)
    return CompiledChain(keys, state.astype(np.int8), nxt, _lookup(keys, init), aux=b)


def compile_contract_chain(rules: ContractRules, entry_state: int) -> CompiledChain:
    key = ("contract", tuple((o.trigger, o.price_ore, o.states.tobytes(), o.months)
                             for o in rules.outcomes),
           rules.cap_ore, rules.j_cap, rules.extra_flags, entry_state)
    return _compiled(key, lambda: _compile_contract_chain(rules, entry_state))


def _compile_contract_chain(rules: ContractRules, entry_state: int) -> CompiledChain:
    init, entry_pay, entry_events = rules.transition(None, entry_state, 1)

    def step(key: np.ndarray, s: np.ndarray) -> np.ndarray:
        return rules.transition(key, s)[0]

    keys = enumerate_keys(init, step)
    n, n_out = len(keys), len(rules.outcomes)
    every = np.tile(np.arange(N_STATES), n)
    k2, pay, ev = rules.transition(np.repeat(keys, N_STATES), every)
    nxt = _lookup(keys, k2).reshape(n, N_STATES)
    # float64: whole øre are exact in float64 far beyond any contract's size
    payment = pay.reshape(n, N_STATES, n_out).astype(np.float64)
    events = ev.reshape(n, N_STATES, len(INDICATOR_CODES)).astype(np.float64)
    state = (keys & 0b111).astype(np.int8)
    return CompiledChain(keys, state, nxt, _lookup(keys, init), payment, events,
                         entry_pay.astype(np.float64), entry_events.astype(np.float64))


__all__ = [
    "BENEFIT",
    "INDEX",
    "INDICATOR_CODES",
    "ChainTooLarge",
    "CompiledChain",
    "ContractRules",
    "OutcomeRule",
    "RefundRules",
    "compile_contract_chain",
    "compile_refund_chain",
]
