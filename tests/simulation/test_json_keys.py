"""`simulate --json` has the keys docs/json.md documents (as `expect --json` does, in
tests/test_default_business_case.py)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from brobygger.cli import app

runner = CliRunner()
STATS = {"mean", "se", "p5", "p50", "p95"}
PAYERS = ("municipality", "state", "public_total")


BREAK_EVEN = {"p_within_horizon", "p_never_in_deficit", "p5", "p50", "p95"}


def test_simulate_json_has_the_documented_keys():
    result = runner.invoke(app, ["simulate", "--draws", "40", "--seed", "3", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert (data["method"], data["draws"], data["seed"]) == ("monte_carlo", 40, 3)
    assert data["parameter_uncertainty"] is True
    assert data["participants"] == 148
    assert data["horizon_months"] == 120 and data["horizon_start"] == "2018-02"
    for code in ("3B.1", "3B.2", "3B.3", "3B.4", "places", "ordinary_hires"):
        assert set(data["indicators"][code]) >= STATS | {"target"}
    for payer in PAYERS:
        row = data["net_result"][payer]
        assert set(row) >= STATS | {"p_gain", "discounted", "savings", "programme_costs",
                                    "payments", "break_even_month"}
        assert 0.0 <= row["p_gain"] <= 1.0
        assert set(row["discounted"]) >= STATS | {"p_gain"}
        assert set(row["break_even_month"]) == BREAK_EVEN
        assert data["central_case"][payer] != 0.0
    assert len(data["municipalities"]) == 12
    copenhagen = data["municipalities"]["101"]
    assert copenhagen["name"] == "København"
    assert set(copenhagen["net_result"]["municipality"]) >= STATS | {"p_gain"}
    assert set(copenhagen["break_even_month"]) == BREAK_EVEN
    assert set(data["payments"]["municipality"]["other_actor"]) >= STATS
    assert 0.0 <= data["per_contract_cap_bound_share"] <= 1.0
    # with parameter uncertainty on, the notes say how far each payer's mean moved
    assert sum(note.startswith(f"{p}: the mean moved") for p in PAYERS
               for note in data["notes"]) == 3
