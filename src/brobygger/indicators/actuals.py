"""The programme's expected effects as they actually happened, counted from verified events.

Input is the core's event table (:class:`brobygger.payments.events.EventTable`, the schema of
``docs/events-schema.md``): from an event file (``read_events``), from in-memory records
(``table_from_records``; the web app's ``pathways.coreevents.records``), or built directly.

What counts (the same definitions as the pathway model in :mod:`brobygger.pathways.chains`):

========================  ===================================================================
``referrals``             participants referred (their ``referral``); no target, a denominator
``3B.1``                  participants who started the induction course (first
                          ``induction_start``)
``3B.2``                  participants who completed it (first ``induction_completed``)
``3B.3``                  participants whose first move out of the programme's own states
                          (referred, induction, jobseeking) is a job at the partnership's
                          accelerator enterprise (``job_start`` with ``state=job_accelerator``)
``3B.4``                  the same into a job at another enterprise (``state=job_other``)
``places``                education and internship places created (``place_created``, summed
                          ``count``)
``ordinary_hires``        ordinary unemployed hired by the enterprises (``ordinary_hire``,
                          summed ``count``)
``partnerships``          partnership cases: partnerships with at least one event, counted in
                          the month of their first event
``enterprises``           social enterprises taking part: distinct ``social_enterprise`` of the
                          referrals and enterprise events, counted in the month first seen
========================  ===================================================================

Each participant counts at most once per citizen indicator, in the month of the event that
makes it count. Events after ``as_of`` and (by default) unverified events are left out.

Everything is array work over the table (one pass, no loop per participant), so the web's
dashboard can count tens of thousands of participants per request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from brobygger.municipalities import municipalities
from brobygger.pathways.states import BENEFIT as BENEFIT_STATE
from brobygger.pathways.states import (
    EDUCATION,
    EXITED,
    IN_PROGRAMME,
    INDUCTION,
    JOB_ACCELERATOR,
    JOB_OTHER,
    JOBSEEKING,
    N_STATES,
    REFERRED,
    STATES,
)
from brobygger.payments.events import TYPE, EventTable
from brobygger.payments.period import month_index, month_label
from brobygger.scenario.schema import State

CITIZEN_CODES: tuple[str, ...] = ("referrals", "3B.1", "3B.2", "3B.3", "3B.4")
ENTERPRISE_CODES: tuple[str, ...] = ("places", "ordinary_hires")
STRUCTURE_CODES: tuple[str, ...] = ("partnerships", "enterprises")
#: every indicator counted from events, in display order
CODES: tuple[str, ...] = (*CITIZEN_CODES, *ENTERPRISE_CODES, *STRUCTURE_CODES)
_CODE = {c: i for i, c in enumerate(CODES)}

#: English labels (msgids: the web translates them)
LABELS: dict[str, str] = {
    "referrals": "Citizens referred",
    "3B.1": "Started the induction course",
    "3B.2": "Completed the induction course",
    "3B.3": "Employed at the accelerator enterprises",
    "3B.4": "Employed at other enterprises",
    "places": "Education and internship places created",
    "ordinary_hires": "Ordinary unemployed hired",
    "partnerships": "Partnership cases",
    "enterprises": "Social enterprises taking part",
}

#: the groupings every result carries; participant attributes add their own
BASE_GROUPINGS: tuple[str, ...] = ("partnership", "municipality", "region")
UNKNOWN = "unknown"

_NO_STATE = -1
#: the state a participant is in after an event of each type (-1: unchanged)
_STATE_AFTER = np.full(len(TYPE), _NO_STATE, dtype=np.int8)
for _name, _state in (("referral", REFERRED), ("induction_start", INDUCTION),
                      ("induction_completed", JOBSEEKING), ("induction_dropout", BENEFIT_STATE),
                      ("education_start", EDUCATION), ("education_end", BENEFIT_STATE),
                      ("job_end", BENEFIT_STATE), ("exit", EXITED)):
    _STATE_AFTER[TYPE[_name]] = _state


# ---------------------------------------------------------------------------- occurrences


@dataclass(frozen=True, eq=False)
class Occurrences:
    """One row per counted occurrence of an indicator (array columns, equal length).

    ``partnership`` and ``participant`` are codes into the table's labels
    (``table.labels["partnership"]`` / ``["participant"]``); ``participant`` is -1 for the
    enterprise-side and structure indicators.
    """

    code: np.ndarray  # int64 index into CODES
    month: np.ndarray  # int64 month index (year * 12 + month - 1)
    partnership: np.ndarray  # int64 partnership code, -1 if unknown
    participant: np.ndarray  # int64 participant code, -1 if none
    count: np.ndarray  # int64: 1 per participant; an enterprise row's ``count``

    def __len__(self) -> int:
        return len(self.code)


def _usable(table: EventTable, as_of: dt.date, verified_only: bool) -> np.ndarray:
    last_day = (as_of - dt.date(1970, 1, 1)).days
    keep = table.day <= last_day
    if verified_only:
        keep &= table.verified
    return keep


def _citizen_order(table: EventTable, keep: np.ndarray) -> np.ndarray:
    """Indices of the kept citizen events sorted by participant, day and row."""
    idx = np.flatnonzero(keep & (table.participant >= 0))
    return idx[np.lexsort((table.rows[idx], table.day[idx], table.participant[idx]))]


def participant_partnerships(table: EventTable) -> np.ndarray:
    """Partnership code of each participant code (from the referral; -1 if none)."""
    n = len(table.labels.get("participant", ()))
    out = np.full(n, -1, dtype=np.int64)
    ref = np.flatnonzero((table.type == TYPE["referral"]) & (table.participant >= 0))
    ref = ref[np.lexsort((table.rows[ref], table.day[ref]))][::-1]  # earliest written last
    out[table.participant[ref]] = table.partnership[ref]
    return out


def _states_after(table: EventTable, order: np.ndarray) -> np.ndarray:
    """The state after each event of ``order`` (citizen events sorted per participant)."""
    t = table.type[order]
    s = _STATE_AFTER[t].astype(np.int64)
    jobs = t == TYPE["job_start"]
    s[jobs] = np.where(table.state[order][jobs] == 0, JOB_ACCELERATOR, JOB_OTHER)
    # events that change nothing carry the previous state forward within the participant
    p = table.participant[order]
    starts = np.r_[True, p[1:] != p[:-1]] if len(p) else np.zeros(0, bool)
    pos = np.where((s != _NO_STATE) | starts, np.arange(len(s)), 0)
    np.maximum.accumulate(pos, out=pos)
    return s[pos]


def occurrences(table: EventTable, *, as_of: dt.date | None = None,
                verified_only: bool = True) -> Occurrences:
    """Every occurrence of every indicator in ``CODES`` (see the module's table)."""
    as_of = as_of or dt.date.today()
    keep = _usable(table, as_of, verified_only)
    month = table.month()
    partnership_of = participant_partnerships(table)
    parts: list[tuple[np.ndarray, ...]] = []

    def add(code: str, idx: np.ndarray, participant: np.ndarray | None = None,
            count: np.ndarray | None = None, partnership: np.ndarray | None = None) -> None:
        n = len(idx)
        parts.append((
            np.full(n, _CODE[code], dtype=np.int64), month[idx].astype(np.int64),
            (partnership if partnership is not None else table.partnership[idx]).astype(np.int64),
            (participant if participant is not None else np.full(n, -1)).astype(np.int64),
            (count if count is not None else np.ones(n)).astype(np.int64),
        ))

    order = _citizen_order(table, keep)
    p = table.participant[order]
    first_of_participant = np.r_[True, p[1:] != p[:-1]] if len(p) else np.zeros(0, bool)

    def first(mask: np.ndarray) -> np.ndarray:
        """Indices (into ``order``) of each participant's first event among ``mask``."""
        sel = np.flatnonzero(mask)
        if not len(sel):
            return sel
        return sel[np.r_[True, p[sel][1:] != p[sel][:-1]]]

    t = table.type[order]
    for code, kind in (("referrals", "referral"), ("3B.1", "induction_start"),
                       ("3B.2", "induction_completed")):
        i = first(t == TYPE[kind])
        add(code, order[i], p[i], partnership=partnership_of[p[i]])

    after = _states_after(table, order)
    before = np.r_[-1, after[:-1]] if len(after) else after
    before = np.where(first_of_participant, -1, before)
    was_in = (before >= 0) & IN_PROGRAMME[np.maximum(before, 0)]
    leaving = first(was_in & ~IN_PROGRAMME[after])
    for code, state in (("3B.3", JOB_ACCELERATOR), ("3B.4", JOB_OTHER)):
        i = leaving[after[leaving] == state]
        add(code, order[i], p[i], partnership=partnership_of[p[i]])

    for code, kind in (("places", "place_created"), ("ordinary_hires", "ordinary_hire")):
        idx = np.flatnonzero(keep & (table.type == TYPE[kind]))
        add(code, idx, count=table.count[idx])

    # structure: first event of each partnership, first sighting of each enterprise
    ev_partnership = np.where(table.participant >= 0,
                              partnership_of[np.maximum(table.participant, 0)], -1)
    ev_partnership = np.where(table.partnership >= 0, table.partnership, ev_partnership)
    idx_p = _first_by(ev_partnership, keep, table)
    add("partnerships", idx_p, partnership=ev_partnership[idx_p])
    idx_e = _first_by(table.social_enterprise.astype(np.int64), keep, table)
    add("enterprises", idx_e, partnership=ev_partnership[idx_e])

    cols = [np.concatenate(c) if c else np.zeros(0, np.int64) for c in zip(*parts, strict=True)]
    return Occurrences(*cols)


def _first_by(key: np.ndarray, keep: np.ndarray, table: EventTable) -> np.ndarray:
    """Index of the earliest kept event of each distinct key >= 0."""
    idx = np.flatnonzero(keep & (key >= 0))
    idx = idx[np.lexsort((table.rows[idx], table.day[idx], key[idx]))]
    k = key[idx]
    return idx[np.r_[True, k[1:] != k[:-1]]] if len(idx) else idx


# ------------------------------------------------------------------------------- grouping


def partnership_municipalities(table: EventTable) -> dict[str, str]:
    """Partnership id -> kommunekode, from the events that name both (referrals, enterprise
    events). A partnership named with two municipalities keeps its earliest one."""
    idx = np.flatnonzero((table.partnership >= 0) & (table.municipality >= 0))
    idx = idx[np.lexsort((table.rows[idx], table.day[idx]))][::-1]
    pairs = dict(zip(table.partnership[idx].tolist(), table.municipality[idx].tolist(),
                     strict=True))
    return {table.label("partnership", p): table.label("municipality", m)
            for p, m in pairs.items()}


def region_of(code: str) -> str:
    """The region of a kommunekode; ``UNKNOWN`` for a code not in the register."""
    register = municipalities()
    return register[code].region if code in register else UNKNOWN


@dataclass(frozen=True)
class Indicators:
    """Counts of every indicator in ``CODES``: totals, cumulative by month, and by group.

    ``cumulative[code][k]`` is the count up to the end of ``months[k]``; months run from
    ``start`` (or the first event) to ``as_of``; occurrences before ``start`` count in the
    first month. ``groups[grouping][key][code]``: groupings ``partnership`` (partnership id),
    ``municipality`` (kommunekode), ``region`` and one per participant attribute passed in.
    Attribute groupings hold the citizen indicators only (``CITIZEN_CODES``). Every code is
    present in every group (0 when none).
    """

    as_of: dt.date
    months: tuple[str, ...]
    totals: dict[str, int]
    cumulative: dict[str, tuple[int, ...]]
    groups: dict[str, dict[str, dict[str, int]]]
    municipality_of: dict[str, str] = field(default_factory=dict)

    def total(self, code: str) -> int:
        return self.totals[code]

    def group(self, grouping: str, key: str) -> dict[str, int]:
        """One group's counts (all codes 0 for a group with no occurrences)."""
        return self.groups[grouping].get(key, dict.fromkeys(CODES, 0))


def compute_indicators(
    table: EventTable, *, as_of: dt.date | None = None, start: dt.date | None = None,
    participant_attributes: Mapping[str, Mapping[str, str]] | None = None,
    verified_only: bool = True,
) -> Indicators:
    """Count every indicator from ``table`` as of ``as_of`` (default today).

    ``participant_attributes`` adds groupings by what the event file does not hold, e.g.
    ``{"gender": {"D-00001": "female", ...}}`` keyed by participant id; a participant missing
    from an attribute's mapping is grouped under ``UNKNOWN``.
    """
    as_of = as_of or dt.date.today()
    occ = occurrences(table, as_of=as_of, verified_only=verified_only)
    last = month_index(as_of)
    first = month_index(start) if start else int(occ.month.min()) if len(occ) else last
    first = min(first, last)
    months = tuple(month_label(m) for m in range(first, last + 1))
    n_codes, n_months = len(CODES), last - first + 1

    offset = np.clip(occ.month - first, 0, n_months - 1)
    grid = np.bincount(occ.code * n_months + offset, weights=occ.count,
                       minlength=n_codes * n_months).reshape(n_codes, n_months)
    cum = np.cumsum(grid, axis=1).astype(np.int64)
    totals = {c: int(cum[i, -1]) for i, c in enumerate(CODES)}
    cumulative = {c: tuple(cum[i].tolist()) for i, c in enumerate(CODES)}

    muni_of = partnership_municipalities(table)
    names = _partnership_names(table, muni_of)
    n_p = len(names["partnership"])
    where = np.where(occ.partnership < 0, n_p - 1, occ.partnership)
    cells = where * n_codes + occ.code
    sums = np.bincount(cells, weights=occ.count, minlength=n_p * n_codes).reshape(n_p, n_codes)
    hits = np.bincount(cells, minlength=n_p * n_codes).reshape(n_p, n_codes).sum(axis=1)
    groups = {grouping: _roll_up(sums, hits, labels, CODES) for grouping, labels in names.items()}

    participants = table.labels.get("participant", ())
    citizen = np.isin(occ.code, [_CODE[c] for c in CITIZEN_CODES])
    for name, values in (participant_attributes or {}).items():
        if name in groups:
            raise ValueError(f"participant attribute {name!r} clashes with a base grouping")
        by_code = np.array([str(values.get(p, UNKNOWN)) for p in participants] + [UNKNOWN],
                           dtype=object)
        sub = Occurrences(*(getattr(occ, f)[citizen] for f in _OCC_FIELDS))
        groups[name] = _grouped(sub, by_code[sub.participant], CITIZEN_CODES)
    return Indicators(as_of, months, totals, cumulative, groups, muni_of)


_OCC_FIELDS = ("code", "month", "partnership", "participant", "count")


def _grouped(occ: Occurrences, keys: np.ndarray, codes: Sequence[str] = CODES
             ) -> dict[str, dict[str, int]]:
    if not len(occ):
        return {}
    labels, inverse = np.unique(keys.astype(str), return_inverse=True)
    sums = np.bincount(inverse * len(CODES) + occ.code, weights=occ.count,
                       minlength=len(labels) * len(CODES)).reshape(len(labels), len(CODES))
    return {str(label): {c: int(sums[g, _CODE[c]]) for c in codes}
            for g, label in enumerate(labels)}


def _partnership_names(table: EventTable, muni_of: Mapping[str, str]) -> dict[str, list[str]]:
    """For each base grouping, the group of every partnership code (the last: unknown)."""
    partnerships = [*table.labels.get("partnership", ()), UNKNOWN]
    munis = [muni_of.get(p, UNKNOWN) for p in partnerships]
    return {"partnership": partnerships, "municipality": munis,
            "region": [region_of(m) for m in munis]}


def _roll_up(sums: np.ndarray, hits: np.ndarray, labels: Sequence[str], columns: Sequence
             ) -> dict:
    """Rows per partnership summed into their groups; groups without any hit are left out."""
    totals: dict[str, np.ndarray] = {}
    for i, label in enumerate(labels):
        if hits[i]:
            totals[label] = totals.get(label, 0) + sums[i]
    return {label: {c: int(row[j]) for j, c in enumerate(columns)}
            for label, row in sorted(totals.items())}


# ------------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class TargetRow:
    code: str
    label: str
    actual: int
    target: float | None
    share: float | None  # actual / target; None without a (positive) target


def against_targets(totals: Mapping[str, float], targets: Mapping[str, float],
                    codes: Iterable[str] = CODES) -> list[TargetRow]:
    """Actual against target for each code (in ``codes`` order), for bars and % of target."""
    rows = []
    for code in codes:
        target = targets.get(code)
        actual = totals.get(code, 0)
        share = actual / float(target) if target else None
        rows.append(TargetRow(code, LABELS.get(code, code), int(actual),
                              None if target is None else float(target), share))
    return rows


def target_path(target: float, start: dt.date, end: dt.date, months: Sequence[str]
                ) -> tuple[float, ...]:
    """The target as a cumulative line: 0 before ``start``'s month, rising evenly to
    ``target`` at the end of ``end``'s month, flat after; one value per ``months`` label."""
    if end < start:
        raise ValueError("end: the programme ends before it starts")
    a, b = month_index(start), month_index(end)
    span = b - a + 1
    out = []
    for label in months:
        m = int(label[:4]) * 12 + int(label[5:7]) - 1
        out.append(target * min(max(m - a + 1, 0), span) / span)
    return tuple(out)


# ------------------------------------------------------------------------------- pipeline


@dataclass(frozen=True)
class Pipeline:
    """Participants by current state as of ``as_of``, and at the end of each month.

    ``counts[state]`` is the number in each core :class:`State` now (every state present);
    ``by_month[state][k]`` at the end of ``months[k]``; ``groups[grouping][key][state]`` as
    in :class:`Indicators` (``partnership``, ``municipality``, ``region``, attributes).
    """

    as_of: dt.date
    counts: dict[State, int]
    months: tuple[str, ...]
    by_month: dict[State, tuple[int, ...]]
    groups: dict[str, dict[str, dict[State, int]]]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def current_states(table: EventTable, *, as_of: dt.date | None = None,
                   verified_only: bool = True) -> np.ndarray:
    """State index (``STATES`` order) of each participant code as of ``as_of``; -1 for a
    participant with no referral by then."""
    as_of = as_of or dt.date.today()
    keep = _usable(table, as_of, verified_only)
    order = _citizen_order(table, keep)
    out = np.full(len(table.labels.get("participant", ())), -1, dtype=np.int64)
    if len(order):
        after = _states_after(table, order)
        out[table.participant[order]] = after  # the last event of each participant wins
    return out


def compute_pipeline(
    table: EventTable, *, as_of: dt.date | None = None, start: dt.date | None = None,
    participant_attributes: Mapping[str, Mapping[str, str]] | None = None,
    verified_only: bool = True,
) -> Pipeline:
    """How many participants are in each state, now and at each month's end since ``start``
    (default: the first event's month)."""
    as_of = as_of or dt.date.today()
    keep = _usable(table, as_of, verified_only)
    order = _citizen_order(table, keep)
    after = _states_after(table, order)
    p = table.participant[order]
    month = table.month()[order]
    last = month_index(as_of)
    first = month_index(start) if start else int(month.min()) if len(month) else last
    first = min(first, last)
    n_months = last - first + 1

    # the state at a month's end is the one after the participant's last event in that month;
    # it holds until the month of the participant's next such event
    final = np.r_[(p[1:] != p[:-1]) | (month[1:] != month[:-1]), True] if len(p) else \
        np.zeros(0, bool)
    valid = final & (after >= 0)
    fp, fm, fs = p[valid], np.clip(month[valid] - first, 0, n_months - 1), after[valid]
    same_next = np.r_[fp[1:] == fp[:-1], False] if len(fp) else np.zeros(0, bool)
    until = np.where(same_next, np.r_[fm[1:], 0] if len(fm) else fm, n_months)
    delta = np.zeros((N_STATES, n_months + 1), dtype=np.int64)
    np.add.at(delta, (fs, fm), 1)
    np.add.at(delta, (fs, until), -1)
    occupied = np.cumsum(delta[:, :n_months], axis=1)

    now = np.full(len(table.labels.get("participant", ())), -1, dtype=np.int64)
    now[fp] = fs
    has = now >= 0
    counts = np.bincount(now[has], minlength=N_STATES)
    partnership_of = participant_partnerships(table)
    names = _partnership_names(table, partnership_municipalities(table))
    n_p = len(names["partnership"])
    where = np.where(partnership_of < 0, n_p - 1, partnership_of)[has]
    cells = where * N_STATES + now[has]
    sums = np.bincount(cells, minlength=n_p * N_STATES).reshape(n_p, N_STATES)
    groups = {grouping: _roll_up(sums, sums.sum(axis=1), labels, STATES)
              for grouping, labels in names.items()}
    participants = table.labels.get("participant", ())
    for name, values in (participant_attributes or {}).items():
        if name in groups:
            raise ValueError(f"participant attribute {name!r} clashes with a base grouping")
        keys = np.array([str(values.get(x, UNKNOWN)) for x in participants], dtype=object)
        groups[name] = _grouped_states(keys[has], now[has])
    return Pipeline(
        as_of, {s: int(counts[i]) for i, s in enumerate(STATES)},
        tuple(month_label(m) for m in range(first, last + 1)),
        {s: tuple(occupied[i].tolist()) for i, s in enumerate(STATES)}, groups,
    )


def _grouped_states(keys: np.ndarray, states: np.ndarray) -> dict[str, dict[State, int]]:
    if not len(keys):
        return {}
    labels, inverse = np.unique(keys.astype(str), return_inverse=True)
    sums = np.bincount(inverse * N_STATES + states, minlength=len(labels) * N_STATES)
    sums = sums.reshape(len(labels), N_STATES)
    return {str(label): {s: int(sums[g, i]) for i, s in enumerate(STATES)}
            for g, label in enumerate(labels)}


# ------------------------------------------------------------------------------ filtering


def restrict(table: EventTable, *, partnerships: Iterable[str] | None = None,
             municipalities: Iterable[str] | None = None,
             regions: Iterable[str] | None = None) -> EventTable:
    """The events of the chosen partnerships (ids), municipalities (kommunekoder) and/or
    regions; a citizen event belongs to the partnership of its participant's referral."""
    partnership_of = participant_partnerships(table)
    ev_p = np.where(table.participant >= 0, partnership_of[np.maximum(table.participant, 0)],
                    table.partnership).astype(np.int64)
    labels = table.labels.get("partnership", ())
    allowed = np.ones(len(labels) + 1, dtype=bool)
    allowed[-1] = partnerships is None and municipalities is None and regions is None
    muni_of = partnership_municipalities(table)
    if partnerships is not None:
        wanted = set(partnerships)
        allowed[:-1] &= [x in wanted for x in labels]
    if municipalities is not None:
        wanted = set(municipalities)
        allowed[:-1] &= [muni_of.get(x) in wanted for x in labels]
    if regions is not None:
        wanted = set(regions)
        allowed[:-1] &= [region_of(muni_of.get(x, "")) in wanted for x in labels]
    return table.select(allowed[ev_p])


def share_of_targets(targets: Mapping[str, float], part: int, whole: int) -> dict[str, float]:
    """Programme-wide targets scaled to ``part`` of ``whole`` partnerships (a municipality's
    or a partnership's share of the programme's expected effects)."""
    if whole <= 0 or not 0 <= part <= whole:
        raise ValueError(f"part: {part} of {whole} partnerships is not a share")
    return {code: value * part / whole for code, value in targets.items()}
