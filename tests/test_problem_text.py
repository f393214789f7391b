"""Problems in the user's language (brobygger.problem_text): the scenario checker's and a
schema's problems keep their kind and figures, and are said in Danish (the default) or
English, numbers in the language's format; a problem without a kind keeps its English."""

from __future__ import annotations

import copy
import datetime as dt

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
    found = checked(data)["profiles.kth_30_other.benefit"]
    assert problem_message(found, "da") == ("taxes.am_bidrag er i /1, forventet DKK/month "
                                            "eller DKK/week eller DKK/year")
    assert problem_text(found, "en") == ("s.yaml: profiles.kth_30_other.benefit: "
                                         "taxes.am_bidrag is in /1, expected DKK/month or "
                                         "DKK/week or DKK/year")


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


def _set(path: str, value):
    """A change to the scenario's data at a dotted path (list items by index)."""
    def change(data: dict) -> None:
        *parents, last = path.split(".")
        node = data
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if isinstance(node, list):
            node[int(last)] = value
        else:
            node[last] = value
    return change


#: one broken scenario for each check of the schema's own, with what Danish says of it
SCHEMA_CHECKS = {
    "period_order": (_set("programme.period", {"start": "2022-01-01", "end": "2018-01-01"}),
                     "programme.period", "slut 2018-01-01 ligger før start 2022-01-01"),
    "intake_both_forms": (_set("municipalities.0.intake.schedule", {"2018-09": 3}),
                          "municipalities.101.intake", "angiv enten 'schedule' eller"),
    "intake_no_form": (_set("municipalities.0.intake", {"start": "2018-09", "total": 5}),
                       "municipalities.101.intake", "angiv 'schedule' eller alle tre"),
    "not_a_month": (_set("municipalities.0.intake.start", "2018-13"),
                    "municipalities.101.intake", "'2018-13' er ikke en måned (ÅÅÅÅ-MM)"),
    "same_month": (_set("municipalities.0.intake",
                        {"schedule": {"2018-09-01": 1, "2018-09-20": 2}}),
                   "municipalities.101.intake",
                   "'2018-09-01' og '2018-09-20' er den samme måned"),
    "intake_order": (_set("municipalities.0.intake.end", "2018-01"),
                     "municipalities.101.intake", "tilgangen slutter (2018-01), før den begynder"),
    "first_period": (_set("pathways.programme.periods.0.from_month", 2),
                     "pathways.programme.periods", "den første periode skal begynde"),
    "periods_ascending": (_set("pathways.programme.periods.1.from_month", 1),
                          "pathways.programme.periods", "from_month skal være stigende, ikke "
                                                        "[1, 1]"),
    "one_wage_source": (_set("jobs.accelerator.hourly_wage.amount", 120),
                        "jobs.accelerator.hourly_wage", "angiv præcis én af 'amount'"),
    "subsidy_none_amount": (_set("jobs.accelerator.subsidy.per_hour", 10),
                            "jobs.accelerator.subsidy", "et tilskud af typen 'none' har intet"),
    "basis_needs": (_set("costs.0.basis", "per_month"), "costs.accelerator",
                    "grundlaget 'per_month' kræver 'start'"),
    "sustained_months": (_set("contract.outcomes.2.trigger", {"type": "job_sustained"}),
                         "contract.outcomes.job_sustained_6m.trigger",
                         "en job_sustained-udløser kræver"),
    "sustained_only": (_set("contract.outcomes.1.trigger.months", 3),
                       "contract.outcomes.job_start.trigger",
                       "'months' og 'min_hours_per_week' gælder"),
    "states_for_jobs": (_set("contract.outcomes.0.trigger.states", ["job_other"]),
                        "contract.outcomes.induction_completed.trigger",
                        "'states' gælder kun job_start"),
    "job_states": (_set("contract.outcomes.1.trigger.states", ["benefit"]),
                   "contract.outcomes.job_start.trigger", "'states' skal være jobtilstande"),
    "payee_shares": (_set("contract.outcomes.1.payees", {"other_actor": 0.7,
                                                         "social_enterprise": 0.2}),
                     "contract.outcomes.job_start.payees",
                     "modtagernes andele skal summe til 1, ikke 0,9"),
    "caps_order": (_set("contract.caps", {"per_participant": 200000, "per_contract": 100000}),
                   "contract.caps", "lofterne modsiger hinanden: pr. deltager ≤"),
    "one_discount_source": (_set("discounting.rate", 0.04), None, None),
    "unknown_language": (_set("assumptions.A1", {"de": "x"}), "assumptions.A1",
                         "ukendt sprog 'de': angiv teksten"),
    "no_language": (_set("assumptions.A1", {}), "assumptions.A1",
                    "angiv teksten på mindst ét sprog (da, en)"),
    "empty_text": (_set("assumptions.A1", {"da": " "}), "assumptions.A1",
                   "teksten for 'da' er tom"),
    "localised_text": (_set("assumptions.A1", 5), "assumptions.A1",
                       "angiv en tekst eller en tekst pr. sprog (da, en)"),
}


@pytest.mark.parametrize("kind", sorted(SCHEMA_CHECKS))
def test_each_of_the_schema_s_own_checks_is_said_in_danish_and_english(shipped, kind):
    from brobygger.errors import BrobyggerError

    change, location, danish = SCHEMA_CHECKS[kind]
    data = copy.deepcopy(shipped)
    change(data)
    if kind == "one_discount_source":  # a rate beside a parameter other than the rate's
        data["discounting"]["parameter"] = "indexation.satsregulering"
        location, danish = "discounting", "angiv enten 'rate' eller 'parameter'"
    with pytest.raises(BrobyggerError) as info:
        parse_scenario(data)
    found = [p for p in info.value.problems if p.kind == kind]
    assert found, [(p.kind, p.location, p.message) for p in info.value.problems]
    problem = found[0]
    assert problem.location == location
    assert danish in problem_message(problem, "da")
    # in English the template gives pydantic's own message back (the value given aside)
    assert (problem_message(problem, "en").split(" (given: ")[0]
            == problem.message.split(" (got ")[0])
    assert "Value error" not in problem.message


def test_a_yaml_file_s_and_an_output_option_s_problems_are_said_in_danish(tmp_path):
    from brobygger.errors import BrobyggerError, output_problems
    from brobygger.yamlio import load_yaml

    broken = tmp_path / "c.yaml"
    broken.write_text("contract:\n  id: [x\n", encoding="utf-8")
    with pytest.raises(BrobyggerError) as info:
        load_yaml(broken)
    [problem] = info.value.problems
    assert problem_text(problem, "en") == str(problem)
    said = problem_text(problem, "da")
    assert said.startswith(f"{broken}: linje ") and ", kolonne " in said
    assert ": ugyldig YAML: " in said
    latin1 = tmp_path / "l.yaml"
    latin1.write_bytes("navn: Søren\n".encode("latin-1"))
    with pytest.raises(BrobyggerError) as info:
        load_yaml(latin1)
    assert problem_text(info.value.problems[0], "da") == (
        f"{latin1}: byte 7: ikke UTF-8-tekst: gem filen som UTF-8")
    [folder] = output_problems("--excel", tmp_path)
    [missing] = output_problems("--excel", tmp_path / "nope" / "x.xlsx")
    assert problem_text(folder, "da") == f"--excel: {tmp_path}: er en mappe: angiv et filnavn"
    assert problem_text(missing, "da").endswith(f"mappen findes ikke: {tmp_path / 'nope'}")
    assert problem_text(folder, "en") == str(folder)


def test_a_wrong_month_is_named_once_not_again_as_the_value_given(shipped):
    from brobygger.errors import BrobyggerError

    data = copy.deepcopy(shipped)
    data["costs"][0].update(basis="per_month", start="2020-13", end="2021-01")
    with pytest.raises(BrobyggerError) as info:
        parse_scenario(data)
    [problem] = [p for p in info.value.problems if p.kind == "not_a_month"]
    assert problem_message(problem, "da") == "'2020-13' er ikke en måned (ÅÅÅÅ-MM)"
    assert problem_message(problem, "en") == "'2020-13' is not a month (YYYY-MM)"


def test_a_programme_budget_the_costs_do_not_follow_in_both_languages(shipped):
    data = copy.deepcopy(shipped)
    data["programme"]["esf_share"] = 0.2
    data["programme"]["eligible_costs"] = 1000
    found = checked(data)
    assert problem_message(found["costs.accelerator.financing.esf"], "da") == (
        "Socialfonden finansierer 50 % af denne udgift, men programmets andel er 20 % "
        "(0 for en udgift, der ikke er støtteberettiget)")
    assert problem_message(found["programme.eligible_costs"], "da") == (
        "budgetlinjerne summer til 34.152.809 kr., ikke til de støtteberettigede udgifter "
        "1.000 kr.")
    assert problem_message(found["programme.eligible_costs"], "en") == (
        "the budget lines sum to 34,152,809 kr, not the eligible costs 1,000 kr")


@pytest.mark.parametrize(("text", "danish"), [
    ("extends: default\nextends: national\n",
     "ugyldig YAML: nøglen 'extends' står to gange (linje 2)"),
    ("extends: default\nhorizon: {start: 2018-02-30, months: 12}\n",
     "ugyldig YAML: '2018-02-30' er ikke en gyldig dato"),
    ("extends: default\nchanges: oops\n",
     "changes: en liste af ændringer (hver med 'name' og 'set')"),
    ("extends: default\nmunicipalities:\n  - {code: '101', partnerships: 2}\n"
     "  - {code: '101', partnerships: 1}\n",
     "municipalities.101: municipalities nævner 101 to gange"),
    ("extends: s.yaml\n", "extends: scenarierne bygger på hinanden i ring: "),
])
def test_a_scenario_file_s_own_problems_are_said_in_danish(tmp_path, text, danish):
    from brobygger.errors import BrobyggerError
    from brobygger.scenario.load import load_scenario

    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BrobyggerError) as info:
        load_scenario(path)
    [problem] = info.value.problems
    assert danish in problem_text(problem, "da"), problem_text(problem, "da")
    assert problem_text(problem, "en") == str(problem)  # the English template gives it back


def test_a_parameter_before_its_first_date_is_said_in_danish():
    from brobygger.errors import BrobyggerError
    from brobygger.params import default_parameters

    with pytest.raises(BrobyggerError) as info:
        default_parameters().value("taxes.bundskat", dt.date(1990, 1, 1))
    [problem] = info.value.problems
    assert problem_text(problem, "da").endswith("ingen værdi før 2018-01-01 (den første kendte)")
    assert problem_text(problem, "en") == str(problem)


def test_a_date_that_is_no_date_is_said_in_danish(tmp_path):
    from brobygger.errors import BrobyggerError
    from brobygger.scenario.load import load_scenario

    path = tmp_path / "s.yaml"
    path.write_text("extends: default\nprogramme: {period: {start: '2018-02-30', end: x}}\n",
                    encoding="utf-8")
    with pytest.raises(BrobyggerError) as info:
        load_scenario(path)
    assert [problem_text(p, "da") for p in info.value.problems] == [
        f"{path}: programme.period.start: skal være en dato (ÅÅÅÅ-MM-DD) (angivet: "
        "'2018-02-30')",
        f"{path}: programme.period.end: skal være en dato (ÅÅÅÅ-MM-DD) (angivet: 'x')"]
    assert "Input should be" not in problem_text(info.value.problems[0], "en")
