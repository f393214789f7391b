"""The indicators counted from events follow the pathway model's own definitions: random
monthly state paths, written as the events that make them, give the same 3B.1–3B.4 counts in
the same months as the contract chain (``pathways.chains.ContractRules``) that ``expect`` and
the simulation use."""

from __future__ import annotations

import datetime as dt
import random

import numpy as np

from brobygger.indicators import compute_indicators, compute_pipeline
from brobygger.pathways.chains import INDICATOR_CODES, ContractRules
from brobygger.pathways.states import INDEX, STATES
from brobygger.payments.events import table_from_records
from brobygger.payments.period import month_label, month_start
from brobygger.scenario.schema import State

S = State
#: the moves an event file can express, and the events that make each one
MOVES: dict[State, dict[State, tuple[str, ...]]] = {
    S.referred: {S.induction: ("induction_start",), S.job_accelerator: ("job_start",),
                 S.job_other: ("job_start",), S.education: ("education_start",),
                 S.exited: ("exit",)},
    S.induction: {S.jobseeking: ("induction_completed",),
                  S.job_accelerator: ("induction_completed", "job_start"),
                  S.job_other: ("induction_completed", "job_start"),
                  S.education: ("induction_completed", "education_start"),
                  S.benefit: ("induction_dropout",), S.exited: ("exit",)},
    S.jobseeking: {S.job_accelerator: ("job_start",), S.job_other: ("job_start",),
                   S.education: ("education_start",), S.exited: ("exit",)},
    S.job_accelerator: {S.benefit: ("job_end",), S.job_other: ("job_end", "job_start"),
                        S.exited: ("exit",)},
    S.job_other: {S.benefit: ("job_end",), S.job_accelerator: ("job_end", "job_start"),
                  S.exited: ("exit",)},
    S.education: {S.benefit: ("education_end",), S.job_other: ("education_end", "job_start"),
                  S.exited: ("exit",)},
    S.benefit: {S.induction: ("induction_start",), S.job_accelerator: ("job_start",),
                S.job_other: ("job_start",), S.education: ("education_start",),
                S.exited: ("exit",)},
    S.exited: {},
}
FIRST_MONTH = 2019 * 12  # January 2019


def random_path(rng: random.Random, months: int) -> list[State]:
    path = [S.referred]
    for _ in range(months - 1):
        options = list(MOVES[path[-1]])
        path.append(rng.choice(options) if options and rng.random() < 0.35 else path[-1])
    return path


def events_of(who: str, path: list[State]) -> list[dict[str, object]]:
    day = month_start(FIRST_MONTH).isoformat()
    out: list[dict[str, object]] = [{"participant": who, "type": "referral", "date": day,
                                     "partnership": "p", "municipality": "101",
                                     "other_actor": "o", "social_enterprise": "s"}]
    for m in range(1, len(path)):
        if path[m] == path[m - 1]:
            continue
        day = month_start(FIRST_MONTH + m).isoformat()
        for kind in MOVES[path[m - 1]][path[m]]:
            event: dict[str, object] = {"participant": who, "type": kind, "date": day}
            if kind == "job_start":
                event.update(state=path[m].value, hours_per_week=30)
            out.append(event)
    return out


def chain_events(path: list[State]) -> np.ndarray:
    """(months, 4) indicator events of the path, as the contract chain counts them."""
    rules = ContractRules.build([], None)
    key, _, first = rules.transition(None, INDEX[path[0]], 1)
    out = [first[0]]
    for state in path[1:]:
        key, _, ev = rules.transition(key, INDEX[state])
        out.append(ev[0])
    return np.array(out)


def test_event_counts_equal_the_chain_s_month_by_month():
    rng = random.Random(2018)
    months = 36
    records: list[dict[str, object]] = []
    expected = np.zeros((months, len(INDICATOR_CODES)), dtype=np.int64)
    final: dict[State, int] = dict.fromkeys(STATES, 0)
    for n in range(400):
        path = random_path(rng, months)
        records += events_of(f"x{n:03d}", path)
        expected += chain_events(path)
        final[path[-1]] += 1
    table, problems = table_from_records(records)
    assert problems == []
    as_of = dt.date.fromisoformat(month_label(FIRST_MONTH + months - 1) + "-28")
    ind = compute_indicators(table, as_of=as_of)
    assert len(ind.months) == months
    for i, code in enumerate(INDICATOR_CODES):
        assert ind.cumulative[code] == tuple(np.cumsum(expected[:, i]).tolist()), code
    assert min(ind.totals[c] for c in INDICATOR_CODES) > 0  # every indicator was exercised
    assert compute_pipeline(table, as_of=as_of).counts == final
