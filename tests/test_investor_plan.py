"""A scenario's investor in the exact business case: the waterfall of the payments ledger
run on the providers' expected outcome payments."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from brobygger.economics.business_case import expect
from brobygger.economics.investor import expected_position, expected_receipts
from brobygger.payments.period import month_label
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


def test_scenario_show_states_the_investor_s_terms_exactly(tmp_path):
    _, path = _case(tmp_path, "  return_rate: 0.0825\n")
    out = subprocess.run([sys.executable, "-m", "brobygger.cli", "scenario", "show", str(path)],
                         capture_output=True, text=True, check=True,
                         env={**__import__("os").environ, "COLUMNS": "200"}).stdout
    assert "Investor Fonden: låner 2.000.000 kr. (2018-04)" in out
    assert "afkast på 8,25 % om året" in out
