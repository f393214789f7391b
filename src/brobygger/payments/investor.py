"""Investor pre-financing: drawdowns, the repayment waterfall, cash flows, IRR and multiple.

The investor lends the providers money up front (``drawdowns``). Each month a share of what
the providers receive in outcome payments goes down the waterfall, in this order:

1. the return accrued on the outstanding principal (``return_rate`` a year, monthly);
2. the principal;
3. once both are repaid, ``success_fee_share`` of what is left goes to the investor.

If outcomes fall short, principal stays outstanding at the end: the investor loses it. All
amounts are ``Decimal`` DKK to the øre.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import BinaryIO

from brobygger.payments.contract_file import Investor
from brobygger.payments.ledger import (
    ORE,
    ZERO,
    Entry,
    Meta,
    Posting,
    Transaction,
    live_payments,
    to_money,
)
from brobygger.payments.period import month_index, month_label, month_start


@dataclass(frozen=True)
class Flow:
    month: str  # YYYY-MM
    drawn: Decimal  # lent to the providers this month
    interest: Decimal  # return paid this month
    principal: Decimal  # principal repaid this month
    success_fee: Decimal
    outstanding: Decimal  # principal outstanding after this month
    accrued: Decimal = ZERO  # return accrued and not yet paid, after this month

    @property
    def first_day(self) -> dt.date:
        return dt.date.fromisoformat(self.month + "-01")

    @property
    def index(self) -> int:
        """The month's index (:func:`brobygger.payments.period.month_index`), as receipts
        are keyed."""
        return month_index(self.first_day)

    @property
    def net(self) -> Decimal:
        """The investor's cash flow: repayments in, drawdowns out."""
        return self.interest + self.principal + self.success_fee - self.drawn


@dataclass(frozen=True)
class InvestorResult:
    investor: str
    flows: tuple[Flow, ...]

    @property
    def invested(self) -> Decimal:
        return sum((f.drawn for f in self.flows), ZERO)

    @property
    def received(self) -> Decimal:
        return sum((f.interest + f.principal + f.success_fee for f in self.flows), ZERO)

    @property
    def accrued(self) -> Decimal:
        """Return owed and not yet paid at the end."""
        return self.flows[-1].accrued if self.flows else ZERO

    @property
    def loss(self) -> Decimal:
        """Principal never repaid (zero when the investor is repaid in full)."""
        return self.flows[-1].outstanding if self.flows else ZERO

    @property
    def money_multiple(self) -> Decimal | None:
        if not self.invested:
            return None
        return (self.received / self.invested).quantize(Decimal("0.0001"))

    @property
    def irr(self) -> float | None:
        """Annual IRR from the monthly cash flows: −1 when something was invested and
        nothing came back (the whole stake lost, where no rate makes the flows worth zero),
        None when it has no root otherwise."""
        if self.invested and not self.received:
            return -1.0
        monthly = irr([float(f.net) for f in self.flows])
        return None if monthly is None else (1 + monthly) ** 12 - 1


def npv(rate: float, flows: Sequence[float]) -> float:
    """Net present value of flows at periods 0, 1, 2, …

    >>> abs(npv(0.1, [-100, 110])) < 1e-9
    True
    """
    total, factor = 0.0, 1.0
    for cf in flows:
        total += cf / factor
        factor *= 1 + rate
    return total


def _npv_sign(rate: float, flows: Sequence[float]) -> float:
    """The flows' value at their last period (Horner's rule): the NPV times a positive
    factor, so of the same sign and with the same roots, and finite over any span at the
    rates :func:`irr` tries."""
    value = 0.0
    for cf in flows:
        value = value * (1 + rate) + cf
    return value


def irr(flows: Sequence[float], low: float = -0.9999, high: float = 10.0,
        tol: float = 1e-12, max_iter: int = 300) -> float | None:
    """The rate per period at which the flows' NPV is zero, by bisection.

    Bisection needs the NPV to change sign between ``low`` and ``high``; when it does not
    (all flows of one sign, or no flows) there is no IRR and the answer is None. For
    conventional flows (outlays first, then receipts) the NPV falls as the rate rises and
    the root is unique.

    >>> round(irr([-100, 110]), 10)
    0.1
    >>> round(irr([-100, 50, 40]), 6)  # a loss: negative IRR
    -0.069926
    >>> irr([100, 10]) is None
    True
    """
    if not flows or all(f >= 0 for f in flows) or all(f <= 0 for f in flows):
        return None
    # trailing zeros change no rate's NPV, but each would scale the value at the last
    # period by (1 + rate), down to an exact zero near a rate of −100 %
    flows = list(flows)
    while flows[-1] == 0:
        flows.pop()
    npv = _npv_sign  # the root of the NPV is the root of this, which neither overflows nor
    # divides by a discount factor that underflows to zero over a long span
    f_low, f_high = npv(low, flows), npv(high, flows)
    if f_low == 0:
        return low
    if f_low * f_high > 0:
        return None
    for _ in range(max_iter):
        mid = (low + high) / 2
        f_mid = npv(mid, flows)
        if f_mid == 0 or (high - low) / 2 < tol:
            return mid
        if (f_mid > 0) == (f_low > 0):
            low, f_low = mid, f_mid
        else:
            high = mid
    return (low + high) / 2


def _q(x: Decimal) -> Decimal:
    return x.quantize(ORE, rounding=ROUND_HALF_EVEN)


def waterfall(spec: Investor, receipts: Mapping[int, Decimal], last_month: int | None = None
              ) -> InvestorResult:
    """Run the waterfall month by month over drawdowns and provider receipts (by month)."""
    drawn_by: dict[int, Decimal] = {}
    for d in spec.drawdowns:
        m = month_index(dt.date.fromisoformat(d.month + "-01"))
        drawn_by[m] = drawn_by.get(m, ZERO) + to_money(d.amount)
    months = [*drawn_by, *receipts]
    if not months:
        return InvestorResult(spec.id, ())
    first, last = min(months), max([*months, last_month or 0])
    monthly_rate = Decimal(repr((1 + spec.return_rate) ** (1 / 12) - 1))
    share = Decimal(repr(spec.share_of_payments))
    fee_share = Decimal(repr(spec.success_fee_share))
    outstanding = accrued = invested = ZERO
    flows = []
    for m in range(first, last + 1):
        drawn = drawn_by.get(m, ZERO)
        # the return compounds: what is owed and not yet paid, the return included, earns
        accrued += _q((outstanding + accrued) * monthly_rate)
        outstanding += drawn
        invested += drawn
        cash = _q(receipts.get(m, ZERO) * share)
        interest = min(cash, accrued)
        accrued -= interest
        cash -= interest
        principal = min(cash, outstanding)
        outstanding -= principal
        cash -= principal
        # a success fee once everything invested so far is repaid with its return (not
        # before anything is invested)
        repaid = invested > 0 and outstanding == 0 and accrued == 0
        fee = _q(cash * fee_share) if repaid else ZERO
        flows.append(Flow(month_label(m), drawn, interest, principal, fee, outstanding,
                          accrued))
    return InvestorResult(spec.id, tuple(flows))


def provider_receipts(entries: Sequence[Entry], providers: Callable[[str], bool] | None = None
                      ) -> dict[int, Decimal]:
    """Outcome payments standing in the ledger, received by providers, by month."""
    is_provider = providers or (lambda a: a.startswith(("other_actor:", "social_enterprise:")))
    out: dict[int, Decimal] = {}
    for t in live_payments(entries).values():
        m = month_index(t.date)
        for p in t.postings:
            if p.amount > 0 and is_provider(p.account):
                out[m] = out.get(m, ZERO) + p.amount
    return out


def investor_position(spec: Investor, entries: Sequence[Entry], through: int | None = None,
                      contract: str | None = None) -> tuple[InvestorResult, dict[int, Decimal]]:
    """The investor's position as the ledger stands: the waterfall over the drawdowns and
    what the providers who drew receive in outcome payments of ``contract`` (all contracts'
    when None; :func:`provider_receipts`: a payment since reversed is not counted, nor one
    the investor itself pays), both up to month ``through`` when given (month index; the
    return accrues to its end). Returns the waterfall and the providers' receipts by
    month."""
    account = f"investor:{spec.id}"
    entries = [e for e in entries if not isinstance(e, Transaction) or (
        (contract is None or e.meta.contract == contract)
        and all(p.account != account for p in e.postings))]
    drawn_later = [d for d in spec.drawdowns if through is not None and month_index(
        dt.date.fromisoformat(d.month + "-01")) > through]
    if drawn_later:
        spec = spec.model_copy(update={"drawdowns": [
            d for d in spec.drawdowns if d not in drawn_later]})
    drawers = {d.provider for d in spec.drawdowns}
    receipts = {m: x for m, x in provider_receipts(entries, lambda a: a in drawers).items()
                if through is None or m <= through}
    return waterfall(spec, receipts, through), receipts


def investor_transactions(result: InvestorResult, spec: Investor) -> list[Transaction]:
    """Drawdowns and repayments as ledger transactions (provider ↔ investor:<id>)."""
    investor = f"investor:{spec.id}"
    provider = spec.drawdowns[0].provider if spec.drawdowns else "providers"
    out = []
    for d in spec.drawdowns:
        key = f"drawdown:{spec.id}:{d.provider}:{d.month}"
        amount = to_money(d.amount)
        out.append(Transaction(key, month_start(month_index(dt.date.fromisoformat(
            d.month + "-01"))), "drawdown", f"pre-financing from {spec.id}",
            (Posting(investor, -amount), Posting(d.provider, amount)), Meta(key=key)))
    for f in result.flows:
        repaid = f.interest + f.principal + f.success_fee
        if repaid:
            key = f"repayment:{spec.id}:{f.month}"
            out.append(Transaction(key, f.first_day, "repayment",
                                   f"repayment to {spec.id}", (Posting(provider, -repaid),
                                                               Posting(investor, repaid)),
                                   Meta(key=key)))
    return out


def write_investor_excel(result: InvestorResult, receipts: Mapping[int, Decimal],
                         spec: Investor, contract: str, path: Path | str | BinaryIO) -> None:
    """A workbook of the investor's position, in Danish: the summary and the terms (sheet
    Investor), and every month's flows (sheet Måneder); amounts as numbers to the øre,
    months as dates (the month's first day). ``path``: a file name, or a binary stream."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Investor"
    ws.append([f"Investor {result.investor} — kontrakt {contract}"])
    ws.append([])
    accrued = result.accrued
    rows: list[list[object]] = [
        ["investeret kr.", result.invested],
        ["modtaget kr.", result.received],
        ["udestående hovedstol kr.", result.loss],
        ["påløbet afkast, endnu ikke betalt kr.", accrued],
        ["pengemultipel", result.money_multiple],
        ["afkast om året (IRR)" + (", hvis intet mere tilbagebetales" if result.loss else ""),
         result.irr],
        ["andel af leverandørernes resultatbetalinger", spec.share_of_payments],
        ["afkast om året (aftalt)", spec.return_rate],
        ["succeshonorar", spec.success_fee_share],
    ]
    for row in rows:
        ws.append(row)
    for row in ws.iter_rows(min_row=3):
        label, cell = row[0], row[1]
        if isinstance(cell.value, Decimal):
            cell.number_format = "#,##0.00" if "kr." in str(label.value) else "0.00"
        elif isinstance(cell.value, float):
            cell.number_format = "0.0%" if "IRR" in str(label.value) else "0.00%"
    ws["A1"].font = Font(bold=True)
    months = wb.create_sheet("Måneder")
    months.append(["måned", "trukket kr.", "leverandørerne modtog kr.", "afkast kr.",
                   "afdrag kr.", "succeshonorar kr.", "udestående kr.",
                   "påløbet afkast kr.", "investorens nettostrøm kr."])
    for f in result.flows:
        months.append([f.first_day, f.drawn, receipts.get(f.index, ZERO), f.interest,
                       f.principal, f.success_fee, f.outstanding, f.accrued, f.net])
    for cell in months[1]:
        cell.font = Font(bold=True)
    for row in months.iter_rows(min_row=2):
        row[0].number_format = "yyyy-mm"
        for cell in row[1:]:
            cell.number_format = "#,##0.00"
    months.freeze_panes = "A2"
    wb.save(Path(path) if isinstance(path, str | Path) else path)
