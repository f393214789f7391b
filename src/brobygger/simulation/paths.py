"""Simulated pathways recorded month by month, and written out as an events file.

One rate card, two uses: the business case prices the simulated monthly states with the
contract chain, and settlement (:mod:`brobygger.payments`) prices dated events with the
same rate card. :func:`record_paths` keeps every participant's monthly states for one draw
(the reference implementation's sampling, :func:`brobygger.simulation.reference.walk`, so
the paths are exactly those the simulation priced); :func:`path_events` turns them into the
event records of docs/events-schema.md, dated so that settlement's month rules
(docs/settlement.md) give back exactly the same monthly states:

* the referral is dated the 1st of the referral month — the date the simulation prices a
  participant's outcomes at (``Outcome.price_at`` of the referral month's first day);
* a participant is in a job or in education in a month when the spell covers the month's
  last day, so a spell starts between the 15th and the 28th of its first month and ends
  (the last day worked) between the 1st and the 14th of the first month after it; a new
  spell in that month starts after the old one ended;
* induction: ``induction_start`` in each month the participant enters the course (the 1st
  when the programme's entry state is the course), ``induction_completed`` in the month the
  participant moves from the course to job search, a job or education (the simulation's
  completion), ``induction_dropout`` when the course is left otherwise;
* ``exit`` in the month the participant is first ``exited`` (before the 15th); it ends any
  open spell, so no ``job_end`` is written for it.

Days within those ranges vary with the participant and the month, so the settlement's
rules are exercised on more than one day of the month. Each municipality's participants
belong to one partnership (``p<kommunekode>``, other actor ``oa<kode>``, social enterprise
``se<kode>``), described on the referral rows.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from brobygger.model import WORLDS, CompiledScenario
from brobygger.pathways.states import (
    COMPLETION_TARGETS,
    EDUCATION,
    EXITED,
    IN_JOB,
    INDUCTION,
    JOB_ACCELERATOR,
    JOB_OTHER,
    STATES,
)
from brobygger.simulation.inputs import SimulationInputs
from brobygger.simulation.reference import walk
from brobygger.simulation.run import NO_HISTORY, ChunkDraws, Histories

NOT_YET = -1  # the state recorded for the months before a participant's referral


@dataclass(frozen=True)
class SimulatedPaths:
    """Every participant's monthly state in one draw, in both worlds."""

    compiled: CompiledScenario
    entry: np.ndarray  # (N,) int64 month index of the referral
    muni: np.ndarray  # (N,) int64 municipality index (into ``compiled.codes``)
    regime: np.ndarray  # (N,) int64 price regime
    profile: np.ndarray  # (N,) int64 profile drawn for the participant
    states: np.ndarray  # (W, N, T) int8 state index per world (WORLDS order); NOT_YET before

    @property
    def n(self) -> int:
        return len(self.entry)

    def programme(self) -> np.ndarray:
        """(N, T) the programme world's states: the pathways that produce events."""
        return self.states[WORLDS.index("programme")]


def record_paths(inputs: SimulationInputs, seed: int, d: int, draws: ChunkDraws, c_: int = 0,
                 history: Histories = NO_HISTORY) -> SimulatedPaths:
    """The monthly states of draw ``d`` (the ``c_``-th of ``draws``), as the simulation
    walked them (:func:`brobygger.simulation.reference.walk`; the same arguments as
    :func:`brobygger.simulation.reference.reference_draw`)."""
    part = inputs.participants
    T = inputs.compiled.T
    states = np.full((len(WORLDS), part.n, T), NOT_YET, dtype=np.int8)
    profile = np.zeros(part.n, dtype=np.int64)
    for i, p, k, s in walk(inputs, seed, d, draws, c_, history):
        t = int(part.entry[i]) + k
        states[0, i, t], states[1, i, t] = s
        profile[i] = p
    return SimulatedPaths(inputs.compiled, part.entry.copy(), part.muni.copy(),
                          part.regime.copy(), profile, states)


def participant_id(i: int) -> str:
    """The pseudonymous id a simulated participant gets in the events."""
    return f"sim{i:06d}"


def partnership_of(code: str) -> dict[str, str]:
    """The partnership of a municipality's simulated participants (one per municipality)."""
    return {"partnership": f"p{code}", "municipality": code, "other_actor": f"oa{code}",
            "social_enterprise": f"se{code}"}


def _start_day(i: int, t: int) -> int:
    return 15 + (7 * i + 3 * t) % 14  # 15..28: covers the month's last day


def _end_day(i: int, t: int) -> int:
    return 1 + (5 * i + t) % 14  # 1..14: the month's last day is not covered


def path_events(paths: SimulatedPaths) -> list[dict[str, str]]:
    """The programme world's pathways as event records (docs/events-schema.md).

    Each record maps event-file columns to text, ready for
    :func:`brobygger.payments.events.table_from_records` or :func:`write_events_csv`.
    Raises ``ValueError`` for a path the events cannot express (a move out of ``exited``).
    """
    c = paths.compiled
    jobs = c.scenario.jobs
    hours = {JOB_ACCELERATOR: f"{jobs.accelerator.hours_per_week:g}",
             JOB_OTHER: f"{jobs.other.hours_per_week:g}"}
    states = paths.programme()
    records: list[dict[str, str]] = []
    for i in range(paths.n):
        records += _participant_events(c, i, int(paths.entry[i]), states[i],
                                       c.codes[int(paths.muni[i])], hours)
    return records


def _participant_events(c: CompiledScenario, i: int, e: int, path: np.ndarray, code: str,
                        hours: dict[int, str]) -> list[dict[str, str]]:
    """One participant's events: referral in month ``e``, then every change of state."""
    who = participant_id(i)
    out: list[dict[str, str]] = []

    def add(kind: str, t: int, day: int, **extra: str) -> None:
        date = c.months[t].replace(day=day)
        out.append({"participant": who, "type": kind, "date": date.isoformat(), **extra})

    add("referral", e, 1, **partnership_of(code))
    prev = -1
    for t in range(e, c.T):
        s = int(path[t])
        if s == prev:
            continue
        if prev == EXITED:
            raise ValueError(f"participant {i} moves out of 'exited' in month {t}")
        end, start = (1, 1) if prev < 0 else (_end_day(i, t), _start_day(i, t))
        # leaving the previous state (an exit ends whatever is open)
        if prev == INDUCTION and s != EXITED:
            add("induction_completed" if COMPLETION_TARGETS[s] else "induction_dropout", t, end)
        elif prev >= 0 and IN_JOB[prev] and s != EXITED:
            add("job_end", t, end)
        elif prev == EDUCATION and s != EXITED:
            add("education_end", t, end)
        # entering the new one
        if s == INDUCTION:
            add("induction_start", t, start)
        elif IN_JOB[s]:
            add("job_start", t, start, state=STATES[s].value, hours_per_week=hours[s])
        elif s == EDUCATION:
            add("education_start", t, start)
        elif s == EXITED:
            add("exit", t, end)
        prev = s
    return out


def write_events_csv(path: Path | str, records: Sequence[Mapping[str, str]]) -> Path:
    """Write event records as a CSV events file (the columns of docs/events-schema.md)."""
    from brobygger.payments.events import COLUMNS

    path = Path(path)
    used = [col for col in COLUMNS if any(col in r for r in records)]
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=used)
        writer.writeheader()
        for r in records:
            writer.writerow({k: r.get(k, "") for k in used})
    return path


def last_day(c: CompiledScenario) -> dt.date:
    """The horizon's last day: no simulated event is later (an ``as_of`` for settlement)."""
    last = c.months[-1]
    return (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def settlement_contract(c: CompiledScenario, *, per_contract_cap: bool = True
                        ) -> dict[str, object]:
    """A contract file (as data) for settling :func:`path_events`: the scenario's contract
    and the partnerships of its municipalities. ``per_contract_cap=False`` drops the
    per-contract cap, which the simulation applies to the whole flow in ``assemble()``
    rather than payment by payment."""
    contract = c.scenario.contract.model_dump(mode="json", exclude_none=True)
    if not per_contract_cap:
        contract.setdefault("caps", {}).pop("per_contract", None)
    partnerships = [{"id": p.pop("partnership"), **p}
                    for p in (partnership_of(code) for code in c.codes)]
    return {"contract": contract, "partnerships": partnerships}
