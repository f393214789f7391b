"""A scenario's investor in the exact business case: the waterfall of the payments ledger
run on the providers' expected outcome payments."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from brobygger.economics.business_case import expect
from brobygger.economics.investor import expected_position, expected_receipts
from brobygger.payments.period import month_index, month_label
from brobygger.reports.business_case_json import business_case_json
from brobygger.scenario.load import load_scenario

PLAN = """\
extends: default
name: default with an investor
investor:
  label: Fonden
  drawdowns: [{month: 2018-04, amount: 2000000}]
"""


def _case(tmp_path: Path, extra: str = ""):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN + extra)
    return expect(load_scenario(path)), path


def test_the_providers_expected_payments_are_the_rate_card_s_flows_to_them(tmp_path):
    bc, _ = _case(tmp_path)
    data = business_case_json(bc)
    to_providers = sum(row["mean"] for payees in data["payments"].values()
                       for payee, row in payees.items()
                       if payee in ("other_actor", "social_enterprise"))
    receipts = expected_receipts(bc)
    assert abs(float(sum(receipts.values())) - to_providers) < 0.01 * len(receipts)
    assert all(r == r.quantize(Decimal("0.01")) for r in receipts.values())  # whole øre


def test_without_return_or_fee_the_investor_gets_back_what_the_payments_allow(tmp_path):
    bc, _ = _case(tmp_path)
    result, receipts = expected_position(bc)
    total = sum(receipts.values())
    invested = Decimal("2000000.00")
    assert result.invested == invested
    assert result.received == min(invested, total)
    assert result.loss == max(Decimal(0), invested - total)
    # repaid in the month the cumulative payments first reach the principal
    running, month = Decimal(0), None
    for m in sorted(receipts):
        running += receipts[m]
        if running >= invested:
            month = month_label(m)
            break
    assert business_case_json(bc)["investor"]["repaid_month"] == month


def test_a_return_and_a_fee_are_paid_from_a_share_of_the_payments(tmp_path):
    bc, _ = _case(tmp_path, "  share_of_payments: 0.5\n  return_rate: 0.05\n"
                            "  success_fee_share: 0.1\n")
    inv = business_case_json(bc)["investor"]
    assert inv["outstanding"] == 0 and inv["principal_repaid"] == 2000000
    assert inv["received"] == pytest.approx(inv["invested"] + inv["interest"] + inv["success_fee"],
                                            abs=0.005)
    assert inv["received"] <= 0.5 * inv["provider_payments"] + 0.01
    assert inv["irr"] > 0.05  # the agreed 5 % a year, and a success fee on top


def test_a_scenario_without_an_investor_has_no_investor_key():
    assert "investor" not in business_case_json(expect(load_scenario()))


def test_expect_shows_the_investor_in_danish(tmp_path):
    _, path = _case(tmp_path)
    out = subprocess.run([sys.executable, "-m", "brobygger.cli", "expect", str(path)],
                         capture_output=True, text=True, check=True).stdout
    assert "Investor Fonden ved de forventede betalinger (kr.)" in out
    assert "2.000.000" in out
    data = json.loads(subprocess.run([sys.executable, "-m", "brobygger.cli", "expect", str(path),
                                      "--json"], capture_output=True, text=True,
                                     check=True).stdout)
    assert data["investor"]["invested"] == 2000000


#: terminal widths at which rich's own wrapping split "8,25 %" (and one that did not)
WIDTHS = (60, 66, 69, 80, 93)


def test_scenario_show_states_the_investor_s_terms_exactly(tmp_path):
    _, path = _case(tmp_path, "  return_rate: 0.0825\n")
    out = subprocess.run([sys.executable, "-m", "brobygger.cli", "scenario", "show", str(path)],
                         capture_output=True, text=True, check=True,
                         env={**__import__("os").environ, "COLUMNS": "200"}).stdout
    assert "Investor Fonden: låner 2.000.000 kr. (2018-04)" in out
    assert "afkast på 8,25 % om året" in out
    for width in WIDTHS:  # and wrapped at any width, never between 8,25 and %
        narrow = subprocess.run([sys.executable, "-m", "brobygger.cli", "scenario", "show",
                                 str(path)], capture_output=True, text=True, check=True,
                                env={**__import__("os").environ, "COLUMNS": str(width)}).stdout
        lines = narrow.splitlines()
        assert not any(re.search(r"(^|│)\s*%", line) for line in lines), (width, narrow)
        assert all(len(line) <= width for line in lines), (width, narrow)


def test_a_drawdown_outside_the_horizon_is_refused_in_danish(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.replace("month: 2018-04", "month: 2040-01"))
    result = subprocess.run([sys.executable, "-m", "brobygger.cli", "scenario", "validate",
                             str(path)], capture_output=True, text=True)
    assert result.returncode == 2
    assert "investor.drawdowns.0.month" in result.stderr + result.stdout
    assert "2040-01 ligger uden for horisonten (2018-02 til 2028-01)" in \
        result.stderr + result.stdout


# --- simulate: the investor over the draws ------------------------------------------------

def _simulated(tmp_path: Path, draws: int, extra: str = "", **kw):
    from brobygger.model import compile_scenario
    from brobygger.simulation.run import simulate

    path = tmp_path / "plan.yaml"
    path.write_text(PLAN + extra)
    return simulate(compile_scenario(load_scenario(path)), draws, 11, **kw)


def test_the_vectorised_waterfall_is_the_ledger_s_waterfall_draw_by_draw(tmp_path):
    from brobygger.economics.investor import waterfalls
    from brobygger.payments.contract_file import Investor
    from brobygger.payments.investor import waterfall

    sim = _simulated(tmp_path, 24, "  share_of_payments: 0.3\n  return_rate: 0.06\n"
                                   "  success_fee_share: 0.2\n")
    c = sim.inputs.compiled
    plan = c.scenario.investor
    w = waterfalls(plan, c.months, sim.summaries.provider_path)
    spec = Investor(id="x", drawdowns=[{"month": "2018-04", "amount": 2000000,
                                        "provider": "providers"}], share_of_payments=0.3,
                    return_rate=0.06, success_fee_share=0.2)
    T = c.T
    for d in range(24):
        receipts = {month_index(m): Decimal(repr(float(x))).quantize(Decimal("0.01"))
                    for m, x in zip(c.months, sim.summaries.provider_path[d], strict=True)}
        exact = waterfall(spec, receipts, month_index(c.months[-1]))
        assert abs(float(exact.received) - w.received[d]) <= 0.01 * T
        assert abs(float(exact.loss) - w.outstanding[d]) <= 0.01 * T
        assert abs(exact.irr - w.irr[d]) < 1e-6


def test_the_providers_payments_converge_to_the_exact_expectation(tmp_path):
    from brobygger.economics.investor import expected_receipts

    sim = _simulated(tmp_path, 400, uncertainty=False)
    totals = sim.summaries.provider_path.sum(axis=1)
    se = totals.std(ddof=1) / np.sqrt(len(totals))
    exact = float(sum(expected_receipts(expect(sim.inputs.compiled)).values()))
    assert abs(totals.mean() - exact) <= 4 * se, (totals.mean(), exact, se)


def test_a_loan_the_payments_cannot_repay_is_never_repaid(tmp_path):
    from brobygger.simulation.summary import simulation_json

    sim = _simulated(tmp_path, 50, "  share_of_payments: 0.01\n")
    inv = simulation_json(sim)["investor"]
    assert inv["p_repaid"] == 0 and inv["outstanding"]["p5"] > 0
    assert inv["irr"]["p95"] < 0 and inv["money_multiple"]["p95"] < 1


def test_the_investor_s_figures_are_the_same_on_one_thread_and_two(tmp_path):
    from brobygger.simulation.summary import simulation_json

    one = simulation_json(_simulated(tmp_path, 40, workers=1))["investor"]
    two = simulation_json(_simulated(tmp_path, 40, workers=2))["investor"]
    assert one == two


def test_simulate_leads_with_the_investor_s_chance_of_repayment_in_danish(tmp_path):
    _, path = _case(tmp_path)
    out = subprocess.run([sys.executable, "-m", "brobygger.cli", "simulate", str(path),
                          "--draws", "64"], capture_output=True, text=True, check=True,
                         env={**__import__("os").environ, "COLUMNS": "200"}).stdout
    assert "Sandsynlighed for at investor Fonden er fuldt tilbagebetalt inden for 10 år" in out
    # among the decisions, before the tables
    lines = out.splitlines()
    investor = next(i for i, line in enumerate(lines) if "fuldt tilbagebetalt" in line)
    assert all(line.startswith("• ") for line in lines[1:investor + 1])


def test_the_per_draw_table_has_each_draw_s_investor_figures(tmp_path):
    import csv

    from brobygger.economics.investor import waterfalls
    from brobygger.simulation.tables import write_draws_csv

    sim = _simulated(tmp_path, 20)
    write_draws_csv(sim, tmp_path / "draws.csv")
    rows = list(csv.DictReader((tmp_path / "draws.csv").open(encoding="utf-8")))
    c = sim.inputs.compiled
    w = waterfalls(c.scenario.investor, c.months, sim.summaries.provider_path)
    assert [float(r["investor_received"]) for r in rows] == [round(float(x), 2)
                                                              for x in w.received]
    assert all(r["investor_irr"] for r in rows)


def test_repaid_early_the_return_is_the_agreed_rate_not_minus_100(tmp_path):
    """Repaid years before the horizon ends: the months of nothing after it change no rate
    (they once drove the IRR to −100 % here and to 3·10¹² in the draws)."""
    bc, _ = _case(tmp_path)  # no return, no fee: exactly the principal back
    assert abs(business_case_json(bc)["investor"]["irr"]) < 1e-6
    bc, _ = _case(tmp_path, "  return_rate: 0.04\n")
    assert business_case_json(bc)["investor"]["irr"] == pytest.approx(0.04, abs=1e-4)
    inv = __import__("brobygger.simulation.summary", fromlist=["x"]).simulation_json(
        _simulated(tmp_path, 40, "  return_rate: 0.04\n"))["investor"]
    assert inv["p_repaid"] == 1
    for q in ("p5", "p50", "p95"):
        assert inv["irr"][q] == pytest.approx(0.04, abs=1e-4), inv["irr"]


def test_the_return_owed_and_not_paid_is_reported(tmp_path):
    bc, _ = _case(tmp_path, "  share_of_payments: 0.01\n  return_rate: 0.05\n")
    inv = business_case_json(bc)["investor"]
    assert inv["outstanding"] > 0 and inv["accrued_return"] > 0
    _, path = _case(tmp_path, "  share_of_payments: 0.01\n  return_rate: 0.05\n")
    out = subprocess.run([sys.executable, "-m", "brobygger.cli", "expect", str(path)],
                         capture_output=True, text=True, check=True).stdout
    assert "påløbet afkast, endnu ikke betalt" in out


def test_an_investor_without_a_name_is_the_investor(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(PLAN.replace("  label: Fonden\n", ""))
    out = subprocess.run([sys.executable, "-m", "brobygger.cli", "expect", str(path)],
                         capture_output=True, text=True, check=True).stdout
    assert "Investoren ved de forventede betalinger (kr.)" in out
