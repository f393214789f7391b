"""The scenario lab's core: levers become the scenario format's own changes, the core
validates them, and the lab's numbers are ``simulate``'s for the same changes and seed."""

from __future__ import annotations

import math

import pytest
import yaml

from brobygger.errors import BrobyggerError, ScenarioError
from brobygger.lab import (
    LabError,
    base_data,
    canonical,
    changes_for,
    field_errors,
    lab_changes,
    run_lab,
    values_of,
)
from brobygger.lab.levers import RATE_LEVERS, scaled_row
from brobygger.model import compile_scenario
from brobygger.scenario.load import load_scenario, shipped_scenarios_dir
from brobygger.simulation.run import simulate
from brobygger.simulation.summary import simulation_json

DRAWS = 300


def scenario_file(tmp_path, changes) -> str:
    """The same changes written as a scenario file that extends the shipped default."""
    path = tmp_path / "lab.yaml"
    path.write_text(yaml.safe_dump({
        "extends": str(shipped_scenarios_dir() / "default.yaml"), "changes": changes}))
    return str(path)


def test_a_multiplier_scales_the_transitions_and_keeps_every_row_whole():
    data = base_data("default")
    changes = changes_for(data, {"rate.job_finding": 1.5, "rate.completion": 0.5})
    rows = {c["name"]: c["set"] for c in changes}
    base_rows = data["pathways"]["programme"]["periods"]
    jobs = rows["rate.job_finding"]["pathways.programme.periods.0.rows.jobseeking"]
    base = base_rows[0]["rows"]["jobseeking"]
    assert jobs["job_accelerator"] == pytest.approx(1.5 * base["job_accelerator"])
    assert jobs["job_other"] == pytest.approx(1.5 * base["job_other"])
    assert jobs["education"] == base["education"]
    # completion moves in both periods: the course's months and its end
    assert set(rows["rate.completion"]) == {"pathways.programme.periods.0.rows.induction",
                                            "pathways.programme.periods.1.rows.induction"}
    ended = rows["rate.completion"]["pathways.programme.periods.1.rows.induction"]
    assert ended["jobseeking"] == pytest.approx(0.5 * base_rows[1]["rows"]["induction"]
                                                ["jobseeking"])
    for change in changes:
        for row in change["set"].values():
            assert math.fsum(row.values()) == pytest.approx(1.0, abs=1e-9)


def test_values_that_equal_the_base_make_no_change_and_values_read_back():
    data = base_data("default")
    assert changes_for(data, {"price.job_start": 15000, "rate.job_finding": 1.0}) == []
    values = {"rate.job_finding": 1.25, "price.job_start": 20000.0, "intake.101": 30,
              "cap.per_participant": None, "wage.other": 1.2}
    extra = {"pathways.programme.periods.0.rows.referred": {"induction": 0.9, "referred": 0.1}}
    changes = changes_for(data, values, extra)
    back = values_of(data, changes)
    assert back.pop("extra") == extra
    assert set(back) == set(values)
    assert back["cap.per_participant"] is None
    for key in ("rate.job_finding", "price.job_start", "intake.101", "wage.other"):
        assert back[key] == pytest.approx(values[key]), key


def test_the_labs_numbers_are_simulates_for_the_same_changes_and_seed(tmp_path):
    changes = lab_changes("default", {"rate.job_finding": 1.3, "price.job_start": 22000,
                                      "intake.101": 20, "cap.per_contract": 9_000_000})
    lab = run_lab("default", changes, DRAWS, 11)
    compiled = compile_scenario(load_scenario(scenario_file(tmp_path, changes)))
    core = simulation_json(simulate(compiled, DRAWS, 11))
    for key in ("net_result", "indicators", "payments", "municipalities", "participants"):
        assert lab[key] == core[key]
    assert lab["participants"] == 148 - 13 + 20
    hist = lab["histograms"]["municipality"]
    assert sum(hist["counts"]) == DRAWS and len(hist["edges"]) == len(hist["counts"]) + 1


def test_common_random_numbers_make_a_change_move_the_figures_it_should(tmp_path):
    """With one seed, a higher job-finding rate gives more job starts (3B.3) in the draws;
    the difference is far beyond its noise (CRN makes the paired difference small)."""
    same = run_lab("default", [], DRAWS, 5)
    assert run_lab("default", [], DRAWS, 5) == same
    more = run_lab("default", lab_changes("default", {"rate.job_finding": 1.5}), DRAWS, 5)
    base, up = same["indicators"]["3B.3"], more["indicators"]["3B.3"]
    se = math.hypot(base["se"], up["se"])
    assert up["mean"] - base["mean"] > 4 * se


def test_a_bad_value_is_reported_under_its_lever():
    changes = lab_changes("default", {"rate.job_finding": 6.0, "price.job_start": -5},
                          {"contract.no_such_key": 1})
    with pytest.raises(ScenarioError) as caught:
        run_lab("default", changes, 10, 1)
    errors = field_errors(caught.value.problems, changes, base_data("default"))
    assert set(errors) == {"rate.job_finding", "price.job_start", "extra"}
    # under a rate lever, said once, of the multiplier (not of the rows it set)
    assert errors["rate.job_finding"] == [
        "the multiplier must be from 0 to 5.79: a larger one leaves a negative probability"]
    assert "pathways." not in errors["rate.job_finding"][0]
    assert errors["price.job_start"] == [
        "Input should be greater than or equal to 0 (got -5)"]
    assert "contract.no_such_key" in errors["extra"][0]


def test_a_path_that_does_not_exist_names_its_change():
    changes = [{"name": "extra", "set": {"contract.outcomes.nope.price": 1}}]
    with pytest.raises(ScenarioError) as caught:
        run_lab("default", changes, 10, 1)
    assert field_errors(caught.value.problems, changes, base_data("default")) == {
        "extra": ["changes.0 (extra).set.contract.outcomes.nope.price: no such key: "
                  "contract.outcomes.nope"]}


def test_caps_that_contradict_each_other_are_reported_under_the_cap_that_moved():
    changes = lab_changes("default", {"cap.per_contract": 50_000})
    with pytest.raises(ScenarioError) as caught:
        run_lab("default", changes, 10, 1)
    errors = field_errors(caught.value.problems, changes, base_data("default"))
    assert list(errors) == ["cap.per_contract"] and "caps contradict" in errors[
        "cap.per_contract"][0]


def test_too_many_draws_or_an_unknown_base_name_the_field():
    with pytest.raises(LabError) as caught:
        run_lab("default", [], 100_000, 1)
    assert [p.location for p in caught.value.problems] == ["draws"]
    with pytest.raises(LabError) as caught:
        run_lab("../../etc/passwd", [], 10, 1)
    assert [p.location for p in caught.value.problems] == ["base"]
    with pytest.raises(BrobyggerError):
        run_lab("default", [], 10, -1)


def test_changes_have_one_canonical_text():
    a = [{"name": "x", "set": {"b": 1, "a": 2}}]
    b = [{"set": {"a": 2, "b": 1}, "name": "x"}]
    assert canonical(a) == canonical(b)


def test_every_rate_lever_exists_in_the_default_scenario():
    keys = {i["name"] for i in changes_for(base_data("default"),
                                           {lever.key: 1.1 for lever in RATE_LEVERS})}
    assert keys == {lever.key for lever in RATE_LEVERS}


def test_scaled_row_doctest():
    lever = RATE_LEVERS[1]
    row = scaled_row({"jobseeking": 0.5, "job_accelerator": 0.3, "job_other": 0.2}, lever, 0.5)
    assert row == {"jobseeking": 0.75, "job_accelerator": 0.15, "job_other": 0.1}


def test_a_rate_lever_within_its_range_keeps_the_rows_own_problem():
    """Only a multiplier beyond what its rows take is said as the multiplier's; a row made
    wrong by a free change keeps its own message."""
    changes = lab_changes("default", {"rate.job_finding": 2.0},
                          {"pathways.programme.periods.0.rows.jobseeking.jobseeking": 2})
    with pytest.raises(ScenarioError) as caught:
        run_lab("default", changes, 10, 1)
    errors = field_errors(caught.value.problems, changes, base_data("default"))
    said = [m for messages in errors.values() for m in messages]
    assert said and not any("multiplier" in m for m in said), errors
