"""The payment ledger: immutable double-entry records and the validators that check them.

Entries are immutable records (``NamedTuple``: cheap to build by the million, as in
beancount), money is ``Decimal`` DKK to the øre. A transaction's postings
sum to exactly zero: the payer's posting is negative (money leaves), the payees' are positive.
Accounts are ``kind:id`` strings — ``municipality:101``, ``other_actor:aa-1``,
``social_enterprise:se-1``, ``investor:fund``, ``esf``, ``state``.

The ledger is append-only. A transaction's ``id`` is its idempotency key: the same payment
settled twice has the same id and is added once. A payment that turns out to be wrong is never
edited: a ``reversal`` transaction (id ``reverse:<id>``) cancels it in an open period, and the
right payment follows as a new revision (id ``<key>#2``, ``#3``…).

Validators are small functions ``validate_x(entries) -> list[Problem]`` so that every problem
is listed at once; :func:`validate` runs them all.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Literal, NamedTuple, get_args

from brobygger.errors import Problem
from brobygger.payments.period import Period, month_index

CURRENCY = "DKK"
ORE = Decimal("0.01")
ZERO = Decimal("0.00")

Kind = Literal["payment", "reversal", "drawdown", "repayment"]
KINDS: tuple[str, ...] = get_args(Kind)


def to_money(value: object) -> Decimal:
    """A DKK amount rounded to the øre, half to even (floats go through their repr).

    >>> to_money(0.125), to_money("10"), to_money(2.675)
    (Decimal('0.12'), Decimal('10.00'), Decimal('2.68'))
    """
    return Decimal(repr(value) if isinstance(value, float) else str(value)).quantize(
        ORE, rounding=ROUND_HALF_EVEN
    )


def ore(value: object) -> int:
    """A DKK amount as whole øre (an integer)."""
    return int(to_money(value) * 100)


_ORE_CACHE: dict[int, Decimal] = {}


def from_ore(amount: int) -> Decimal:
    """Whole øre as a two-decimal ``Decimal`` (cached: settlement makes millions of these)."""
    try:
        return _ORE_CACHE[amount]
    except KeyError:
        value = _ORE_CACHE[amount] = Decimal(amount).scaleb(-2)
        return value


def split(amount: Decimal, shares: Sequence[tuple[str, float]]) -> list[tuple[str, Decimal]]:
    """Split ``amount`` by shares; each part rounds half to even, the last takes the rest.

    >>> split(Decimal("100.01"), [("a", 0.5), ("b", 0.5)])
    [('a', Decimal('50.00')), ('b', Decimal('50.01'))]
    """
    parts: list[tuple[str, Decimal]] = []
    left = amount
    for name, share in shares[:-1]:
        part = (amount * Decimal(repr(float(share)))).quantize(ORE, rounding=ROUND_HALF_EVEN)
        parts.append((name, part))
        left -= part
    parts.append((shares[-1][0], left))
    return parts


class Posting(NamedTuple):
    account: str
    amount: Decimal  # positive: the account receives; negative: it pays


class Meta(NamedTuple):
    """Where a transaction came from: the contract clause, the subject and the events."""

    key: str  # the payment's key; revisions of one payment share it
    contract: str = ""
    outcome: str = ""  # the contract clause (an INDIGO outcome pricing id)
    participant: str = ""  # empty for enterprise-side outcomes
    partnership: str = ""
    trigger_month: str = ""  # YYYY-MM the outcome was achieved
    due_month: str = ""  # YYYY-MM the payment falls due (trigger month + lag)
    events: tuple[str, ...] = ()  # ids of the verified events that caused it
    gross: Decimal = ZERO  # price before caps
    unpaid: Decimal = ZERO  # what a cap withheld
    cap: str = ""  # which cap bound: participant, partnership or contract
    reverses: str = ""  # for a reversal: the id of the transaction it cancels
    batch: str = ""  # the settlement that wrote it


class Transaction(NamedTuple):
    id: str  # the idempotency key: unique in a ledger
    date: dt.date
    kind: Kind
    narration: str
    postings: tuple[Posting, ...]
    meta: Meta

    @property
    def amount(self) -> Decimal:
        """The money moved: the sum of the positive postings."""
        return sum((p.amount for p in self.postings if p.amount > 0), ZERO)

    @property
    def payer(self) -> str:
        return next((p.account for p in self.postings if p.amount < 0), "")

    def signature(self) -> tuple[tuple[str, Decimal], ...]:
        """What a payment *is*, for comparing a settled payment with a recomputed one."""
        return tuple(sorted((p.account, p.amount) for p in self.postings))


class Close(NamedTuple):
    """From this entry on, no transaction may be dated in ``period``."""

    period: Period
    date: dt.date  # the day it was closed


Entry = Transaction | Close


def reversal(txn: Transaction, date: dt.date, batch: str = "") -> Transaction:
    """The transaction that cancels ``txn``: the same postings with the sign turned."""
    return Transaction(
        id=f"reverse:{txn.id}",
        date=date,
        kind="reversal",
        narration=f"reversal of {txn.id}",
        postings=tuple(Posting(p.account, -p.amount) for p in txn.postings),
        meta=txn.meta._replace(reverses=txn.id, batch=batch),
    )


def transactions(entries: Iterable[Entry]) -> list[Transaction]:
    return [e for e in entries if isinstance(e, Transaction)]


def closed_periods(entries: Iterable[Entry]) -> list[Period]:
    return [e.period for e in entries if isinstance(e, Close)]


def is_closed(entries: Iterable[Entry], month: int) -> bool:
    return any(p.contains(month) for p in closed_periods(entries))


def live_payments(entries: Iterable[Entry]) -> dict[str, Transaction]:
    """The payment currently standing for each key (payments not yet reversed)."""
    live: dict[str, Transaction] = {}
    for txn in transactions(entries):
        if txn.kind == "payment":
            live[txn.meta.key] = txn
        elif txn.kind == "reversal":
            current = live.get(txn.meta.key)
            if current is not None and current.id == txn.meta.reverses:
                del live[txn.meta.key]
    return live


def revisions(entries: Iterable[Entry]) -> dict[str, int]:
    """How many payments (revisions) each key has had."""
    count: dict[str, int] = defaultdict(int)
    for txn in transactions(entries):
        if txn.kind == "payment":
            count[txn.meta.key] += 1
    return count


def balances(
    entries: Iterable[Entry], period: Period | None = None, by_period: bool = False
) -> dict[str, Decimal] | dict[tuple[str, str], Decimal]:
    """Net amount per account (received minus paid), optionally within one period.

    With ``by_period`` the keys are ``(account, YYYY-MM)``: a table a report can pivot.
    """
    out: dict = defaultdict(lambda: ZERO)
    for txn in transactions(entries):
        month = month_index(txn.date)
        if period is not None and not period.contains(month):
            continue
        label = f"{txn.date:%Y-%m}"
        for p in txn.postings:
            out[(p.account, label) if by_period else p.account] += p.amount
    return dict(sorted(out.items()))


# ---------------------------------------------------------------- validators


def _where(txn: Transaction) -> str:
    return f"transaction {txn.id}"


def validate_balanced(entries: Iterable[Entry], source: str = "ledger") -> list[Problem]:
    """Every transaction's postings sum to zero, in whole øre, with at least two postings."""
    txns = transactions(entries)
    # settlement shares one postings tuple between equal payments: check each tuple once
    shared = {id(txn.postings): txn.postings for txn in txns}
    verdict = {key: found for key, postings in shared.items()
               if (found := _posting_problems(postings))}
    if not verdict:
        return []
    return [Problem(source, _where(txn), *said) for txn in txns
            for said in verdict.get(id(txn.postings), ())]


_Said = tuple[str, str, tuple[tuple[str, str], ...]]  # a problem's message, kind and context


def _posting_problems(postings: tuple[Posting, ...]) -> list[_Said]:
    out: list[_Said] = []
    total = sum((p.amount for p in postings), ZERO)
    if total != 0:
        out.append((f"does not balance: sums to {total}", "unbalanced", (("sum", str(total)),)))
    if len(postings) < 2:
        out.append(("needs at least two postings", "too_few_postings", ()))
    out += [(f"{p.account}: {p.amount} is not whole øre", "not_whole_ore",
             (("account", p.account), ("amount", str(p.amount)))) for p in postings
            if p.amount != p.amount.quantize(ORE)]
    return out


def validate_unique_ids(entries: Iterable[Entry], source: str = "ledger") -> list[Problem]:
    seen: set[str] = set()
    problems: list[Problem] = []
    txns = transactions(entries)
    if len({txn.id for txn in txns}) == len(txns):
        return problems  # every id once (the usual case: no need to find which repeat)
    for txn in txns:
        if txn.id in seen:
            problems.append(Problem(source, _where(txn), "idempotency key used twice",
                                    "key_used_twice"))
        seen.add(txn.id)
    return problems


def validate_closed_periods(entries: Sequence[Entry], source: str = "ledger") -> list[Problem]:
    """No transaction is dated in a period that was closed before it was written."""
    closed: list[Period] = []
    problems: list[Problem] = []
    if not any(isinstance(entry, Close) for entry in entries):
        return problems  # nothing closed: nothing can be dated in a closed period
    for entry in entries:
        if isinstance(entry, Close):
            closed.append(entry.period)
            continue
        month = month_index(entry.date)
        for period in closed:
            if period.contains(month):
                problems.append(Problem(source, _where(entry),
                                        f"dated {entry.date} in closed period {period}",
                                        "in_closed_period", (("date", str(entry.date)),
                                                             ("period", str(period)))))
    return problems


def validate_reversals(entries: Iterable[Entry], source: str = "ledger") -> list[Problem]:
    """A reversal cancels an earlier payment exactly, and only once."""
    seen: dict[str, Transaction] = {}
    reversed_ids: set[str] = set()
    problems: list[Problem] = []
    txns = transactions(entries)
    if not any(txn.kind == "reversal" for txn in txns):
        return problems  # no reversal to check (a fresh ledger's settlement)
    for txn in txns:
        if txn.kind == "reversal":
            original = seen.get(txn.meta.reverses)
            if original is None:
                problems.append(Problem(source, _where(txn), f"reverses {txn.meta.reverses!r}, "
                                        "which is not an earlier transaction",
                                        "reverses_unknown", (("id", repr(txn.meta.reverses)),)))
            elif txn.signature() != tuple(sorted((a, -x) for a, x in original.signature())):
                problems.append(Problem(source, _where(txn), "does not mirror the transaction "
                                        "it reverses", "reversal_not_mirror"))
            if txn.meta.reverses in reversed_ids:
                problems.append(Problem(source, _where(txn), f"{txn.meta.reverses} is reversed "
                                        "twice", "reversed_twice", (("id", txn.meta.reverses),)))
            reversed_ids.add(txn.meta.reverses)
        seen[txn.id] = txn
    return problems


def validate_verified_events(
    entries: Iterable[Entry], verified: set[str], source: str = "ledger"
) -> list[Problem]:
    """Every payment names at least one event, and each of them is a verified event."""
    problems = []
    for txn in transactions(entries):
        if txn.kind != "payment" or not txn.meta.outcome:
            continue
        if not txn.meta.events:
            problems.append(Problem(source, _where(txn), "names no event that caused it",
                                    "no_event_named"))
        unknown = [e for e in txn.meta.events if e not in verified]
        if unknown:
            problems.append(Problem(source, _where(txn), "pays for unverified or unknown "
                                    f"event(s) {', '.join(unknown)}", "unverified_events",
                                    (("events", ", ".join(unknown)),)))
    return problems


def validate_caps(
    entries: Iterable[Entry],
    per_participant: Decimal | None = None,
    per_partnership: dict[str, Decimal] | Decimal | None = None,
    per_contract: Decimal | None = None,
    citizen_outcomes: set[str] | None = None,
    source: str = "ledger",
) -> list[Problem]:
    """Standing payments per participant, per partnership and per contract stay under caps.

    ``citizen_outcomes`` names the outcomes that count toward the per-participant cap
    (default: every outcome with a participant).
    """
    live = live_payments(entries).values()
    problems = []
    by_participant: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_partnership: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_contract: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for txn in live:
        m = txn.meta
        if m.participant and (citizen_outcomes is None or m.outcome in citizen_outcomes):
            by_participant[m.participant] += txn.amount
        by_partnership[m.partnership] += txn.amount
        by_contract[m.contract] += txn.amount
    if per_participant is not None:
        for who, total in sorted(by_participant.items()):
            if total > per_participant:
                problems.append(over_cap(source, f"participant {who}", total, per_participant,
                                         "participant"))
    if per_partnership is not None:
        for who, total in sorted(by_partnership.items()):
            cap = per_partnership.get(who) if isinstance(per_partnership, dict) \
                else per_partnership
            if cap is not None and total > cap:
                problems.append(over_cap(source, f"partnership {who}", total, cap,
                                         "partnership"))
    if per_contract is not None:
        for who, total in sorted(by_contract.items()):
            if total > per_contract:
                problems.append(over_cap(source, f"contract {who}", total, per_contract,
                                         "contract"))
    return problems


def over_cap(source: str, where: str, paid: Decimal, cap: Decimal,
             per: Literal["participant", "partnership", "contract"]) -> Problem:
    """Standing payments past a cap (``per`` participant, partnership or contract)."""
    return Problem(source, where, f"paid {paid}, past the cap of {cap} per {per}",
                   f"over_{per}_cap", (("paid", str(paid)), ("cap", str(cap))))


def validate(entries: Sequence[Entry], source: str = "ledger") -> list[Problem]:
    """Every structural check at once (caps and events need the contract: see settle)."""
    return [
        *validate_balanced(entries, source),
        *validate_unique_ids(entries, source),
        *validate_closed_periods(entries, source),
        *validate_reversals(entries, source),
    ]
