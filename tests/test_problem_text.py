"""Problems in the user's language (brobygger.problem_text): the scenario checker's and a
schema's problems keep their kind and figures, and are said in Danish (the default) or
English, numbers in the language's format; a problem without a kind keeps its English."""

from __future__ import annotations

import copy

import pytest

from brobygger.errors import Problem
from brobygger.problem_text import problem_message, problem_text, shown_number
from brobygger.scenario.check import check_scenario
from brobygger.scenario.load import load_scenario, parse_scenario


@pytest.fixture(scope="module")
def shipped() -> dict:
    return load_scenario().model_dump(mode="json", exclude_none=True)


def checked(data: dict) -> dict[str, Problem]:
    return {p.location: p for p in check_scenario(parse_scenario(data), source="s.yaml")}


def test_a_row_that_does_not_sum_to_one_in_both_languages(shipped):
    data = copy.deepcopy(shipped)
    data["pathways"]["programme"]["periods"][0]["rows"]["referred"]["referred"] = 0.25
    found = checked(data)["pathways.programme.periods.0.rows.referred"]
    assert found.message == "probabilities sum to 1.05, not 1"  # the core's own text
    assert problem_message(found, "da") == "sandsynlighederne summer til 1,05, ikke 1"
    assert problem_message(found, "en") == "probabilities sum to 1.05, not 1"


def test_a_parameter_in_the_wrong_unit_names_the_units_it_may_have(shipped):
    data = copy.deepcopy(shipped)
    data["profiles"][0]["benefit"] = "taxes.am_bidrag"
    found = checked(data)["profiles.0.benefit"]
    assert problem_message(found, "da") == ("taxes.am_bidrag er i /1, forventet DKK/month "
                                            "eller DKK/week eller DKK/year")
    assert problem_text(found, "en") == ("s.yaml: profiles.0.benefit: taxes.am_bidrag is in "
                                         "/1, expected DKK/month or DKK/week or DKK/year")


def test_a_problem_without_a_kind_or_its_figures_keeps_its_english():
    plain = Problem("s.yaml", "contract.outcomes.0.price", "no price before 2019-01-01")
    short = Problem("s.yaml", "x", "probabilities sum to 2, not 1", "row_sum", ())
    assert problem_message(plain, "da") == plain.message
    assert problem_message(short, "da") == short.message
    assert problem_text(plain, "da") == str(plain)


@pytest.mark.parametrize(("value", "da", "en"), [
    (-2500.5, "-2.500,5", "-2,500.5"), (-5.0, "-5", "-5"), (1200, "1.200", "1,200"),
    (0.0940857632, "0,0940857632", "0.0940857632"),
])
def test_numbers_in_the_language_s_format(value, da, en):
    assert (shown_number(value, "da"), shown_number(value, "en")) == (da, en)



def test_the_lab_s_limit_on_draws_is_said_in_danish():
    from brobygger.lab.engine import LabError, check_lab

    with pytest.raises(LabError) as caught:
        check_lab("national", [], 500, 1)
    [problem] = caught.value.problems
    assert problem.kind == "draws_budget"
    assert problem_message(problem, "da").startswith(
        "98.000 deltagere × 500 træk er mere end 2.000.000 deltager-træk")
