"""The core's problems said again in the user's language: a schema's complaint (pydantic's
error type and context, kept on the problem) in Danish or English, its numbers in the
language's format; any other problem in the core's English."""

from __future__ import annotations

import copy
import dataclasses

import pytest
from django.utils import translation

from brobygger.errors import Problem, ScenarioError
from brobygger.scenario.check import check_scenario
from brobygger.scenario.load import load_scenario, parse_scenario
from brobygger.web.problems import problem_message, problem_text


@pytest.fixture(scope="module")
def shipped() -> dict:
    return load_scenario().model_dump(mode="json", exclude_none=True)


def problems_of(data: dict) -> list[Problem]:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(data, source="s.yaml")
    return caught.value.problems


def test_a_bound_is_said_in_danish_and_english_with_the_value_given(shipped):
    data = copy.deepcopy(shipped)
    data["municipalities"][0]["intake"]["total"] = -3
    data["contract"]["caps"]["per_participant"] = -2.5
    found = {p.location: p for p in problems_of(data)}
    intake = found["municipalities.101.intake.total"]  # (the list's first, by its code)
    cap = found["contract.caps.per_participant"]
    # the core keeps pydantic's English message, and what it was made from
    assert intake.message == "Input should be greater than or equal to 0 (got -3)"
    assert intake.kind == "greater_than_equal"
    assert dict(intake.context) == {"ge": 0, "input": -3}
    with translation.override("da"):
        assert problem_message(intake) == "skal være mindst 0 (angivet: -3)"
        assert problem_message(cap) == "skal være mindst 0 (angivet: -2,5)"
        assert problem_text(intake) == \
            "s.yaml: municipalities.101.intake.total: skal være mindst 0 (angivet: -3)"
    with translation.override("en"):
        assert problem_message(cap) == "must be at least 0 (given: -2.5)"


def test_a_wrong_type_an_unknown_key_and_a_missing_one(shipped):
    data = copy.deepcopy(shipped)
    data["municipalities"][0]["intake"]["total"] = "many"
    data["municipalities"][1]["colour"] = "blue"
    del data["municipalities"][2]["code"]
    found = {p.location: p for p in problems_of(data)}
    with translation.override("da"):
        assert problem_message(found["municipalities.0.intake.total"]) == \
            "skal være et helt tal (angivet: 'many')"
        assert problem_message(found["municipalities.1.colour"]) == \
            "kendes ikke her (angivet: 'blue')"
        assert problem_message(found["municipalities.2.code"]) == "skal udfyldes"


def test_the_scenario_checker_s_municipality_and_intake_problems(shipped):
    data = copy.deepcopy(shipped)
    data["municipalities"][0]["code"] = "999"
    data["municipalities"][1]["intake"] = {"schedule": {"2040-01": 2}}
    found = {p.location: p for p in check_scenario(parse_scenario(data), source="s.yaml")}
    with translation.override("da"):
        assert problem_message(found["municipalities.999.code"]) == "ukendt kommunekode 999"
        assert problem_message(found["municipalities.147.intake"]) == \
            "henvisninger i 2040-01 ligger uden for horisonten"
        # in a scenario file: its file and key; in a forecast of the registry, whose key
        # paths the reader never sees: said whole
        assert problem_text(found["municipalities.147.intake"]) == \
            "s.yaml: municipalities.147.intake: henvisninger i 2040-01 ligger uden for horisonten"
        live = dataclasses.replace(found["municipalities.147.intake"], source="live scenario")
        assert problem_text(live) == \
            f"Kommune {data['municipalities'][1]['code']}: henvisninger i 2040-01 ligger " \
            "uden for scenariets horisont"


def test_a_choice_of_values_is_joined_in_the_language():
    problem = Problem("s.yaml", "backend", "Input should be 'local' or 'dask'",
                      "literal_error", (("expected", "'local' or 'dask'"), ("input", "'gpu'")))
    with translation.override("da"):
        assert problem_message(problem) == "skal være 'local' eller 'dask' (angivet: 'gpu')"


def test_other_problems_keep_the_core_s_english():
    checked = Problem("s.yaml", "profiles", "profile shares sum to 0.9, not 1")
    odd = Problem("s.yaml", "x", "Input should be at least 3", "greater_than_equal", ())
    with translation.override("da"):
        assert problem_message(checked) == "profile shares sum to 0.9, not 1"
        assert problem_message(odd) == "Input should be at least 3"  # no bound to name
        assert problem_text(checked) == str(checked)


def test_a_forecast_s_problem_is_said_whole_with_its_numbers():
    problem = Problem("history", "municipality 101, month 2021-03",
                      "1200 participants but an intake of 12", "over_intake",
                      (("municipality", "101"), ("month", "2021-03"), ("count", 1200),
                       ("intake", 12)))
    with translation.override("da"):
        assert problem_text(problem) == ("Kommune 101, 2021-03: 1.200 deltagere henvist, men "
                                         "scenariets tilgang er 12")
        assert problem_message(problem) == "1.200 deltagere, men en tilgang på 12"
    with translation.override("en"):
        assert problem_text(problem) == ("Municipality 101, 2021-03: 1,200 participants "
                                         "referred, but the scenario's intake is 12")
