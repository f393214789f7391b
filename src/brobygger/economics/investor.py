"""The investor of a scenario in the exact business case: the pre-financing waterfall
(:func:`brobygger.payments.investor.waterfall`, the same one settlement's ledger is read
with) run on the providers' *expected* outcome payments, month by month.

Rounding rule: the business case's flows are float64 kroner; each month's expected
payments to the providers are rounded to whole øre (half to even) where they enter the
waterfall, which counts in ``Decimal``.

The waterfall is not linear — the investor gets at most its principal, return and fee —
so its result at the expected payments is not the expected result: shortfalls in some
outcomes are not offset by surpluses in others. Read it as the central case."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np

from brobygger.economics.business_case import BusinessCase
from brobygger.payments.contract_file import Investor
from brobygger.payments.investor import InvestorResult, waterfall
from brobygger.payments.period import month_index
from brobygger.scenario.schema import PlannedInvestor, month_of

#: who the investor pre-finances: the rate card's payees that are providers
PROVIDERS = ("other_actor", "social_enterprise")
ORE = Decimal("0.01")


def expected_receipts(bc: BusinessCase) -> dict[int, Decimal]:
    """The providers' expected outcome payments by month (month index), in whole øre; a
    payment the investor makes itself does not repay it."""
    monthly = np.zeros(bc.T)
    for (payer, payee), series in bc.payment_flows.items():
        if payee in PROVIDERS and payer != "investor":
            monthly += series
    return {month_index(m): Decimal(repr(float(x))).quantize(ORE, ROUND_HALF_EVEN)
            for m, x in zip(bc.months, monthly, strict=True) if x}


def expected_position(bc: BusinessCase, plan: PlannedInvestor | None = None
                      ) -> tuple[InvestorResult, dict[int, Decimal]] | None:
    """The waterfall of the scenario's investor (or ``plan``) at the expected payments, to
    the horizon's last month; None when the scenario has no investor."""
    plan = plan or bc.scenario.investor
    if plan is None:
        return None
    spec = Investor(id=plan.label, drawdowns=[
        {"month": f"{month_of(d.month):%Y-%m}", "amount": d.amount, "provider": "providers"}
        for d in plan.drawdowns],
        share_of_payments=plan.share_of_payments, return_rate=plan.return_rate,
        success_fee_share=plan.success_fee_share)
    receipts = expected_receipts(bc)
    return waterfall(spec, receipts, month_index(bc.months[-1])), receipts


@dataclass(frozen=True)
class Waterfalls:
    """The waterfall of many draws at once (:func:`waterfalls`), each field (D,)."""

    invested: float
    received: np.ndarray
    interest: np.ndarray
    success_fee: np.ndarray
    outstanding: np.ndarray  # principal owed at the horizon's end
    accrued: np.ndarray  # return owed and not paid at the horizon's end
    irr: np.ndarray  # a year; −1 when nothing comes back, NaN when no rate fits

    @property
    def repaid(self) -> np.ndarray:
        """(D,) bool: nothing owed at the horizon's end."""
        return (self.outstanding <= 0) & (self.accrued <= 0)

    @property
    def money_multiple(self) -> np.ndarray:
        return self.received / self.invested


def _money(x: np.ndarray) -> np.ndarray:
    """To whole øre, half to even, as the ledger's waterfall quantizes."""
    return np.round(x, 2)


def waterfalls(plan: PlannedInvestor, months: list, receipts: np.ndarray) -> Waterfalls:
    """:func:`brobygger.payments.investor.waterfall`'s rules for every draw at once, in
    float64 rounded to whole øre at each of its steps: ``receipts`` (D, T) are the
    providers' payments in the horizon's ``months``; a drawdown before the horizon is
    drawn in its first month, one after it is not drawn."""
    D, T = receipts.shape
    index = {month_index(m): t for t, m in enumerate(months)}
    drawn = np.zeros(T)
    first = month_index(months[0])
    for d in plan.drawdowns:
        at = month_index(month_of(d.month))
        if at <= first:
            drawn[0] += d.amount
        elif at in index:
            drawn[index[at]] += d.amount
    rate = (1 + plan.return_rate) ** (1 / 12) - 1
    outstanding, accrued, invested = np.zeros(D), np.zeros(D), 0.0
    received, interest_sum, fees = np.zeros(D), np.zeros(D), np.zeros(D)
    flows = np.zeros((D, T))
    for t in range(T):
        accrued += _money((outstanding + accrued) * rate)
        outstanding += drawn[t]
        invested += drawn[t]
        cash = _money(receipts[:, t] * plan.share_of_payments)
        interest = np.minimum(cash, accrued)
        accrued -= interest
        cash -= interest
        principal = np.minimum(cash, outstanding)
        outstanding -= principal
        cash -= principal
        paid_up = (invested > 0) & (outstanding == 0) & (accrued == 0)
        fee = np.where(paid_up, _money(cash * plan.success_fee_share), 0.0)
        got = interest + principal + fee
        received += got
        interest_sum += interest
        fees += fee
        flows[:, t] = got - drawn[t]
    irr = annual_irr(flows)
    irr[(received == 0) & (invested > 0)] = -1.0
    return Waterfalls(invested, received, interest_sum, fees, outstanding, accrued, irr)


def annual_irr(flows: np.ndarray, iterations: int = 80) -> np.ndarray:
    """(D,) the yearly rate at which each row of monthly ``flows`` (D, T) is worth zero, by
    bisection on its value at the last month (the sign of the NPV, as
    :func:`brobygger.payments.investor.irr`); NaN where the flows do not change sign."""
    D, T = flows.shape
    low, high = np.full(D, -0.9999), np.full(D, 10.0)
    # each row's value at its own last non-zero month: trailing zeros change no rate's NPV,
    # but would scale the value by (1 + rate) each, down to an exact zero near −100 %
    nonzero = flows != 0
    last = np.where(nonzero.any(axis=1), T - 1 - np.argmax(nonzero[:, ::-1], axis=1), -1)

    def value(rate: np.ndarray) -> np.ndarray:
        v = np.zeros(D)
        for t in range(T):
            v = np.where(t <= last, v * (1 + rate) + flows[:, t], v)
        return v

    f_low = value(low)
    fits = (flows.min(axis=1) < 0) & (flows.max(axis=1) > 0) & (f_low * value(high) <= 0)
    for _ in range(iterations):
        mid = (low + high) / 2
        f_mid = value(mid)
        same = (f_mid > 0) == (f_low > 0)
        low = np.where(same, mid, low)
        f_low = np.where(same, f_mid, f_low)
        high = np.where(same, high, mid)
    monthly = (low + high) / 2
    return np.where(fits, (1 + monthly) ** 12 - 1, np.nan)
