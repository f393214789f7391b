"""The command line refuses bad input with every problem listed and a non-zero exit."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from brobygger.cli import app

runner = CliRunner()


def test_scenario_validate_passes_on_the_shipped_scenario():
    result = runner.invoke(app, ["scenario", "validate"])
    assert result.exit_code == 0
    assert "ok" in result.stdout


def test_scenario_validate_refuses_a_broken_file_naming_file_and_key(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("extends: default\nhorizon: {start: 2018-02, monts: 120}\n")
    result = runner.invoke(app, ["scenario", "validate", str(path)])
    assert result.exit_code == 2
    assert "bad.yaml: horizon.monts" in result.stderr


def test_expect_refuses_a_missing_scenario():
    result = runner.invoke(app, ["expect", "no-such-scenario"])
    assert result.exit_code == 2
    assert "ingen scenariefil eller medfølgende scenarie" in result.stderr


def test_params_show_gives_value_unit_and_source_at_a_date():
    result = runner.invoke(app, ["params", "show", "taxes.am_bidrag", "--at", "2020-03-01",
                                 "--json"])
    assert result.exit_code == 0
    row = json.loads(result.stdout)["parameters"][0]
    assert row == {"name": "taxes.am_bidrag", "value": 0.08, "unit": "/1",
                   "source": row["source"]}
    assert row["source"][0].startswith("https://")


def test_params_show_names_an_unknown_parameter():
    result = runner.invoke(app, ["params", "show", "taxes.nonsense"])
    assert result.exit_code == 2
    assert "taxes.nonsense" in result.stderr


def test_params_show_names_a_date_that_is_not_one():
    result = runner.invoke(app, ["params", "show", "taxes", "--at", "2020-02-30"])
    assert result.exit_code == 2
    assert "--at: 2020-02-30: ikke en dato" in result.stderr


def test_scenario_show_lists_the_municipalities_in_danish_number_format():
    result = runner.invoke(app, ["scenario", "show"])
    assert result.exit_code == 0
    assert "Bornholm" in result.stdout
    assert "34.152.809 kr." in result.stdout


def test_scenario_show_gives_dated_prices_each_from_its_date():
    from brobygger.cli import _prices

    assert _prices(15000) == "15.000 kr."
    assert _prices({"2021-01-01": 99999, "2018-01-01": 15000}) == (
        "fra 2018-01-01: 15.000 kr.; fra 2021-01-01: 99.999 kr.")
    assert _prices(None) == "–"


def test_scenario_show_json_gives_each_assumption_as_one_english_text():
    result = runner.invoke(app, ["scenario", "show", "--json"])
    assert result.exit_code == 0
    assumptions = json.loads(result.stdout)["assumptions"]
    assert all(isinstance(text, str) for text in assumptions.values())
    assert assumptions["A5"] == "Referred citizens start the course after 1¼ months on average."


@pytest.mark.parametrize(("args", "said"), [
    (["expect", "{tmp}/missing.yaml"],
     "missing.yaml: ingen scenariefil eller medfølgende scenarie med det navn (medfølgende: "
     "default, national)"),
    (["expect", "{tmp}/list.yaml"], "list.yaml: en scenariefil består af nøgler med værdier"),
    (["expect", "{tmp}/typo.yaml"],
     "typo.yaml: extends: defualt: ingen scenariefil eller medfølgende scenarie"),
    (["params", "show", "nosuch"], "nosuch: parameteren findes ikke"),
    (["params", "show", "taxes", "--at", "2020-3-1"], "--at: 2020-3-1: ikke en dato"),
])
def test_a_missing_or_wrong_file_or_name_is_said_in_danish_naming_it(tmp_path, args, said):
    (tmp_path / "list.yaml").write_text("- a\n- b\n")
    (tmp_path / "typo.yaml").write_text("extends: defualt\n")
    result = runner.invoke(app, [a.format(tmp=tmp_path) for a in args])
    assert result.exit_code == 2
    assert said in " ".join(result.stderr.split())


def test_params_show_gives_whole_names_shares_as_percentages_and_danish_numbers():
    result = runner.invoke(app, ["params", "show", "taxes", "--at", "2020-01-01"],
                           env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    rate = next(line for line in lines if line.lstrip().startswith(
        "taxes.beskaeftigelsesfradrag.rate"))
    assert re.search(r"\d+,\d+\u00a0% +andel", rate), rate
    maximum = next(line for line in lines if "taxes.beskaeftigelsesfradrag.max" in line)
    assert re.search(r"\d+\.\d{3} +kr\./år", maximum), maximum
    assert max(len(line) for line in lines) <= 80
    staircase = runner.invoke(app, ["params", "show", "refund.staircase", "--at",
                                    "2020-01-01"]).stdout
    assert "fra 0: 80\u00a0%" in " ".join(staircase.split(" "))


def test_scenario_show_names_payers_payees_triggers_and_targets_in_danish():
    text = re.sub(r"[ \n]+", " ", runner.invoke(app, ["scenario", "show"],
                                                env={"COLUMNS": "200"}).stdout)
    assert re.search(r"jobstart │ 15\.000 kr\. │ kommunen │ anden aktør │ 50 % │ │ │ │ │ │ "
                     r"socialøkonomisk virksomhed │ 50 %", text), text
    assert "job fastholdt 6 måneder" in text and "pladser oprettet │ 90" in text
    assert "other_actor" not in text and "induction_completed" not in text
