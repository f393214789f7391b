"""Investor pre-financing: the waterfall, IRR by bisection, money multiple, the loss case."""

from __future__ import annotations

from decimal import Decimal

import pytest

from brobygger.payments.contract_file import Investor
from brobygger.payments.investor import investor_transactions, irr, npv, waterfall
from brobygger.payments.ledger import validate
from brobygger.payments.period import month_index

JAN_2020 = month_index(__import__("datetime").date(2020, 1, 1))


def _spec(**kw) -> Investor:
    return Investor(id="fund", drawdowns=[{"month": "2020-01", "amount": 100000,
                                           "provider": "other_actor:aa1"}], **kw)


def test_irr_by_bisection_finds_the_rate_where_npv_is_zero():
    flows = [-1000, 300, 400, 500]
    rate = irr(flows)
    assert rate == pytest.approx(0.0889633947, abs=1e-9)
    assert npv(rate, flows) == pytest.approx(0, abs=1e-6)


def test_irr_is_none_when_no_rate_makes_npv_zero():
    assert irr([-100, -5]) is None
    assert irr([]) is None


def test_an_investor_repaid_with_a_return_has_a_positive_irr_and_multiple_above_one():
    receipts = {JAN_2020 + 6: Decimal("60000"), JAN_2020 + 12: Decimal("60000")}
    result = waterfall(_spec(return_rate=0.08), receipts)
    assert result.loss == 0
    assert result.money_multiple > 1
    assert 0.07 < result.irr < 0.09  # paid exactly its 8 % a year, then nothing more
    assert result.received == result.invested + sum(f.interest for f in result.flows)


def test_a_success_fee_lifts_the_return_once_principal_and_interest_are_repaid():
    receipts = {JAN_2020 + 6: Decimal("60000"), JAN_2020 + 12: Decimal("80000")}
    plain = waterfall(_spec(return_rate=0.05), receipts)
    with_fee = waterfall(_spec(return_rate=0.05, success_fee_share=0.5), receipts)
    assert with_fee.irr > plain.irr
    assert with_fee.flows[-1].success_fee > 0


def test_when_outcomes_fall_short_the_investor_loses_principal():
    receipts = {JAN_2020 + 12: Decimal("40000")}
    result = waterfall(_spec(share_of_payments=0.5), receipts)
    assert result.loss == Decimal("80000.00")
    assert result.money_multiple == Decimal("0.2000")
    assert result.irr < -0.5


def test_drawdowns_and_repayments_are_balanced_ledger_transactions():
    receipts = {JAN_2020 + 6: Decimal("120000")}
    spec = _spec(return_rate=0.05)
    txns = investor_transactions(waterfall(spec, receipts), spec)
    assert [t.kind for t in txns] == ["drawdown", "repayment"]
    assert validate(txns) == []


def test_the_return_compounds_monthly_to_the_rate_a_year():
    """8 % a year on 100,000 for two years, repaid at once: 16,640 of return, IRR 8 %."""
    result = waterfall(_spec(return_rate=0.08), {JAN_2020 + 24: Decimal("200000")})
    interest = sum(f.interest for f in result.flows)
    assert abs(interest - Decimal("16640.00")) <= Decimal("0.50")  # øre rounding a month
    assert result.irr == pytest.approx(0.08, abs=1e-4)


def test_no_success_fee_before_anything_is_invested():
    spec = Investor(id="fund", drawdowns=[{"month": "2020-06", "amount": 100000,
                                           "provider": "other_actor:aa1"}],
                    return_rate=0.05, success_fee_share=0.5)
    result = waterfall(spec, {JAN_2020: Decimal("10000"), JAN_2020 + 12: Decimal("200000")})
    assert result.flows[0].success_fee == 0  # January: nothing drawn yet
    assert result.flows[-1].success_fee > 0
    assert result.irr is not None
