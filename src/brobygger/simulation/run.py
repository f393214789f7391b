"""Monte Carlo simulation of savings and payment flows, draw by draw, streamed.

Each draw samples the uncertain inputs (unless switched off), every participant's path,
and the enterprise side; the kernel returns the draw's costs, payments and events per
municipality and month; :func:`brobygger.economics.business_case.assemble` turns them into
the business case exactly as ``expect`` does. Only per-draw summaries are kept (a few
numbers per payer and municipality), never the draws × participants × months array.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields, replace
from pathlib import Path

import numpy as np

from brobygger.economics.business_case import PAYERS, assemble, discount_factors
from brobygger.economics.public_finance import wage_taxes
from brobygger.economics.rates import TaxRates
from brobygger.errors import BrobyggerError, Problem, output_problems
from brobygger.model import ORE, CompiledScenario
from brobygger.pathways.chains import INDICATOR_CODES
from brobygger.simulation.inputs import (
    SimulationInputs,
    booked_lags,
    entry_rows,
    inputs_for,
    value_periods,
)
from brobygger.simulation.kernel import run_paths, sample_parameters, simulate_draws
from brobygger.simulation.reduce import Accounts, accounts, provider_shares

NET_PAYERS = (*PAYERS, "public_total")
INDICATORS = (*INDICATOR_CODES, "places", "ordinary_hires")


@dataclass
class DrawSummaries:
    """Per-draw figures, each an array with the draws along axis 0."""

    net: np.ndarray  # (D, 3) net result per payer (municipality, state, public_total)
    net_discounted: np.ndarray  # (D, 3)
    savings: np.ndarray  # (D, 3)
    programme_costs: np.ndarray  # (D, 3)
    payments_made: np.ndarray  # (D, 3)
    break_even: np.ndarray  # (D, 3) month (1-based), 0 when not within the horizon
    muni_net: np.ndarray  # (D, M, 3)
    muni_break_even: np.ndarray  # (D, M)  the municipality's own break-even month
    flows: np.ndarray  # (D, F) payments per (payer, payee)
    indicators: np.ndarray  # (D, 6)
    cap_bound: np.ndarray  # (D,) bool
    #: monthly net result (DKK, not cumulative) per municipality and payer (municipality,
    #: state); filled only when asked for (``simulate(..., paths=True)``), else (D, 0, 2, 0)
    muni_path: np.ndarray  # (D, M, 2, T)
    muni_savings_path: np.ndarray  # (D, M, 2, T) the savings part of it, likewise
    #: the providers' outcome payments by month (DKK, after the cap), which repay a
    #: scenario's investor; (D, T) when the scenario has one, else (D, 0)
    provider_path: np.ndarray

    @staticmethod
    def concat(parts: list[DrawSummaries]) -> DrawSummaries:
        return DrawSummaries(*(np.concatenate([getattr(p, f) for p in parts])
                               for f in DrawSummaries.__dataclass_fields__))


def break_even_months(cumulative: np.ndarray) -> np.ndarray:
    """:func:`break_even` along the last axis, vectorised; 0 where not within the horizon."""
    T = cumulative.shape[-1]
    below = cumulative < 0
    any_below = below.any(axis=-1)
    last = T - 1 - np.argmax(below[..., ::-1], axis=-1)
    return np.where(~any_below, 1, np.where(last == T - 1, 0, last + 2)).astype(np.int64)


def _flow_keys(c: CompiledScenario) -> list[tuple[str, str]]:
    keys: list[tuple[str, str]] = []
    for o in c.citizen_outcomes + c.enterprise_outcomes:
        for payee in o.payees:
            if (str(o.payer), str(payee)) not in keys:
                keys.append((str(o.payer), str(payee)))
    return sorted(keys)


def _with_total(x: np.ndarray) -> np.ndarray:
    """(..., 2, …) municipality and state → (..., 3, …) with the public total appended."""
    return np.concatenate([x, x.sum(axis=1, keepdims=True)], axis=1)


def _by_municipality(x: np.ndarray, keep: bool) -> np.ndarray:
    """(D, payer, M, T) → a copy as (D, M, payer, T), or (D, 0, 2, 0) when not kept."""
    return x.transpose(0, 2, 1, 3).copy() if keep else np.zeros((x.shape[0], 0, 2, 0))


def summarise(inputs: SimulationInputs, savings, due, events, enterprise,
              paths: bool = False) -> DrawSummaries:
    """Per-draw summaries of a batch of draws (arrays with a leading draw axis); with
    ``paths`` also each municipality's monthly net result per payer."""
    c = inputs.compiled
    a = assemble(c, savings, due, events, enterprise)
    disc = discount_factors(c.scenario, c.params, c.T)
    net = _with_total(a.net.sum(axis=2))  # (D, 3, T)
    muni = a.net.sum(axis=-1)  # (D, 2, M)
    muni_net = np.concatenate([muni, muni.sum(axis=1, keepdims=True)], axis=1)
    be = break_even_months(np.cumsum(net, axis=-1))
    muni_be = break_even_months(np.cumsum(a.net[:, 0], axis=-1))  # municipality payer
    outcomes = c.citizen_outcomes + c.enterprise_outcomes
    keys = _flow_keys(c)
    flows = np.zeros((net.shape[0], len(keys)))
    per_outcome = a.due.sum(axis=(-2, -1))  # (D, O)
    for i, o in enumerate(outcomes):
        for payee, share in o.payees.items():
            flows[:, keys.index((str(o.payer), str(payee)))] += per_outcome[:, i] * share
    w = max(c.window_end_index + 1, 0)
    indicators = np.concatenate(
        [a.events[..., :w].sum(axis=(-2, -1)), a.enterprise[..., :w].sum(axis=-1)], axis=1)
    return DrawSummaries(
        net=net.sum(axis=-1),
        net_discounted=(net * disc).sum(axis=-1),
        savings=_with_total(a.savings.sum(axis=(2, 3))[..., None])[..., 0],
        programme_costs=_with_total(a.borne.sum(axis=(2, 3))[..., None])[..., 0],
        payments_made=_with_total(a.payments.sum(axis=(2, 3))[..., None])[..., 0],
        break_even=be,
        muni_net=muni_net.transpose(0, 2, 1),
        muni_break_even=muni_be,
        flows=flows,
        indicators=indicators,
        cap_bound=np.asarray(a.cap_bound),
        muni_path=_by_municipality(a.net, paths),
        muni_savings_path=_by_municipality(a.savings, paths),
        provider_path=(a.due.sum(axis=-2) * provider_shares(c)[:, None]).sum(axis=-2)
        if c.scenario.investor is not None else np.zeros((net.shape[0], 0)),
    )


@dataclass
class ChunkDraws:
    """The sampled inputs of a chunk of draws (parameters and enterprise side)."""

    cum: np.ndarray  # (n, W, n_periods, S, S)
    factors: np.ndarray  # (n, 2) wage factors
    enterprise: np.ndarray  # (n, 2, T)
    #: the drawn wages' taxes to the state and kommuneskat base per job type and value
    #: period, in kroner rounded to whole øre (n, 2, value periods)
    period_tax: np.ndarray
    period_kbase: np.ndarray
    period: np.ndarray  # (T,) each month's value period

    @property
    def job_tax(self) -> np.ndarray:
        """(n, 2, T) the taxes to the state, month by month."""
        return self.period_tax[..., self.period]

    @property
    def job_kbase(self) -> np.ndarray:
        """(n, 2, T) the kommuneskat base, month by month."""
        return self.period_kbase[..., self.period]


def _by_value_period(inputs: SimulationInputs) -> tuple[np.ndarray, np.ndarray, TaxRates]:
    """The first month of each value period, each month's period, and the tax rules in
    the first months: wages and their tax rules change only where a value period starts
    (:func:`brobygger.simulation.inputs.value_changes`), so a draw's wage taxes are taken
    once a period (a sixth of the months in the default scenario), and the kernel looks
    them up by the month's period. The tax rules' arrays are columns (periods, 1, 1),
    for wages laid out periods × job types × draws (:func:`sample_chunk`)."""
    cache = inputs.compiled._cache
    if "by_value_period" not in cache:
        period = value_periods(inputs.value_change)
        first = np.flatnonzero(inputs.value_change | (np.arange(period.size) == 0))
        taxes = inputs.compiled.finance.taxes
        cache["by_value_period"] = (first, period, replace(
            taxes, **{f.name: getattr(taxes, f.name)[first, None, None]
                      for f in fields(taxes)}))
    found = cache["by_value_period"]
    assert isinstance(found, tuple)
    return found


def sample_chunk(inputs: SimulationInputs, seed: int, first: int, n: int,
                 uncertainty: bool) -> ChunkDraws:
    T = inputs.compiled.T
    cum = np.empty((n, *inputs.cum.shape))
    factors = np.empty((n, 2))
    enterprise = np.empty((n, 2, T))
    sample_parameters(seed, first, inputs.alpha, inputs.cum, inputs.wage_sd,
                      inputs.enterprise_mean, uncertainty, cum, factors, enterprise)
    starts, period, taxes = _by_value_period(inputs)
    # (periods, 2, n): the draws along the last axis, so that NumPy's loops run along them
    # (along the periods, a score of values, its every operation took five times as long)
    wages = inputs.costs.wages[:, starts].T[:, :, None] * factors.T[None, :, :]
    job_tax, job_kbase = wage_taxes(wages, taxes)
    # whole øre, as the cost table (the rounding rule of
    # :class:`brobygger.simulation.inputs.CostArrays`); (n, 2, periods)
    return ChunkDraws(cum, factors, enterprise, np.round(job_tax, 2).transpose(2, 1, 0),
                      np.round(job_kbase, 2).transpose(2, 1, 0), period)


@dataclass(frozen=True)
class Histories:
    """What is known of each participant, for forecasting from the live registry.

    Aligned with the participants of :func:`build_inputs` (by municipality, then referral
    month). ``profile[i]`` is the profile index (−1: unknown, drawn by the shares);
    ``states[i, k]`` the state index at month k of the path (−1 from where it is not yet
    known). The programme world follows the history and is simulated from there on; the
    counterfactual is simulated from referral.
    """

    profile: np.ndarray  # (N,) int64
    states: np.ndarray  # (N, T) int64


NO_HISTORY = Histories(np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.int64))


def chunk_outputs(inputs: SimulationInputs, seed: int, first: int, n: int, uncertainty: bool,
                  history: Histories = NO_HISTORY):
    """(savings, due, events, enterprise) of draws first..first+n-1, each with a draw axis,
    in the layout of :func:`brobygger.economics.business_case.assemble` (the simulation
    itself reduces each draw as it is drawn, :func:`run_chunk`)."""
    save, due, events, enterprise = _draw_arrays(inputs, seed, first, n, uncertainty,
                                                 history)
    # (n, M, T, payer) → (n, payer, M, T)
    return save.transpose(0, 3, 1, 2), due, events, enterprise


def _job(draws: ChunkDraws) -> np.ndarray:
    """(n, 2, value periods, 2): each draw's wage per job type and value period:
    (kommuneskat base, state taxes), in øre (whole numbers, as
    :attr:`brobygger.simulation.inputs.CostArrays.class_values`); the kernel spreads them
    over the months (:func:`brobygger.simulation.kernel.draw_values`)."""
    return np.round(np.stack([draws.period_kbase, draws.period_tax], axis=-1) * ORE)


#: A municipality's accounts are kept by change — each move of a participant adds the
#: values of the cost classes it leaves and enters, and books its new booking list less its
#: old one — when it has fewer participants than this per value column
#: (:attr:`brobygger.simulation.inputs.CostArrays.values`); by month otherwise — moves are
#: counted by column and list, and each month with a count sums every column and books each
#: list once (:func:`brobygger.simulation.kernel.draw_paths`; both give the same bits).
#: Measured one way and the other (AMD EPYC, one thread, 16 value columns, the default
#: scenario with its intake scaled): by change a draw took 189 µs against 234 by month at 13
#: participants a municipality, 421 against 480 at 39, 1,465 against 1,494 at 156, 1,939
#: against 1,911 at 208 and 3,010 against 2,822 at 325: the crossover lies near 190
#: participants, about 12 a column. The national roll-out (1,000 a municipality) counts.
BY_CHANGE_BELOW = 12.0


def by_change(inputs: SimulationInputs) -> np.ndarray:
    """(M,) bool: the municipalities whose accounts are kept by change."""
    columns = inputs.costs.values.shape[2]
    small = inputs.participants.per_muni < BY_CHANGE_BELOW * columns
    return small & inputs.list_changes.tabled


def kernel_model(inputs: SimulationInputs, history: Histories = NO_HISTORY) -> tuple:
    """The scenario's fixed arrays as :func:`brobygger.simulation.kernel.draw_paths` takes
    them (one tuple: the compiled functions pass it on whole). The entry's payments and
    events are one row per price regime (:func:`brobygger.simulation.inputs.entry_rows`),
    and the events are booked with no lag; the cost classes' values are given once a value
    period (they change only where one starts)."""
    p, ch, k = inputs.participants, inputs.chains, inputs.costs
    nodes = inputs.nodes
    T = inputs.compiled.T
    first, period, _ = _by_value_period(inputs)
    entry_books = entry_rows(np.hstack([ch.c_entry_pay, ch.c_entry_ev]))
    lags = booked_lags(inputs.lags, ch)
    return (inputs.codes, inputs.starts, p.entry, p.regime, inputs.profile_cum,
            history.profile, history.states, inputs.period_of, inputs.period_end,
            nodes.r_node, ch.r_init, nodes.c_node, ch.c_ptr, ch.c_what, ch.c_amount,
            ch.c_list_move, nodes.p_entry, ch.c_init, entry_books,
            k.values[first], k.value_job, k.value_column, inputs.value_change,
            np.stack([np.arange(T), period]), by_change(inputs), inputs.kommuneskat, lags)


def _draw_arrays(inputs: SimulationInputs, seed: int, first: int, n: int, uncertainty: bool,
                 history: Histories):
    """The kernel's arrays: savings (n, M, T, payer), due, events, enterprise."""
    c = inputs.compiled
    draws = sample_chunk(inputs, seed, first, n, uncertainty)
    M, T = len(c.codes), c.T
    save = np.empty((n, M, T, 2))  # the kernel overwrites them
    due = np.empty((n, len(inputs.lags), M, T))
    events = np.empty((n, 4, M, T))
    run_paths(seed, first, kernel_model(inputs, history), draws.cum, _job(draws), save, due,
              events)
    return save, due, events, draws.enterprise


def _accounts(inputs: SimulationInputs) -> Accounts:
    cache = inputs.compiled._cache
    if "accounts" not in cache:
        cache["accounts"] = accounts(inputs.compiled, _flow_keys(inputs.compiled))
    found = cache["accounts"]
    assert isinstance(found, Accounts)
    return found


def _summaries(inputs: SimulationInputs, n: int, paths: bool) -> DrawSummaries:
    """Empty summaries for n draws."""
    M, T = len(inputs.compiled.codes), inputs.compiled.T
    return DrawSummaries(
        net=np.empty((n, 3)), net_discounted=np.empty((n, 3)), savings=np.empty((n, 3)),
        programme_costs=np.empty((n, 3)), payments_made=np.empty((n, 3)),
        break_even=np.empty((n, 3), dtype=np.int64), muni_net=np.empty((n, M, 3)),
        muni_break_even=np.empty((n, M), dtype=np.int64),
        flows=np.empty((n, _accounts(inputs).flow_share.shape[1])),
        indicators=np.empty((n, len(INDICATORS))), cap_bound=np.empty(n, dtype=bool),
        muni_path=np.empty((n, M, 2, T)) if paths else np.zeros((n, 0, 2, 0)),
        muni_savings_path=np.empty((n, M, 2, T)) if paths else np.zeros((n, 0, 2, 0)),
        provider_path=np.empty((n, T)) if inputs.compiled.scenario.investor is not None
        else np.zeros((n, 0)),
    )


def _outputs(out: DrawSummaries) -> tuple:
    return (out.net, out.net_discounted, out.savings, out.programme_costs, out.payments_made,
            out.break_even, out.muni_net, out.muni_break_even, out.flows, out.indicators,
            out.cap_bound, out.muni_path, out.muni_savings_path, out.provider_path)


def run_chunk(inputs: SimulationInputs, seed: int, first: int, last: int,
              uncertainty: bool, history: Histories = NO_HISTORY,
              paths: bool = False) -> DrawSummaries:
    """Draws first..last-1, summarised; the unit of work of every backend."""
    draws = sample_chunk(inputs, seed, first, last - first, uncertainty)
    out = _summaries(inputs, last - first, paths)
    simulate_draws(seed, first, kernel_model(inputs, history), draws.cum, _job(draws),
                   draws.enterprise, _accounts(inputs).as_tuple(), paths, _outputs(out))
    return out


#: a chunk's draws at the most (fewer chunks spend less time in Python and in the compiled
#: functions' calls between the chunks' draws: on two threads, 4,000 and 10,000 default
#: draws in chunks of 256 took 3-6 % less time than in chunks of 64, and as long as in 512)
CHUNK_MOST = 256
#: and at the least, but for the last (a chunk's own cost, about 0.2 ms, stays small beside
#: its draws')
CHUNK_LEAST = 32


def guided_chunks(draws: int, workers: int) -> list[tuple[int, int]]:
    """The draws cut into chunks that shrink towards the end (a guided schedule): each holds
    at most a (2 · workers)-th of the draws still to hand out, and at most
    :data:`CHUNK_MOST` and at least :data:`CHUNK_LEAST` draws (the last one fewer when
    that is all there is left). Workers take the next chunk as they finish one, so the
    one that finishes last waits at most for a small chunk: on these shared machines the
    threads do not run at the same speed, and with chunks of equal size the first
    worker to finish stood idle for up to a chunk of 250 draws (4,000 default draws on two
    threads: 0.92-0.98 of the threads' time busy, against 0.97-0.99 with these; timed
    alternately, the run took 0.98-0.99 of the time, and at 10,000 draws the same within
    the machine's noise)."""
    work: list[tuple[int, int]] = []
    a = 0
    while a < draws:
        left = draws - a
        size = min(left, CHUNK_MOST, max(CHUNK_LEAST, math.ceil(left / (2 * workers))))
        work.append((a, a + size))
        a += size
    return work


def chunks(draws: int, size: int) -> list[tuple[int, int]]:
    return [(a, min(a + size, draws)) for a in range(0, draws, size)]


@dataclass
class Simulation:
    inputs: SimulationInputs
    draws: int
    seed: int
    uncertainty: bool
    backend: str
    summaries: DrawSummaries


#: the largest seed: the streams hash it as a signed 64-bit integer
MAX_SEED = 2**63 - 1


#: where the draws run: this machine's threads, or a Dask cluster
BACKENDS = ("local", "dask")


def check_request(draws: int, seed: int, workers: int | None, out: Path | None = None,
                  backend: str = "local", scheduler: str | None = None) -> None:
    """Every problem with a simulation's options at once, before any work starts (``out``:
    the per-draw table's file, which must be writable where it is asked for)."""
    problems = []
    if backend not in BACKENDS:
        problems.append(Problem("--backend", backend, "use 'local' or 'dask'", "backend_name",
                                (("backend", repr(backend)),)))
    elif scheduler and backend != "dask":
        problems.append(Problem("--scheduler", scheduler, "a scheduler is for --backend dask",
                                "scheduler_needs_dask"))
    if draws <= 0:
        problems.append(Problem("--draws", str(draws), "the number of draws must be positive",
                                "draws_positive"))
    if not 0 <= seed <= MAX_SEED:
        problems.append(Problem("--seed", str(seed), f"the seed must be from 0 to {MAX_SEED}",
                                "seed_range", (("most", str(MAX_SEED)),)))
    problems += output_problems("--out", out)
    if out is not None and out.suffix.lower() != ".csv":
        problems.append(Problem("--out", str(out), "the per-draw table is written as CSV: "
                                "give a file name ending in .csv", "out_not_csv"))
    if workers is not None and workers <= 0:
        problems.append(Problem("--workers", str(workers), "the number of workers must be "
                                "positive", "workers_positive"))
    if problems:
        raise BrobyggerError(problems)


def simulate(
    compiled: CompiledScenario,
    draws: int,
    seed: int,
    *,
    uncertainty: bool = True,
    backend: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    chunk_size: int | None = None,
    progress: Callable[[int], None] | None = None,
    history: Histories = NO_HISTORY,
    paths: bool = False,
) -> Simulation:
    """Run ``draws`` draws; identical numbers for every backend and worker count.

    With ``history`` the run is a forecast: each participant's known months are followed
    and only the rest of the horizon is drawn. With ``paths`` the summaries keep each
    municipality's monthly net result and savings per draw (``muni_path``,
    ``muni_savings_path``), for fan charts and realised savings.
    """
    check_request(draws, seed, workers, backend=backend, scheduler=scheduler)
    inputs = inputs_for(compiled)
    check_memory(draws, _summaries(inputs, 1, paths))
    if history.profile.shape[0]:
        check_history(inputs, history)
    # the chunks shrink towards the end for the workers there are: all of this machine's
    # cores locally, and two on a cluster unless told (:func:`guided_chunks`)
    sharing = workers or (local_workers() if backend == "local" else 2)
    work = chunks(draws, chunk_size) if chunk_size else guided_chunks(draws, sharing)
    if backend == "local":
        parts = _run_local(inputs, seed, work, uncertainty, workers, progress, history, paths)
    else:
        from brobygger.simulation.dask_backend import run_dask

        parts = run_dask(inputs, seed, work, uncertainty, workers, scheduler, progress, history,
                         paths)
    return Simulation(inputs, draws, seed, uncertainty, backend, DrawSummaries.concat(parts))


#: the per-draw summaries are held about this many times over at the most: the chunks'
#: parts, their concatenation, and the copies the results' quantiles sort
COPIES = 3


def check_memory(draws: int, one: DrawSummaries, memory: int | None = None) -> None:
    """Every draw's summaries (``one``: a draw's) are kept until the run ends: refuse, before
    any work starts, a run whose summaries would not fit in ``memory`` (default: this
    machine's, :func:`machine_memory`) — an extra zero typed in ``--draws`` is an error, not
    a machine out of memory."""
    per_draw = sum(getattr(one, f.name).nbytes for f in fields(DrawSummaries))
    memory = memory or machine_memory()
    most = memory // (COPIES * per_draw)
    if draws > most:
        raise BrobyggerError(Problem(
            "--draws", str(draws),
            f"{draws:,} draws would keep about {draws * COPIES * per_draw / 1e9:,.1f} GB of "
            f"results in memory; this machine has {memory / 1e9:,.1f} GB: at most "
            f"{most:,} draws", "draws_memory",
            (("draws", draws), ("need", round(draws * COPIES * per_draw / 1e9, 1)),
             ("have", round(memory / 1e9, 1)), ("most", most))))


def machine_memory() -> int:
    """The memory this process may use: the machine's, or its control group's limit when
    that is lower (a container)."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    limit = Path("/sys/fs/cgroup/memory.max")
    try:
        text = limit.read_text().strip()
    except OSError:
        return memory
    return min(memory, int(text)) if text.isdigit() else memory


def check_history(inputs: SimulationInputs, history: Histories) -> None:
    """A history must match the participants and only use moves the model allows."""
    c = inputs.compiled
    n, T = inputs.participants.n, c.T
    problems = []
    if history.profile.shape != (n,) or history.states.shape != (n, T):
        raise BrobyggerError(Problem("history", "", f"expected {n} participants × {T} months, "
                                     f"got {history.states.shape}"))
    entry_state = c.transitions["programme"].entry_state
    # the kernel indexes with these unchecked (:data:`brobygger.simulation.kernel.ix`)
    profiles, states = inputs.profile_cum.shape[0], inputs.cum.shape[-1]
    for who in np.flatnonzero(history.profile >= profiles):
        problems.append(Problem("history", f"participant {who}",
                                f"profile {history.profile[who]} is not one of the {profiles}"))
    for who, month in np.argwhere(history.states >= states)[:10]:
        problems.append(Problem("history", f"participant {who}, month {month}",
                                f"state {history.states[who, month]} is not one of the {states}"))
    for i in range(n):
        e = int(inputs.participants.entry[i])
        known = history.states[i, : T - e]
        if known.size and known[0] >= 0 and known[0] != entry_state:
            problems.append(Problem("history", f"participant {i}, month 0",
                                    "the path must start in the entry state"))
        gaps = np.flatnonzero(known < 0)
        if gaps.size and np.any(known[gaps[0]:] >= 0):
            problems.append(Problem("history", f"participant {i}",
                                    "a known month follows an unknown one"))
    if problems:
        raise BrobyggerError(problems)


def local_workers() -> int:
    """The local backend's threads when not told: one per core this process may use."""
    return len(os.sched_getaffinity(0)) or 1


def _run_local(inputs, seed, work, uncertainty, workers, progress,
               history: Histories = NO_HISTORY, paths: bool = False) -> list[DrawSummaries]:
    workers = workers or local_workers()
    if workers == 1:
        out = []
        for a, b in work:
            out.append(run_chunk(inputs, seed, a, b, uncertainty, history, paths))
            if progress:
                progress(b - a)
        return out
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(run_chunk, inputs, seed, a, b, uncertainty, history, paths)
                   for a, b in work]
        out = []
        for (a, b), f in zip(work, futures, strict=True):
            out.append(f.result())
            if progress:
                progress(b - a)
        return out
