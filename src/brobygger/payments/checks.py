"""Checking an event table against itself and the contract, and deriving each pathway.

:func:`check_events` returns every problem at once (file, row, reason) together with the
derived pathways: each participant's referral, partnership, first induction start and
completion, education and job spells, and exit. Spells are derived from start and end
events, never typed twice: the k-th end of a participant's jobs closes the k-th start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from pydantic import ValidationError

from brobygger.errors import Problem
from brobygger.payments.contract_file import ContractFile, Partnership
from brobygger.payments.events import CITIZEN_EVENTS, ENTERPRISE_EVENTS, NAT, TYPE, EventTable

OPEN = np.iinfo(np.int64).max  # the end day of a spell that has not ended


@dataclass(frozen=True, eq=False)
class Spells:
    participant: np.ndarray  # int32 participant code
    state: np.ndarray  # int8: 0 job_accelerator, 1 job_other (education: 0)
    start: np.ndarray  # int64 day
    end: np.ndarray  # int64 day, inclusive; OPEN if still going
    hours: np.ndarray  # float64
    event: np.ndarray  # int64 index of the start event in the table
    verified: np.ndarray  # bool: the start event is verified


@dataclass(frozen=True, eq=False)
class Pathways:
    """What settlement needs, per participant (arrays indexed by participant code)."""

    table: EventTable
    referral: np.ndarray  # int64 event index of the referral, -1 if none (or unverified)
    referral_day: np.ndarray  # int64 day, NAT if none
    partnership: np.ndarray  # int32 partnership code per participant
    partnerships: dict[int, Partnership]  # partnership code -> who is in it
    first_event: dict[str, np.ndarray]  # event type -> first verified event index, -1
    jobs: Spells
    education: Spells
    enterprise: np.ndarray  # indices of verified enterprise-side events


def _first_per_participant(t: EventTable, mask: np.ndarray, n: int) -> np.ndarray:
    """Index of each participant's earliest event among ``mask`` (ties: lowest row), or -1."""
    idx = np.flatnonzero(mask)
    out = np.full(n, -1, np.int64)
    if len(idx):
        order = np.lexsort((t.rows[idx], t.day[idx], t.participant[idx]))
        idx = idx[order]
        p = t.participant[idx]
        first = np.r_[True, p[1:] != p[:-1]]
        out[p[first]] = idx[first]
    return out


def _duplicates(t: EventTable, source: str) -> tuple[np.ndarray, list[Problem]]:
    """Rows whose content repeats an earlier row (and repeated ids): flagged, not used."""
    hours = np.where(np.isnan(t.hours), -1.0, t.hours)
    # an enterprise event is its partnership's, type, day, count, amount, enterprise and
    # employer (what its id is made from, EventTable.event_id): the columns a citizen's
    # event has besides are not compared for it
    ent = np.isin(t.type, [TYPE[k] for k in ENTERPRISE_EVENTS])

    def citizen(column: np.ndarray) -> np.ndarray:
        return np.where(ent, -2, column)

    keys = (t.count, t.amount, np.where(ent, -2.0, hours), citizen(t.state), t.employer,
            t.social_enterprise, citizen(t.other_actor), citizen(t.municipality),
            t.partnership, t.day, t.type, citizen(t.participant))
    order = np.lexsort((t.rows, *keys))
    same = np.ones(max(len(order) - 1, 0), bool)
    for k in keys:
        ks = k[order]
        same &= ks[1:] == ks[:-1]
    dup = np.zeros(len(t), bool)
    problems = []
    new_group = np.r_[True, ~same] if len(order) else np.zeros(0, bool)
    first_of = order[np.maximum.accumulate(np.where(new_group, np.arange(len(order)), 0))]
    for j in np.flatnonzero(same) + 1:
        i = order[j]
        dup[i] = True
        problems.append(Problem(source, f"row {t.rows[i]}", f"duplicate event: the same as "
                                f"row {t.rows[first_of[j]]}", "duplicate_event",
                                (("row", str(t.rows[first_of[j]])),)))
    given = np.flatnonzero(t.ids != "")
    seen: dict[str, int] = {}
    for i in given[np.argsort(t.rows[given], kind="stable")]:
        if t.ids[i] in seen and not dup[i]:
            dup[i] = True
            problems.append(Problem(source, f"row {t.rows[i]}", f"duplicate event id "
                                    f"{t.ids[i]!r} (also row {seen[t.ids[i]]})",
                                    "duplicate_event_id", (("id", repr(t.ids[i])),
                                                           ("row", str(seen[t.ids[i]])))))
        seen.setdefault(t.ids[i], int(t.rows[i]))
    return dup, problems


def _pair_spells(t: EventTable, keep: np.ndarray, start_type: str, end_type: str,
                 exit_day: np.ndarray, what: str, problems: list[Problem]) -> Spells:
    source = t.source
    starts = np.flatnonzero(keep & (t.type == TYPE[start_type]))
    ends = np.flatnonzero(keep & (t.type == TYPE[end_type]))
    starts = starts[np.lexsort((t.rows[starts], t.day[starts], t.participant[starts]))]
    ends = ends[np.lexsort((t.rows[ends], t.day[ends], t.participant[ends]))]

    def rank(idx: np.ndarray) -> np.ndarray:
        p = t.participant[idx]
        first = np.r_[True, p[1:] != p[:-1]] if len(p) else np.zeros(0, bool)
        group_start = np.maximum.accumulate(np.where(first, np.arange(len(p)), 0))
        return np.arange(len(p)) - group_start

    s_rank, e_rank = rank(starts), rank(ends)
    start_of = {(int(t.participant[i]), int(r)): int(i) for i, r in zip(starts, s_rank,
                                                                          strict=True)}
    end_of = {(int(t.participant[i]), int(r)): int(i) for i, r in zip(ends, e_rank, strict=True)}
    for (p, r), e in end_of.items():
        if (p, r) not in start_of:
            problems.append(Problem(source, f"row {t.rows[e]}", f"{what} end without a {what} "
                                    f"start for participant {t.label('participant', p)}",
                                    f"{what}_end_without_start",
                                    (("participant", t.label("participant", p)),)))
    n = len(starts)
    end_day = np.full(n, OPEN, np.int64)
    for k, (i, r) in enumerate(zip(starts, s_rank, strict=True)):
        p = int(t.participant[i])
        j = end_of.get((p, int(r)))
        if j is not None:
            end_day[k] = t.day[j]
            if t.day[j] < t.day[i]:
                problems.append(Problem(source, f"row {t.rows[j]}", f"{what} end "
                                        f"{_d(t.day[j])} is before its start {_d(t.day[i])} "
                                        f"(row {t.rows[i]})", f"{what}_end_before_start",
                                        (("end", _d(t.day[j])), ("start", _d(t.day[i])),
                                         ("row", str(t.rows[i])))))
        nxt = start_of.get((p, int(r) + 1))
        if nxt is not None and (j is None or t.day[nxt] < t.day[j]):
            open_until = "has no end" if j is None else f"ends {_d(t.day[j])}"
            if j is None or t.day[j] >= t.day[i]:
                context = (("start", _d(t.day[nxt])), ("row", str(t.rows[i])))
                problems.append(Problem(source, f"row {t.rows[nxt]}", f"a {what} starts on "
                                        f"{_d(t.day[nxt])} while the {what} from row "
                                        f"{t.rows[i]} is still open ({open_until})",
                                        f"{what}_still_open" if j is None else
                                        f"{what}_open_until",
                                        context if j is None else
                                        (*context, ("end", _d(t.day[j])))))
    who = t.participant[starts]
    exits = exit_day[who] if len(who) else np.zeros(0, np.int64)
    end_day = np.where((exits != NAT) & (exits < end_day), exits, end_day)
    return Spells(
        participant=who, state=np.maximum(t.state[starts], 0), start=t.day[starts], end=end_day,
        hours=t.hours[starts], event=starts.astype(np.int64), verified=t.verified[starts],
    )


def _month(days: np.ndarray) -> np.ndarray:
    """Days (since 1970-01-01) as month numbers; NAT stays NAT."""
    months = np.asarray(days).astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return np.where(days == NAT, NAT, months)


def _d(day: int) -> str:
    return str(np.datetime64(int(day), "D"))


def check_events(t: EventTable, cf: ContractFile | None, as_of: dt.date
                 ) -> tuple[Pathways, list[Problem]]:
    """Every problem in the events at once, and the pathways derived from the good ones.
    Without a contract file (``cf`` None) the partnerships are the referrals' own."""
    source = t.source
    problems: list[Problem] = []
    n_part = max(len(t.labels["participant"]), 1)  # one slot even with no participant
    dup, dup_problems = _duplicates(t, source)
    problems += dup_problems
    valid = (t.type >= 0) & (t.day != NAT)
    keep = valid & ~dup
    is_citizen = np.isin(t.type, [TYPE[x] for x in CITIZEN_EVENTS])
    is_enterprise = np.isin(t.type, [TYPE[x] for x in ENTERPRISE_EVENTS])

    def flag(mask: np.ndarray, kind: str, message: str | Callable[[int], str],
             **context: Callable[[int], str]) -> None:
        """A problem on each row of ``mask``: its message, and its context's values, made
        of the event's index."""
        for i in np.flatnonzero(mask):
            text = message(int(i)) if callable(message) else message
            problems.append(Problem(source, f"row {t.rows[i]}", text, kind, tuple(
                (name, value(int(i))) for name, value in context.items())))

    def who(i: int) -> str:
        return t.label("participant", t.participant[i])

    flag(keep & is_citizen & (t.participant < 0), "needs_participant",
         "a citizen event needs a participant")
    flag(keep & is_enterprise & (t.partnership < 0), "needs_partnership",
         "an enterprise event needs a partnership")
    today = np.datetime64(as_of, "D").astype(np.int64)
    flag(keep & (t.day > today), "future_date", lambda i: f"date {_d(t.day[i])} is in the "
         f"future (after {as_of})", date=lambda i: _d(t.day[i]), as_of=lambda i: str(as_of))
    job_start = keep & (t.type == TYPE["job_start"])
    flag(job_start & (t.state < 0), "job_start_state",
         "a job_start needs a state (job_accelerator or job_other)")
    flag(job_start & np.isnan(t.hours), "job_start_hours", "a job_start needs hours_per_week")

    # referrals: one per participant, with a partnership
    ref = keep & (t.type == TYPE["referral"]) & (t.participant >= 0)
    first_ref = _first_per_participant(t, ref, n_part)
    flag(ref & (first_ref[np.maximum(t.participant, 0)] != np.arange(len(t))),
         "referred_twice",
         lambda i: f"participant {t.label('participant', t.participant[i])} is referred twice "
         f"(first on row {t.rows[first_ref[t.participant[i]]]})",
         participant=who, row=lambda i: str(t.rows[first_ref[t.participant[i]]]))
    known = first_ref >= 0
    cit = keep & is_citizen & (t.participant >= 0)
    flag(cit & ~known[np.maximum(t.participant, 0)], "unknown_participant",
         lambda i: f"unknown participant {t.label('participant', t.participant[i])!r}: "
         "no referral event", participant=lambda i: repr(who(i)))
    first_day = t.day[np.maximum(first_ref, 0)] if len(t.day) else np.full(n_part, NAT)
    ref_day = np.where(known, first_day, NAT)
    pday = ref_day[np.maximum(t.participant, 0)]
    # a benefit_month is a month: the month of the referral is not before it
    monthly = t.type == TYPE["benefit_month"]
    early = np.where(monthly, _month(t.day) < _month(pday), t.day < pday)
    flag(cit & (pday != NAT) & early, "before_referral",
         lambda i: f"date {_d(t.day[i])} is before participant "
         f"{t.label('participant', t.participant[i])}'s referral on {_d(pday[i])}",
         date=lambda i: _d(t.day[i]), participant=who, referral=lambda i: _d(pday[i]))

    # partnerships: from the contract file, or described on the referral rows
    partnerships, pship_problems = _partnerships(t, cf, first_ref)
    problems += pship_problems
    code_of = {p: c for c, p in enumerate(t.labels["partnership"])}
    for i in np.flatnonzero(keep & is_enterprise & (t.partnership >= 0)):
        p = partnerships.get(int(t.partnership[i]))
        if p is None:
            problems.append(Problem(source, f"row {t.rows[i]}", f"unknown partnership "
                                    f"{t.label('partnership', t.partnership[i])!r}",
                                    "unknown_partnership", (("partnership", repr(
                                        t.label("partnership", t.partnership[i]))),)))
        elif t.social_enterprise[i] >= 0 and \
                t.label("social_enterprise", t.social_enterprise[i]) != p.social_enterprise:
            given = t.label("social_enterprise", t.social_enterprise[i])
            problems.append(Problem(source, f"row {t.rows[i]}", "social_enterprise "
                                    f"{given!r} is not partnership {p.id}'s "
                                    f"({p.social_enterprise})", "wrong_social_enterprise",
                                    (("given", repr(given)), ("partnership", p.id),
                                     ("its", p.social_enterprise))))
    del code_of

    # exits: at most one, and nothing after it
    exit_mask = keep & (t.type == TYPE["exit"]) & (t.participant >= 0)
    first_exit = _first_per_participant(t, exit_mask, n_part)
    flag(exit_mask & (first_exit[np.maximum(t.participant, 0)] != np.arange(len(t))),
         "already_exited", "the participant has already exited")
    exit_day = np.where(first_exit >= 0, t.day[np.maximum(first_exit, 0)], NAT)
    eday = exit_day[np.maximum(t.participant, 0)]
    flag(cit & (eday != NAT) & (t.day > eday), "after_exit",
         lambda i: f"date {_d(t.day[i])} is after the participant's exit on {_d(eday[i])}",
         date=lambda i: _d(t.day[i]), exit=lambda i: _d(eday[i]))

    # induction: a completion or drop-out follows a start
    ind_start = _first_per_participant(t, keep & (t.type == TYPE["induction_start"]), n_part)
    sday = np.where(ind_start >= 0, t.day[np.maximum(ind_start, 0)], NAT)
    ends = keep & np.isin(t.type, [TYPE["induction_completed"], TYPE["induction_dropout"]])
    ps = sday[np.maximum(t.participant, 0)]
    flag(ends & (t.participant >= 0) & ((ps == NAT) | (t.day < ps)), "no_induction_start",
         lambda i: f"{_type(t, i)} without an induction_start on or before {_d(t.day[i])}",
         type=lambda i: _type(t, i), date=lambda i: _d(t.day[i]))

    jobs = _pair_spells(t, keep & (t.participant >= 0), "job_start", "job_end", exit_day, "job",
                        problems)
    education = _pair_spells(t, keep & (t.participant >= 0), "education_start",
                             "education_end", exit_day, "education", problems)

    ok = keep & t.verified
    referral = np.where(known & t.verified[np.maximum(first_ref, 0)], first_ref, -1)
    first_event = {
        name: _first_per_participant(t, ok & (t.type == TYPE[name]), n_part)
        for name in ("induction_start", "induction_completed", "education_start")
    }
    pship = np.where(referral >= 0, t.partnership[np.maximum(referral, 0)], -1).astype(np.int32)
    problems.sort(key=lambda p: (int(p.location.split()[-1]) if p.location.startswith("row ")
                                 else 0))
    return Pathways(
        table=t, referral=referral, referral_day=np.where(referral >= 0, ref_day, NAT),
        partnership=pship, partnerships=partnerships, first_event=first_event, jobs=jobs,
        education=education, enterprise=np.flatnonzero(ok & is_enterprise),
    ), problems


def _type(t: EventTable, i: int) -> str:
    from brobygger.payments.events import EVENT_TYPES

    return EVENT_TYPES[int(t.type[i])]


def _partnerships(t: EventTable, cf: ContractFile | None, first_ref: np.ndarray
                  ) -> tuple[dict[int, Partnership], list[Problem]]:
    problems: list[Problem] = []
    codes = {label: c for c, label in enumerate(t.labels["partnership"])}
    out: dict[int, Partnership] = {codes[p.id]: p for p in (cf.partnerships if cf else ())
                                   if p.id in codes}
    described: dict[int, tuple[int, int, int, int]] = {}
    refs = first_ref[first_ref >= 0]
    combos = sorted({
        (int(a), int(b), int(c), int(d), int(r))
        for a, b, c, d, r in zip(t.partnership[refs], t.municipality[refs], t.other_actor[refs],
                                 t.social_enterprise[refs], t.rows[refs], strict=True)
    }, key=lambda x: x[4])
    seen_combo: set[tuple[int, int, int, int]] = set()
    for pc, mu, oa, se, row in combos:
        if (pc, mu, oa, se) in seen_combo:
            continue
        seen_combo.add((pc, mu, oa, se))
        where = f"row {row}"
        if pc < 0:
            problems.append(Problem(t.source, where, "a referral needs a partnership",
                                    "referral_partnership"))
            continue
        pid = t.label("partnership", pc)
        given = (mu >= 0, oa >= 0, se >= 0)
        if not any(given):
            if pc not in out:
                problems.append(Problem(t.source, where, f"partnership {pid!r} is not in the "
                                        "contract file: give municipality, other_actor and "
                                        "social_enterprise on the referral",
                                        "partnership_not_in_contract",
                                        (("partnership", repr(pid)),)))
            continue
        if not all(given):
            problems.append(Problem(t.source, where, "a referral that describes its partnership "
                                    "gives municipality, other_actor and social_enterprise",
                                    "partnership_incomplete"))
            continue
        try:
            this = Partnership(id=pid, municipality=t.label("municipality", mu),
                               other_actor=t.label("other_actor", oa),
                               social_enterprise=t.label("social_enterprise", se))
        except ValidationError as exc:
            problems.append(_described_wrong(exc, t.source, where))
            continue
        if pc in out and pc not in described and out[pc] != this.model_copy(
                update={"cap": out[pc].cap}):
            problems.append(Problem(t.source, where, f"partnership {pid!r} contradicts the "
                                    "contract file's", "partnership_contradicts",
                                    (("partnership", repr(pid)),)))
        elif pc in described:
            problems.append(Problem(t.source, where, f"partnership {pid!r} is described "
                                    "differently on another referral",
                                    "partnership_described_differently",
                                    (("partnership", repr(pid)),)))
        else:
            out.setdefault(pc, this)
            described[pc] = (pc, mu, oa, se)
    return out, problems


def _described_wrong(exc: ValidationError, source: str, where: str) -> Problem:
    """A partnership a referral describes that does not validate: each field and why. An
    unknown kommunekode (the one field a referral's text can get wrong) keeps its kind and
    code; the schema's other reasons are pydantic's English."""
    errors = exc.errors()
    message = "; ".join(f"{'.'.join(map(str, e['loc']))}: "
                        f"{e['msg'].removeprefix('Value error, ')}" for e in errors)
    if len(errors) == 1 and errors[0]["type"] == "unknown_municipality":
        field = ".".join(map(str, errors[0]["loc"]))
        code = str((errors[0].get("ctx") or {}).get("code", ""))
        return Problem(source, where, message, "field_unknown_municipality",
                       (("field", field), ("code", code)))
    return Problem(source, where, message, "invalid_partnership", (("reasons", message),))
