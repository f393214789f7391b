"""Investor pre-financing: the waterfall, IRR by bisection, money multiple, the loss case."""

from __future__ import annotations

from decimal import Decimal

import pytest

from brobygger.payments.contract_file import Investor
from brobygger.payments.investor import investor_transactions, irr, npv, waterfall
from brobygger.payments.ledger import validate
from brobygger.payments.period import month_index

from .test_store_and_outputs import EVENTS, _cli

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


# --- `brobygger ledger investor`: the investor's position as the ledger stands ------------

INVESTED = """
investor:
  id: fund
  drawdowns: [{month: 2020-01, amount: 40000, provider: other_actor:aa1}]
  return_rate: 0.08
  success_fee_share: 0.2
"""

def _settled(tmp_path, investor: str = INVESTED):
    """The helpers' contract with an investor block, and its 2020 settled into a ledger:
    aa1 is paid 6,000 for each of two job starts (March) and 30,000 for anna's six months
    (September); se1 4,000 for each start."""
    import textwrap

    from typer.testing import CliRunner

    from .helpers import CONTRACT

    (tmp_path / "c.yaml").write_text(textwrap.dedent(CONTRACT) + textwrap.dedent(investor))
    (tmp_path / "e.csv").write_text(EVENTS)
    settled = CliRunner().invoke(_cli(), [
        "settle", str(tmp_path / "e.csv"), "--contract", str(tmp_path / "c.yaml"),
        "--period", "2020", "--ledger", str(tmp_path / "L"), "--as-of", "2021-01-01"])
    assert settled.exit_code == 0, settled.output
    return ["--contract", str(tmp_path / "c.yaml"), "--ledger", str(tmp_path / "L")]


def _position(args: list[str]) -> dict:
    import json

    from typer.testing import CliRunner

    result = CliRunner().invoke(_cli(), ["ledger", "investor", *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_investor_is_repaid_from_the_drawing_provider_s_payments_in_the_ledger(tmp_path):
    out = _position(_settled(tmp_path))
    receipts = {f["month"]: Decimal(f["provider_receipts"]) for f in out["flows"]}
    # only aa1 drew: se1's 8,000 does not repay the investor
    assert sum(receipts.values()) == Decimal("42000.00")
    assert receipts["2020-03"] == Decimal("12000.00")
    assert receipts["2020-09"] == Decimal("30000.00")
    march = next(f for f in out["flows"] if f["month"] == "2020-03")
    # two months of 8 % a year compounded monthly on 40,000: 40,000 × (1.08^(2/12) − 1)
    assert Decimal(march["interest"]) == Decimal("516.38")
    assert Decimal(march["principal"]) == Decimal("12000.00") - Decimal("516.38")
    assert out["invested"] == "40000.00" and out["outstanding"] == "0.00"
    assert out["principal_repaid"] == "40000.00"
    assert Decimal(out["received"]) == (Decimal(out["invested"]) + Decimal(out["interest"])
                                        + Decimal(out["success_fee"]))
    assert Decimal(out["success_fee"]) > 0  # 20 % of what is left in September
    assert 0.08 < out["irr"] < 0.09  # the 8 % and a small fee
    assert Decimal(out["money_multiple"]) == (Decimal(out["received"])
                                              / Decimal(out["invested"])).quantize(
        Decimal("0.0001"))


def test_through_a_period_counts_only_what_happened_by_its_end(tmp_path):
    out = _position([*_settled(tmp_path, INVESTED.replace(
        "provider: other_actor:aa1}]", "provider: other_actor:aa1}, "
        "{month: 2020-08, amount: 5000, provider: other_actor:aa1}]")), "--through", "2020-Q2"])
    assert out["through"] == "2020-Q2"
    assert out["invested"] == "40000.00"  # August's drawdown is after the period
    assert [f["month"] for f in out["flows"]][-1] == "2020-06"  # the return accrues to June
    assert Decimal(out["outstanding"]) == Decimal("40000.00") - (
        Decimal("12000.00") - Decimal("516.38"))
    assert out["irr"] < 0  # if nothing more were repaid, the investor would have lost
    # the return owed and not yet paid, month by month: June's is the report's
    accrued = [Decimal(f["accrued"]) for f in out["flows"]]
    assert accrued[-1] == Decimal(out["accrued_return"]) > 0
    assert accrued[[f["month"] for f in out["flows"]].index("2020-03")] == 0  # paid in March


def test_the_investor_report_is_in_danish_with_danish_numbers(tmp_path):
    from typer.testing import CliRunner

    result = CliRunner().invoke(_cli(), ["ledger", "investor", *_settled(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Investor fund — kontrakt c1" in result.output
    assert "40.000,00" in result.output and "40,000.00" not in result.output
    assert "pengemultipel" in result.output and "succeshonorar 20 %" in result.output


def test_a_contract_without_an_investor_is_refused_by_name(tmp_path):
    from typer.testing import CliRunner

    args = _settled(tmp_path, "")
    result = CliRunner().invoke(_cli(), ["ledger", "investor", *args])
    assert result.exit_code == 2
    assert "kontraktfilen har ingen investor-blok" in result.output


def test_a_scenario_s_planned_investor_is_not_taken_for_the_ledger_s(tmp_path):
    from typer.testing import CliRunner

    args = _settled(tmp_path)
    plan = tmp_path / "plan.yaml"
    plan.write_text("extends: default\ninvestor:\n  drawdowns: [{month: 2019-01, "
                    "amount: 100000}]\n", encoding="utf-8")
    result = CliRunner().invoke(_cli(), ["ledger", "investor", "--contract", str(plan),
                                         *args[2:]])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "et scenaries investor er en plan uden leverandører" in said
    assert "kontraktfilen har ingen investor-blok" not in said


def test_a_payment_since_reversed_does_not_repay_the_investor():
    from brobygger.payments.investor import investor_position
    from brobygger.payments.ledger import Close
    from brobygger.payments.period import Period

    from .helpers import run

    q1 = run(EVENTS, "2020-Q1")
    ledger = [*q1.entries, Close(Period.parse("2020-Q1"), q1.entries[0].date)]
    spec = _spec(return_rate=0.0)  # 100,000 drawn by aa1 in January 2020
    result, receipts = investor_position(spec, ledger)
    assert receipts == {JAN_2020 + 2: Decimal("12000.00")}  # two starts, 6,000 each
    assert result.loss == Decimal("88000.00")
    withdrawn = EVENTS.replace("anna,job_start,2020-02-10,,job_other,30\n", "")
    q2 = run(withdrawn, "2020-Q2", ledger)  # anna's start reversed in April
    assert [t.kind for t in q2.entries] == ["reversal"]
    result, receipts = investor_position(spec, [*ledger, *q2.entries])
    assert receipts == {JAN_2020 + 2: Decimal("6000.00")}
    assert result.loss == Decimal("94000.00")


def test_the_irr_of_a_long_span_is_found_without_overflow_or_division_by_zero():
    flows = [-100.0] + [0.0] * 140 + [150.0]  # a lump repaid after 141 months
    assert irr(flows) == pytest.approx(1.5 ** (1 / 141) - 1, abs=1e-9)


def test_only_this_contract_s_payments_and_not_the_investor_s_own_repay_it(tmp_path):
    import textwrap

    from typer.testing import CliRunner

    from .helpers import CONTRACT

    args = _settled(tmp_path)
    # a second contract settled into the same ledger pays the same providers again
    (tmp_path / "c2.yaml").write_text(textwrap.dedent(CONTRACT).replace("id: c1", "id: c2"))
    other = CliRunner().invoke(_cli(), [
        "settle", str(tmp_path / "e.csv"), "--contract", str(tmp_path / "c2.yaml"),
        "--period", "2020", "--ledger", str(tmp_path / "L"), "--as-of", "2021-01-01"])
    assert other.exit_code == 0, other.output
    flows = _position(args)["flows"]
    assert sum(Decimal(f["provider_receipts"]) for f in flows) == Decimal("42000.00")
    # an outcome the investor pays itself does not repay it
    (tmp_path / "ip").mkdir()
    ip = _settled(tmp_path / "ip")
    text = (tmp_path / "ip" / "c.yaml").read_text()
    assert "payer: municipality\n      payees: {other_actor: 1}" in text
    (tmp_path / "ip" / "c.yaml").write_text(text.replace(
        "payer: municipality\n      payees: {other_actor: 1}",
        "payer: investor\n      payees: {other_actor: 1}"))
    (tmp_path / "ip" / "L2").mkdir()
    settled = CliRunner().invoke(_cli(), [
        "settle", str(tmp_path / "ip" / "e.csv"), "--contract", str(tmp_path / "ip" / "c.yaml"),
        "--period", "2020", "--ledger", str(tmp_path / "ip" / "L2"), "--as-of", "2021-01-01"])
    assert settled.exit_code == 0, settled.output
    out = _position([ip[0], ip[1], "--ledger", str(tmp_path / "ip" / "L2")])
    assert sum(Decimal(f["provider_receipts"]) for f in out["flows"]) == Decimal("12000.00")
    assert Decimal(out["outstanding"]) > 0


def test_through_a_period_shows_the_return_accrued_and_a_total_loss_as_minus_100(tmp_path):
    from typer.testing import CliRunner

    args = _settled(tmp_path, INVESTED.replace("provider: other_actor:aa1",
                                               "provider: social_enterprise:se1").replace(
        "month: 2020-01", "month: 2021-06"))
    out = _position([*args, "--through", "2021-08"])
    # se1 was paid before the drawdown: nothing repays it; two months' return accrue
    assert out["received"] == "0.00" and out["irr"] == -1.0
    monthly = Decimal(repr(1.08 ** (1 / 12) - 1))
    first = (Decimal("40000") * monthly).quantize(Decimal("0.01"))
    second = ((Decimal("40000") + first) * monthly).quantize(Decimal("0.01"))
    assert Decimal(out["accrued_return"]) == first + second
    shown = CliRunner().invoke(_cli(), ["ledger", "investor", *args, "--through", "2021-08"])
    assert "påløbet afkast, endnu ikke betalt" in shown.output
    assert "-100,0 %" in shown.output


def test_the_terms_are_shown_exactly_and_a_bad_period_names_its_option(tmp_path):
    from typer.testing import CliRunner

    args = _settled(tmp_path, INVESTED.replace("return_rate: 0.08", "return_rate: 0.0825"))
    shown = CliRunner().invoke(_cli(), ["ledger", "investor", *args])
    assert "afkast 8,25 % om året" in shown.output
    bad = CliRunner().invoke(_cli(), ["ledger", "investor", *args, "--through", "2020-13"])
    assert bad.exit_code == 2 and "--through" in bad.output and "--period" not in bad.output


def test_a_drawdown_must_name_a_provider_of_the_partnerships(tmp_path):
    import textwrap

    from typer.testing import CliRunner

    from .helpers import CONTRACT

    for provider in ("aa1", "other_actor:zz9"):  # no kind; no such provider
        (tmp_path / "c.yaml").write_text(textwrap.dedent(CONTRACT) + textwrap.dedent(
            INVESTED.replace("other_actor:aa1", provider)))
        refused = CliRunner().invoke(_cli(), [
            "ledger", "investor", "--contract", str(tmp_path / "c.yaml"), "--ledger",
            str(tmp_path / "L")])
        assert refused.exit_code == 2, refused.output
        assert "investor.drawdowns.0.provider" in refused.output
        assert "er ikke en leverandør i filens partnerskaber" in refused.output


def test_the_position_as_a_workbook_holds_the_same_numbers_as_numbers_and_dates(tmp_path):
    import datetime as dt

    import openpyxl

    args = _settled(tmp_path)
    out = _position([*args, "--excel", str(tmp_path / "investor.xlsx")])
    wb = openpyxl.load_workbook(tmp_path / "investor.xlsx")
    summary = {row[0]: row[1] for row in wb["Investor"].iter_rows(min_row=3, values_only=True)}
    assert Decimal(str(summary["investeret kr."])) == Decimal(out["invested"])
    assert Decimal(str(summary["modtaget kr."])) == Decimal(out["received"])
    assert summary["afkast om året (IRR)"] == pytest.approx(out["irr"], abs=1e-6)
    months = list(wb["Måneder"].iter_rows(min_row=2, values_only=True))
    assert [m[0].date() for m in months] == [
        dt.date.fromisoformat(f["month"] + "-01") for f in out["flows"]]
    assert sum(Decimal(str(m[2])) for m in months) == Decimal("42000.00")
    assert [Decimal(str(m[8])).quantize(Decimal("0.01")) for m in months] == [
        Decimal(f["net"]) for f in out["flows"]]


def test_months_of_nothing_after_the_last_flow_change_no_rate():
    assert irr([-100, 50, 55] + [0] * 90) == pytest.approx(irr([-100, 50, 55]), abs=1e-12)
    assert irr([-100, 50, 55]) > 0
