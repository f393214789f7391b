"""Which outcomes fired, when, for whom: array work over the derived pathways.

A month counts as a month *in* a job (or in education) when the spell covers the month's
last day: a job from 15 January to 14 March is a job in January and February. This is the
monthly state of the business-case model (the state at the end of each month), so the rate
card gives the same payments whether it is applied to simulated states or to real events.

Every function returns parallel arrays ``(participant, month, event)``: who, in which month
(``year * 12 + month - 1``) and the event that caused it.
"""

from __future__ import annotations

import numpy as np

from brobygger.payments.checks import OPEN, Pathways, Spells
from brobygger.payments.events import NAT, EventTable
from brobygger.scenario.schema import JOB_STATES, Trigger

_EPOCH_MONTH = 1970 * 12


def months_of(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) + _EPOCH_MONTH


def covered_months(spells: Spells, last_month: int) -> tuple[np.ndarray, np.ndarray]:
    """First and last month (inclusive) each spell covers at month end; last < first: none."""
    first = months_of(spells.start)
    open_ = spells.end == OPEN
    end = np.where(open_, 0, spells.end)
    end_month = months_of(end)
    is_month_end = months_of(end + 1) != end_month
    last = np.where(is_month_end, end_month, end_month - 1)
    last = np.where(open_, last_month, np.minimum(last, last_month))
    return first, last


def expand(spells: Spells, mask: np.ndarray, last_month: int
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One row per (spell, covered month): participant, month, spell index."""
    idx = np.flatnonzero(mask)
    first, last = covered_months(spells, last_month)
    first, last = first[idx], last[idx]
    length = np.maximum(last - first + 1, 0)
    spell = np.repeat(idx, length)
    offsets = np.arange(length.sum()) - np.repeat(np.cumsum(length) - length, length)
    month = np.repeat(first, length) + offsets
    return spells.participant[spell], month, spell


def _state_codes(trigger: Trigger) -> list[int]:
    return [JOB_STATES.index(s) for s in trigger.job_states]


def first_per_participant(p: np.ndarray, key: np.ndarray, value: np.ndarray
                          ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each participant, the row with the smallest key: (participant, key, value)."""
    if not len(p):
        return p, key, value
    order = np.lexsort((value, key, p))
    p, key, value = p[order], key[order], value[order]
    first = np.r_[True, p[1:] != p[:-1]]
    return p[first], key[first], value[first]


def once(pw: Pathways, event_type: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The first verified event of a type (referral, induction_start, …) per participant."""
    t = pw.table
    idx = pw.referral if event_type == "referral" else pw.first_event[event_type]
    participant = np.flatnonzero((idx >= 0) & (pw.referral >= 0))
    events = idx[participant]
    return participant.astype(np.int32), months_of(t.day[events]), events


def job_start(pw: Pathways, trigger: Trigger) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First entry into any of the trigger's job states, once per participant."""
    s = pw.jobs
    mask = s.verified & np.isin(s.state, _state_codes(trigger)) & (pw.referral[s.participant]
                                                                   >= 0)
    p, day, event = first_per_participant(s.participant[mask], s.start[mask], s.event[mask])
    return p, months_of(day), event


def job_sustained(pw: Pathways, trigger: Trigger, first_month: int, last_month: int
                  ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The month a participant completes ``months`` consecutive months in one job state."""
    s = pw.jobs
    n_part = len(pw.referral)
    months = last_month - first_month + 1
    need = int(trigger.months or 0)
    best_month = np.full(n_part, np.iinfo(np.int64).max)
    best_event = np.full(n_part, -1, np.int64)
    if months <= 0:
        return np.zeros(0, np.int32), np.zeros(0, np.int64), np.zeros(0, np.int64)
    for state in _state_codes(trigger):
        mask = (s.verified & (s.state == state) & (s.hours >= trigger.min_hours_per_week)
                & (pw.referral[s.participant] >= 0))
        p, m, spell = expand(s, mask, last_month)
        keep = m >= first_month
        p, m, spell = p[keep], m[keep], spell[keep]
        covered = np.zeros((n_part, months), bool)
        covered[p, m - first_month] = True
        # run length of consecutive covered months, then the first month it reaches `need`
        run = np.zeros(n_part, np.int32)
        hit = np.full(n_part, -1, np.int64)
        for k in range(months):
            run = np.where(covered[:, k], run + 1, 0)
            newly = (run == need) & (hit < 0)
            hit[newly] = k
        fired = np.flatnonzero(hit >= 0)
        month = hit[fired] + first_month
        better = month < best_month[fired]
        fired, month = fired[better], month[better]
        best_month[fired] = month
        # the event: the start of the spell that covers the month it fired
        sel = best_month[p] == m
        key = p[sel].astype(np.int64) * (1 << 20) + m[sel]
        order = np.argsort(key, kind="stable")
        pos = np.searchsorted(key[order], fired.astype(np.int64) * (1 << 20) + month)
        best_event[fired] = s.event[spell[sel][order][pos]]
    fired = np.flatnonzero(best_event >= 0)
    return fired.astype(np.int32), best_month[fired], best_event[fired]


def off_benefit_months(pw: Pathways, first_month: int, last_month: int
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every month a participant is in a job or in education (at month end)."""
    parts = []
    for spells in (pw.jobs, pw.education):
        mask = spells.verified & (pw.referral[spells.participant] >= 0)
        p, m, spell = expand(spells, mask, last_month)
        parts.append((p, m, spells.event[spell]))
    p = np.concatenate([x[0] for x in parts])
    m = np.concatenate([x[1] for x in parts])
    ev = np.concatenate([x[2] for x in parts])
    keep = m >= first_month
    p, m, ev = p[keep], m[keep], ev[keep]
    if not len(p):
        return p.astype(np.int32), m, ev
    order = np.lexsort((ev, m, p))
    p, m, ev = p[order], m[order], ev[order]
    first = np.r_[True, (p[1:] != p[:-1]) | (m[1:] != m[:-1])]
    return p[first].astype(np.int32), m[first], ev[first]


def enterprise(pw: Pathways, event_type: str) -> np.ndarray:
    """Indices of the verified enterprise-side events of one type."""
    from brobygger.payments.events import TYPE

    t: EventTable = pw.table
    idx = pw.enterprise
    return idx[t.type[idx] == TYPE[event_type]]


def referral_months(pw: Pathways) -> np.ndarray:
    day = np.where(pw.referral_day == NAT, 0, pw.referral_day)
    return np.where(pw.referral >= 0, months_of(day), -1)
