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

from decimal import ROUND_HALF_EVEN, Decimal

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
    monthly = sum((series for (payer, payee), series in bc.payment_flows.items()
                   if payee in PROVIDERS and payer != "investor"), start=0.0 * bc.discount)
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
