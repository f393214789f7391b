"""Settlement: from verified events and a rate card to ledger transactions for one period.

The pipeline is one-way and pure — read → check → fire triggers → price → cap → lag →
post — and every step returns its problems instead of raising, so a settlement lists every
problem at once and writes nothing unless there is none.

Settlement always recomputes every payment from the whole event history up to the period's
end, then compares it with the ledger: a payment already standing with the same postings is
left alone (settling twice adds nothing); one that is missing is added; one that is no longer
right is reversed — in this (open) period, never by editing a closed one — and its right
amount, if any, follows as a new revision. Caps are applied in a fixed order (month the
outcome was achieved, then the contract's order of outcomes, then participant id), so
payments already settled never change because later ones arrive.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from brobygger.errors import Problem
from brobygger.payments import triggers as tr
from brobygger.payments.checks import Pathways, check_events
from brobygger.payments.contract_file import ContractFile
from brobygger.payments.events import NAT, EventTable
from brobygger.payments.ledger import (
    ZERO,
    Entry,
    Meta,
    Posting,
    Transaction,
    closed_periods,
    from_ore,
    live_payments,
    ore,
    over_cap,
    reversal,
    revisions,
    split,
    transactions,
)
from brobygger.payments.period import Period, month_end, month_label, month_start
from brobygger.scenario.schema import CITIZEN_TRIGGERS, Outcome

CAP_NAMES = ("", "participant", "partnership", "contract")
_BIG = np.iinfo(np.int64).max // 4


@dataclass(frozen=True, eq=False)
class PaymentTable:
    """Every outcome payment up to a month, as columns, in the order caps are applied."""

    outcome: np.ndarray  # int16 index into contract.outcomes
    participant: np.ndarray  # int32 participant code, -1 for enterprise-side outcomes
    partnership: np.ndarray  # int32 partnership code
    trigger: np.ndarray  # int64 month index the outcome was achieved
    due: np.ndarray  # int64 month index the payment falls due
    gross: np.ndarray  # int64 øre before caps
    paid: np.ndarray  # int64 øre after caps
    cap: np.ndarray  # int8 index into CAP_NAMES: the first cap that bound
    event: np.ndarray  # int64 index of the event that caused it
    referral: np.ndarray  # int64 index of the referral event (prices date from it), -1

    def __len__(self) -> int:
        return len(self.outcome)

    def take(self, idx: np.ndarray) -> PaymentTable:
        return PaymentTable(**{k: getattr(self, k)[idx] for k in self.__dataclass_fields__})


@dataclass(frozen=True, eq=False)
class Settlement:
    """A settlement's result: the new ledger entries, the statement lines and any problems."""

    period: Period
    contract: ContractFile
    pathways: Pathways | None
    payments: PaymentTable | None  # all payments due up to the period's end
    entries: tuple[Transaction, ...]  # what to append to the ledger (nothing if problems)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def due_in_period(self) -> PaymentTable:
        assert self.payments is not None
        p = self.payments
        return p.take(np.flatnonzero((p.due >= self.period.first) & (p.due <= self.period.last)))


def _lag(cf: ContractFile, o: Outcome) -> int:
    return o.lag_months if o.lag_months is not None else cf.contract.lag_months


def _price_table(o: Outcome, days: np.ndarray, source: str, what: str
                 ) -> tuple[np.ndarray, np.ndarray, list[Problem]]:
    """Price in øre and validity for each day (a referral or event date)."""
    problems = []
    uniq, inverse = np.unique(days, return_inverse=True)
    price = np.zeros(len(uniq), np.int64)
    valid = np.zeros(len(uniq), bool)
    for k, day in enumerate(uniq):
        date = dt.date.fromordinal(dt.date(1970, 1, 1).toordinal() + int(day))
        if (o.valid_from and date < o.valid_from) or (o.valid_to and date > o.valid_to):
            continue
        try:
            price[k] = ore(o.price_at(date))
            valid[k] = True
        except ValueError as exc:  # the schema's "outcome 'x' has no price on <date>"
            problems.append(Problem(source, f"outcome {o.id}", f"{exc} ({what} {date})",
                                    f"no_price_on_{what.split()[0]}_date",
                                    (("outcome", repr(o.id)), ("date", str(date)))))
    return price[inverse], valid[inverse], problems


def compute_payments(pw: Pathways, cf: ContractFile, last_month: int
                     ) -> tuple[PaymentTable, list[Problem]]:
    """Fire every outcome up to ``last_month`` (the trigger month), price it, apply caps."""
    t = pw.table
    source = cf.source or "contract"
    problems: list[Problem] = []
    ref_month = tr.referral_months(pw)
    first_month = int(ref_month[ref_month >= 0].min()) if (ref_month >= 0).any() else last_month
    cols: dict[str, list[np.ndarray]] = {k: [] for k in PaymentTable.__dataclass_fields__}
    for k, o in enumerate(cf.contract.outcomes):
        kind = o.trigger.type
        if kind in CITIZEN_TRIGGERS:
            if kind == "job_start":
                p, m, ev = tr.job_start(pw, o.trigger)
            elif kind == "job_sustained":
                p, m, ev = tr.job_sustained(pw, o.trigger, first_month, last_month)
            elif kind == "off_benefit_month":
                p, m, ev = tr.off_benefit_months(pw, first_month, last_month)
            else:
                p, m, ev = tr.once(pw, kind)
            keep = (m <= last_month) & (m >= ref_month[p])
            p, m, ev = p[keep], m[keep], ev[keep]
            ref = pw.referral[p]
            price, valid, price_problems = _price_table(o, pw.referral_day[p], source,
                                                        "referral date")
            pship = pw.partnership[p]
        else:
            ev = tr.enterprise(pw, kind)
            m = tr.months_of(t.day[ev])
            keep = m <= last_month
            ev, m = ev[keep], m[keep]
            p = np.full(len(ev), -1, np.int32)
            ref = np.full(len(ev), -1, np.int64)
            price, valid, price_problems = _price_table(o, t.day[ev], source, "event date")
            price = price * t.count[ev]
            pship = t.partnership[ev]
        problems += price_problems
        sel = valid
        n = int(sel.sum())
        cols["outcome"].append(np.full(n, k, np.int16))
        cols["participant"].append(p[sel].astype(np.int32))
        cols["partnership"].append(pship[sel].astype(np.int32))
        cols["trigger"].append(m[sel].astype(np.int64))
        cols["due"].append(m[sel].astype(np.int64) + _lag(cf, o))
        cols["gross"].append(price[sel].astype(np.int64))
        cols["event"].append(ev[sel].astype(np.int64))
        cols["referral"].append(ref[sel].astype(np.int64))
    arrays = {k: np.concatenate(v) if v else np.zeros(0, np.int64) for k, v in cols.items()
              if k not in ("paid", "cap")}
    order = np.lexsort((_enterprise_rank(t, arrays["event"], arrays["participant"]),
                        arrays["participant"], arrays["outcome"], arrays["trigger"]))
    arrays = {k: v[order] for k, v in arrays.items()}
    paid, cap = apply_caps(cf, pw, arrays)
    return PaymentTable(paid=paid, cap=cap, **arrays), problems


def _enterprise_rank(t: EventTable, event: np.ndarray, participant: np.ndarray) -> np.ndarray:
    """A tie-break among enterprise events that depends on content only, not file order."""
    rank = np.zeros(len(event), np.int64)
    ent = np.flatnonzero(participant < 0)
    if len(ent):
        ev = event[ent]
        keys = (t.employer[ev], t.social_enterprise[ev], t.amount[ev], t.count[ev], t.day[ev],
                t.partnership[ev])
        rank[ent[np.lexsort(keys)]] = np.arange(len(ent))
    return rank


def _grouped_cap(amount: np.ndarray, group: np.ndarray, cap: np.ndarray) -> np.ndarray:
    """Pay each amount in order until its group's cap is reached (cap per row, øre)."""
    if not len(amount):
        return amount
    return np.clip(cap - _before(amount, group), 0, amount)


def _before(amount: np.ndarray, group: np.ndarray) -> np.ndarray:
    """What the rows before each row of its group (in order) add up to."""
    if not len(amount):
        return amount
    order = np.argsort(group, kind="stable")
    a, g = amount[order], group[order]
    csum = np.cumsum(a)
    start = np.r_[True, g[1:] != g[:-1]]
    offset = np.maximum.accumulate(np.where(start, np.arange(len(a)), 0))
    out = np.empty_like(amount)
    out[order] = csum - a - (csum[offset] - a[offset])
    return out


def apply_caps(cf: ContractFile, pw: Pathways, cols: dict[str, np.ndarray]
               ) -> tuple[np.ndarray, np.ndarray]:
    """Per participant (citizen-side outcomes), per partnership, per contract, in order.

    Caps nest (a participant in one partnership, a partnership in one contract), so capping
    stage by stage on what the previous stage let through is the same as reducing each
    payment, in order, to what is left under every cap at once.
    """
    caps = cf.contract.caps
    gross = cols["gross"]
    paid = gross.copy()
    citizen = cols["participant"] >= 0
    # each cap's group and limit per row (None: the cap is not set)
    stages: list[tuple[np.ndarray, np.ndarray, np.ndarray] | None] = [None, None, None]
    if caps.per_participant is not None and citizen.any():
        idx = np.flatnonzero(citizen)
        stages[0] = (idx, cols["participant"][idx],
                     np.full(len(idx), ore(caps.per_participant), np.int64))
    labels = pw.table.labels["partnership"]
    per_pship = np.array([_pship_cap(cf, labels[c]) for c in range(len(labels))] or [_BIG],
                         np.int64)
    if (per_pship < _BIG).any():
        stages[1] = (np.arange(len(paid)), cols["partnership"], per_pship[cols["partnership"]])
    if caps.per_contract is not None:
        stages[2] = (np.arange(len(paid)), np.zeros(len(paid), np.int64),
                     np.full(len(paid), ore(caps.per_contract), np.int64))
    for stage in stages:
        if stage is not None:
            idx, group, cap = stage
            paid[idx] = _grouped_cap(paid[idx], group, cap)
    # the cap that bound a payment cut short: the one with the least room left when it fell
    # due, on what was actually paid before it (the narrowest of those with as little), not
    # the first stage that cut it (a participant's cap counted on prices the partnership's
    # cap had already cut)
    room = np.full((3, len(paid)), _BIG, np.int64)
    for k, stage in enumerate(stages):
        if stage is not None:
            idx, group, cap = stage
            room[k, idx] = cap - _before(paid[idx], group)
    cut = paid < gross
    cap_code = np.where(cut, 1 + np.argmin(room, axis=0), 0).astype(np.int8)
    return paid, cap_code


def _sums(values: np.ndarray, group: np.ndarray, n: int) -> np.ndarray:
    """Whole-øre sums of ``values`` per group 0..n-1 (int64: money is never a float here)."""
    out = np.zeros(n, np.int64)
    np.add.at(out, group, values)
    return out


def cap_audit(cf: ContractFile, pw: Pathways, pay: PaymentTable) -> list[Problem]:
    """What the caps promise, checked on the payments before anything is posted: no
    payment below zero or above its price, and every participant (citizen-side outcomes),
    partnership and the contract within its cap. A failure is a fault in the capping:
    nothing is written."""
    source = cf.source or "contract"
    labels = pw.table.labels
    problems = []
    for i in np.flatnonzero((pay.paid < 0) | (pay.paid > pay.gross))[:10]:
        paid, price = from_ore(int(pay.paid[i])), from_ore(int(pay.gross[i]))
        problems.append(Problem(source, "settlement", f"a payment of {paid} for a price of "
                                f"{price}", "payment_not_price",
                                (("paid", str(paid)), ("price", str(price)))))
    caps = cf.contract.caps
    citizen = pay.participant >= 0
    if caps.per_participant is not None and citizen.any():
        limit = ore(caps.per_participant)
        totals = _sums(pay.paid[citizen], pay.participant[citizen],
                       len(labels["participant"]))
        for who in np.flatnonzero(totals > limit):
            problems.append(over_cap(source, f"participant {labels['participant'][who]}",
                                     from_ore(int(totals[who])), from_ore(limit),
                                     "participant"))
    names = labels["partnership"]
    totals = _sums(pay.paid, pay.partnership, len(names))
    for pc in np.flatnonzero(totals > 0):
        limit = _pship_cap(cf, names[pc])
        if totals[pc] > limit:
            problems.append(over_cap(source, f"partnership {names[pc]}",
                                     from_ore(int(totals[pc])), from_ore(limit),
                                     "partnership"))
    if caps.per_contract is not None and int(pay.paid.sum()) > ore(caps.per_contract):
        problems.append(over_cap(source, f"contract {cf.contract.id}",
                                 from_ore(int(pay.paid.sum())),
                                 from_ore(ore(caps.per_contract)), "contract"))
    return problems


def _pship_cap(cf: ContractFile, pid: str) -> int:
    p = cf.partnership(pid)
    if p is not None and p.cap is not None:
        return ore(p.cap)
    cap = cf.contract.caps.per_partnership
    return ore(cap) if cap is not None else _BIG


# ---------------------------------------------------------------- posting


class _Poster:
    """Turns payment rows into transactions; caches accounts, splits and labels."""

    def __init__(self, pw: Pathways, cf: ContractFile, batch: str):
        self.pw, self.cf, self.batch = pw, cf, batch
        self.t = pw.table
        self._accounts: dict[tuple[int, int], tuple[str, list[tuple[str, float]]]] = {}
        self._splits: dict[tuple[int, int, int], tuple[Posting, ...]] = {}
        self._months: dict[int, str] = {}
        self.cid = cf.contract.id
        self.plabels = self.t.labels["participant"]
        self.klabels = self.t.labels["partnership"]
        self.outcomes = cf.contract.outcomes

    def month(self, m: int) -> str:
        label = self._months.get(m)
        if label is None:
            label = self._months[m] = month_label(m)
        return label

    def accounts(self, k: int, pc: int) -> tuple[str, list[tuple[str, float]]]:
        key = (k, pc)
        if key not in self._accounts:
            o = self.outcomes[k]
            p = self.pw.partnerships[pc]
            investor = self.cf.investor.id if self.cf.investor else "investor"
            parties = {"municipality": f"municipality:{p.municipality}", "state": "state",
                       "esf": "esf", "investor": f"investor:{investor}",
                       "other_actor": f"other_actor:{p.other_actor}",
                       "social_enterprise": f"social_enterprise:{p.social_enterprise}"}
            self._accounts[key] = (parties[o.payer],
                                   [(parties[name], share) for name, share in o.payees.items()])
        return self._accounts[key]

    def postings(self, k: int, pc: int, amount: int) -> tuple[Posting, ...]:
        key = (k, pc, amount)
        cached = self._splits.get(key)
        if cached is None:
            payer, payees = self.accounts(k, pc)
            total = from_ore(amount)
            parts = split(total, payees)
            cached = (Posting(payer, -total), *(Posting(a, x) for a, x in parts))
            self._splits[key] = cached
        return cached


class _Rows:
    """A payment table's columns as Python lists: fast to index one row at a time; with
    each row's events named (:meth:`events`)."""

    def __init__(self, pay: PaymentTable, idx: np.ndarray, table: EventTable):
        def col(values: np.ndarray) -> list[int]:
            out: list[int] = values[idx].tolist()
            return out

        self.outcome = col(pay.outcome)
        self.participant = col(pay.participant)
        self.partnership = col(pay.partnership)
        self.trigger = col(pay.trigger)
        self.due = col(pay.due)
        self.gross = col(pay.gross)
        self.paid = col(pay.paid)
        self.cap = col(pay.cap)
        self.n = len(idx)
        # every event a row names, named once (most rows have an event of their own)
        event, referral = pay.event[idx], pay.referral[idx]
        named = np.unique(np.concatenate([event, referral[referral >= 0]]))
        names = table.event_ids(named)
        self.event_id = [names[i] for i in np.searchsorted(named, event).tolist()]
        own = (referral < 0) | (referral == event)  # the event is the referral itself
        at = np.searchsorted(named, np.where(own, event, referral)).tolist()
        self.referral_id = [None if o else names[i] for o, i in zip(own.tolist(), at,
                                                                     strict=True)]

    def events(self, j: int) -> tuple[str, ...]:
        """The referral (the price's date) and the event that fired, or the event alone."""
        ref = self.referral_id[j]
        return (self.event_id[j],) if ref is None else (ref, self.event_id[j])


def _keys(poster: _Poster, r: _Rows) -> list[str]:
    cid = poster.cf.contract.id
    oid = [o.id for o in poster.outcomes]
    out = []
    for j in range(r.n):
        p = r.participant[j]
        who = poster.plabels[p] if p >= 0 else r.event_id[j]
        out.append(f"{cid}:{oid[r.outcome[j]]}:{who}:{poster.month(r.trigger[j])}")
    return out


def _transaction(poster: _Poster, r: _Rows, j: int, key: str, txn_id: str, date: dt.date
                 ) -> Transaction:
    k, pc, p = r.outcome[j], r.partnership[j], r.participant[j]
    o = poster.outcomes[k]
    events = r.events(j)
    gross, paid = r.gross[j], r.paid[j]
    return Transaction(
        txn_id, date, "payment", o.label, poster.postings(k, pc, paid),
        Meta(key, poster.cid, o.id, poster.plabels[p] if p >= 0 else "", poster.klabels[pc],
             poster.month(r.trigger[j]), poster.month(r.due[j]), events, from_ore(gross),
             from_ore(gross - paid), CAP_NAMES[r.cap[j]], "", poster.batch),
    )


def post(pay: PaymentTable, pw: Pathways, cf: ContractFile, period: Period,
         entries: Sequence[Entry], batch: str = "") -> list[Transaction]:
    """The transactions that bring the ledger in line with ``pay`` up to the period's end."""
    poster = _Poster(pw, cf, batch)
    live = {k: v for k, v in live_payments(entries).items() if v.meta.contract == cf.contract.id}
    revs = revisions(entries) if live or entries else {}
    start = period.start
    out: list[Transaction] = []
    r = _Rows(pay, np.flatnonzero((pay.due <= period.last) & (pay.paid > 0)), pw.table)
    keys = _keys(poster, r)
    dates = {due: max(month_start(due), start) for due in set(r.due)}
    for j, key in enumerate(keys):
        date = dates[r.due[j]]
        standing = live.get(key)
        if standing is None:
            txn_id = key if not revs.get(key) else f"{key}#{revs[key] + 1}"
            out.append(_transaction(poster, r, j, key, txn_id, date))
            continue
        fresh = _transaction(poster, r, j, key, standing.id, date)
        if fresh.signature() == standing.signature() and fresh.meta.events == \
                standing.meta.events:
            continue
        out.append(reversal(standing, max(standing.date, start), batch))
        out.append(_transaction(poster, r, j, key, f"{key}#{revs[key] + 1}", date))
    wanted = set(keys)
    last = month_label(period.last)
    for key, standing in sorted(live.items()):
        if key not in wanted and standing.meta.due_month <= last:
            out.append(reversal(standing, max(standing.date, start), batch))
    out.sort(key=lambda x: (x.date, x.meta.key, x.kind != "reversal", x.id))
    return out


def settle(
    table: EventTable,
    cf: ContractFile,
    period: Period,
    entries: Sequence[Entry] = (),
    *,
    as_of: dt.date | None = None,
    batch: str = "",
    problems: Sequence[Problem] = (),
) -> Settlement:
    """Settle one period. ``problems`` are those found while reading the events file.

    With any problem, ``entries`` is empty: nothing is written unless everything is valid.
    """
    with _no_gc():
        return _settle(table, cf, period, entries, as_of=as_of, batch=batch,
                       problems=problems)


@contextmanager
def _no_gc() -> Iterator[None]:
    """Settlement makes a million acyclic records: cyclic GC passes over them are waste."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _settle(table: EventTable, cf: ContractFile, period: Period, entries: Sequence[Entry],
            *, as_of: dt.date | None, batch: str, problems: Sequence[Problem]) -> Settlement:
    as_of = as_of or dt.date.today()
    found = list(problems)
    if month_end(period.last) > as_of:
        found.append(Problem("--period", period.label, f"ends {month_end(period.last)}, after "
                             f"{as_of}: only a period that has ended can be settled (what "
                             "happens in its last months is not known yet)",
                             "period_not_ended", (("end", str(month_end(period.last))),
                                                  ("as_of", str(as_of)))))
    # periods are settled in order: a later period's settlement already paid what fell due
    # before it, so an earlier period settled after it would date its reversals after
    # itself (even in a closed period)
    later = max((t.date for t in transactions(entries)
                 if t.meta.contract == cf.contract.id and t.date > month_end(period.last)),
                default=None)
    if later is not None:
        found.append(Problem("ledger", f"period {period}", f"the ledger already holds this "
                             f"contract's payments dated {later}, after the period: periods "
                             "are settled in order (a correction to this one is posted in "
                             "the next open period)", "settled_later",
                             (("date", str(later)),)))
    for closed in closed_periods(entries):
        if closed.overlaps(period):
            found.append(Problem("ledger", f"period {period}", f"overlaps closed period "
                                 f"{closed}: settle an open period (corrections to a closed "
                                 "period are posted in the next open one)",
                                 "overlaps_closed_period", (("closed", str(closed)),)))
    pw, event_problems = check_events(table, cf, as_of)
    found += event_problems
    found.sort(key=_problem_order)
    if found:
        return Settlement(period, cf, pw, None, (), found)
    pay, price_problems = compute_payments(pw, cf, period.last)
    price_problems += cap_audit(cf, pw, pay)
    if price_problems:
        return Settlement(period, cf, pw, pay, (), price_problems)
    new = post(pay, pw, cf, period, entries, batch)
    from brobygger.payments.ledger import validate

    ledger_problems = validate([*entries, *new])
    return Settlement(period, cf, pw, pay, () if ledger_problems else tuple(new),
                      ledger_problems)


def _problem_order(p: Problem) -> tuple[str, int]:
    row = p.location.split()[-1] if p.location.startswith("row ") else ""
    return (p.source, int(row) if row.isdigit() else 0)


def total_paid(txns: Sequence[Transaction]) -> Decimal:
    return sum((t.amount if t.kind == "payment" else -t.amount for t in txns), ZERO)


def verified_event_ids(pw: Pathways) -> set[str]:
    t = pw.table
    ok = np.flatnonzero(t.verified & (t.day != NAT))
    return set(t.event_ids(ok))
