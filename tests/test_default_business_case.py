"""The shipped default scenario: the expected indicators are the seed programme's targets."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from brobygger.cli import app
from brobygger.economics.business_case import expect
from brobygger.scenario.load import load_scenario

runner = CliRunner()


@pytest.fixture(scope="module")
def business_case():
    return expect(load_scenario())


def test_the_expected_indicators_equal_the_seed_targets(business_case):
    indicators = business_case.indicators()
    for code, target in {"3B.1": 148, "3B.2": 110, "3B.3": 72, "3B.4": 11,
                         "places": 90, "ordinary_hires": 36}.items():
        assert indicators[code] == pytest.approx(target, abs=1e-3), code


def test_the_budget_lines_add_up_to_the_eligible_costs(business_case):
    costs = business_case.programme_costs_by_financier
    total = sum(series.sum() for series in costs.values())
    assert total == pytest.approx(34152809, abs=1)
    assert costs["esf"].sum() == pytest.approx(17076404.5, abs=1)


def test_expect_json_has_the_documented_keys():
    result = runner.invoke(app, ["expect", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["scenario"] == "default"
    assert data["horizon_months"] == 120
    assert set(data["indicators"]) >= {"3B.1", "3B.2", "3B.3", "3B.4"}
    assert data["indicators"]["3B.3"]["target"] == 72
    for payer in ("municipality", "state", "public_total"):
        assert set(data["net_result"][payer]) >= {"mean", "se"}
        assert payer in data["break_even_month"]
    assert len(data["municipalities"]) == 12
    assert "mean" in data["municipalities"]["101"]["net_result"]["municipality"]
    assert data["payments"]["municipality"]["other_actor"]["mean"] > 0
    total = data["net_result"]["public_total"]["mean"]
    parts = data["net_result"]["municipality"]["mean"] + data["net_result"]["state"]["mean"]
    assert total == pytest.approx(parts, abs=0.02)


def test_expect_leads_with_the_headline_in_danish():
    result = runner.invoke(app, ["expect"])
    assert result.exit_code == 0, result.output
    assert "Over 10 år er nettoresultatet for kommunerne" in result.stdout
    assert "nettoresultatet for staten" in result.stdout


@pytest.mark.parametrize("by", ["municipality", "month"])
def test_expect_tables_by_municipality_and_month(by):
    result = runner.invoke(app, ["expect", "--by", by])
    assert result.exit_code == 0, result.output
    assert ("Bornholm" in result.stdout) if by == "municipality" else ("2028-01" in result.stdout)
