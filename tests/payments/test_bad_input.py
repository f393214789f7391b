"""Bad input is rejected with file, row and reason, and nothing reaches the ledger."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import numpy as np
import pytest
import yaml

from brobygger.ledger_cli import run_settlement
from brobygger.payments.checks import check_events
from brobygger.payments.contract_file import ContractError, load_contract_file
from brobygger.payments.events import EventError, read_events
from brobygger.payments.period import Period

from .helpers import CONTRACT, contract, run

GOOD = """\
participant,type,date,partnership,state,hours_per_week,amount
anna,referral,2020-01-06,p1,,,
anna,job_start,2020-02-10,,job_other,30,21000.50
"""


@pytest.fixture
def files(tmp_path: Path):
    contract = tmp_path / "contract.yaml"
    contract.write_text(textwrap.dedent(CONTRACT), encoding="utf-8")

    def settle_with(extra_rows: str) -> tuple[list[str], Path]:
        events = tmp_path / "events.csv"
        events.write_text(GOOD + textwrap.dedent(extra_rows).strip() + "\n", encoding="utf-8")
        ledger = tmp_path / "ledger"
        result, _ = run_settlement(events, contract, Period.parse("2020"), ledger,
                                   as_of=dt.date(2021, 1, 1))
        return [str(p) for p in result.problems], ledger

    return settle_with


def _nothing_written(ledger: Path) -> bool:
    return not ledger.exists() or not any(ledger.rglob("*.jsonl"))


@pytest.mark.parametrize(("rows", "expected"), [
    ("zoe,job_start,2020-03-01,,job_other,30,", "events.csv: row 4: unknown participant 'zoe'"),
    ("anna,induction_start,2019-12-01,,,,",
     "events.csv: row 4: date 2019-12-01 is before participant anna's referral on 2020-01-06"),
    ("anna,job_end,2021-06-30,,,,", "events.csv: row 4: date 2021-06-30 is in the future"),
    ("anna,job_end,2020-02-01,,,,",
     "events.csv: row 4: job end 2020-02-01 is before its start 2020-02-10 (row 3)"),
    ("anna,job_start,2020-02-10,,job_other,30,21000.50",
     "events.csv: row 4: duplicate event: the same as row 3"),
    ("anna,benefit_month,2020-01-31,,,,11532.755",
     "events.csv: row 4: amount '11532.755' has more than two decimals"),
    ("anna,benefit_month,2020-01-31,,,,-11532.75",
     "events.csv: row 4: amount '-11532.75' is negative"),
    ("anna,benefit_month,2020-01-31,,,,1²",
     "events.csv: row 4: amount '1²' is not a number"),
    ("anna,job_start,2020-13-01,,job_other,30,",
     "events.csv: row 4: date '2020-13-01' is not a date"),
    ("anna,hired,2020-03-01,,,,", "events.csv: row 4: unknown event type 'hired'"),
    ("anna,job_start,2020-03-01,,job_other,30,",
     "events.csv: row 4: a job starts on 2020-03-01 while the job from row 3 is still open"),
    ("anna,induction_completed,2020-03-01,,,,",
     "events.csv: row 4: induction_completed without an induction_start"),
    ("anna,referral,2020-01-20,p1,,,", "events.csv: row 4: participant anna is referred twice"),
    ("bo,referral,2020-01-20,p9,,,", "events.csv: row 4: partnership 'p9' is not in the contract"),
])
def test_a_bad_event_is_named_by_file_row_and_reason_and_nothing_is_written(files, rows,
                                                                             expected):
    problems, ledger = files(rows)
    assert any(expected in p for p in problems), problems
    assert _nothing_written(ledger)


def test_every_problem_is_listed_at_once(files):
    problems, ledger = files("""
        zoe,job_start,2020-03-01,,job_other,30,
        anna,benefit_month,2020-01-31,,,,1.999
        anna,job_end,2020-02-01,,,,
    """)
    assert [p.split(": ")[1] for p in problems] == ["row 4", "row 5", "row 6"]
    assert _nothing_written(ledger)


def test_a_good_file_is_written(files):
    problems, ledger = files("")
    assert problems == []
    assert len(list(ledger.rglob("*.jsonl"))) == 1


def test_contradictory_caps_are_refused_naming_the_file_and_key(tmp_path: Path):
    data = yaml.safe_load(textwrap.dedent(CONTRACT))
    data["contract"]["caps"] = {"per_participant": 50000, "per_partnership": 20000}
    path = tmp_path / "contract.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContractError) as err:
        load_contract_file(path)
    assert f"{path}: contract.caps" in str(err.value)
    assert "caps contradict each other" in str(err.value)


def test_a_partnership_cap_below_the_participant_cap_is_a_contradiction(tmp_path: Path):
    data = yaml.safe_load(textwrap.dedent(CONTRACT))
    data["contract"]["caps"] = {"per_participant": 50000}
    data["partnerships"][0]["cap"] = 10000
    path = tmp_path / "contract.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContractError, match=r"partnerships.0 \(p1\).cap: caps contradict"):
        load_contract_file(path)


def test_a_misspelt_contract_key_is_an_error(tmp_path: Path):
    data = yaml.safe_load(textwrap.dedent(CONTRACT))
    data["contract"]["lag_month"] = 2
    path = tmp_path / "contract.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContractError, match=r"contract\.lag_month") as caught:
        load_contract_file(path)
    # the schema's error type and the key given stay on the problem, for a user interface
    # to say it in its own language
    [problem] = caught.value.problems
    assert (problem.location, problem.kind) == ("contract.lag_month", "extra_forbidden")
    assert problem.message == "Extra inputs are not permitted"
    assert dict(problem.context) == {"input": 2}


def test_a_csv_with_an_unknown_column_is_refused(tmp_path: Path):
    path = tmp_path / "events.csv"
    path.write_text("participant,type,date,colour\nanna,referral,2020-01-01,red\n")
    with pytest.raises(EventError, match="header: unknown column 'colour'"):
        read_events(path)


def test_a_json_event_file_reports_rows_from_one(tmp_path: Path):
    path = tmp_path / "events.json"
    path.write_text(json.dumps({"events": [
        {"participant": "anna", "type": "referral", "date": "2020-01-06", "partnership": "p1"},
        {"participant": "anna", "type": "benefit_month", "date": "2020-01-31",
         "amount": 100.125},
    ]}))
    _, problems = read_events(path)
    assert [str(p) for p in problems] == [
        f"{path}: row 2: amount '100.125' has more than two decimals"]


def test_an_event_file_that_is_empty_or_not_utf8_is_refused_with_where(tmp_path: Path):
    empty = tmp_path / "events.csv"
    empty.write_text("participant,type,date\n")
    with pytest.raises(EventError, match=r"events\.csv: no events in the file"):
        read_events(empty)
    (tmp_path / "events.json").write_text("[]")
    with pytest.raises(EventError, match=r"events\.json: no events in the file"):
        read_events(tmp_path / "events.json")
    latin = tmp_path / "latin.csv"
    latin.write_bytes("participant,type,date\nsøren,referral,2020-01-06\n".encode("cp1252"))
    with pytest.raises(EventError, match=r"latin.csv: byte 23: not UTF-8 text"):
        read_events(latin)
    with pytest.raises(EventError, match="not a file"):
        read_events(tmp_path)


def test_a_period_that_has_not_ended_by_the_as_of_date_is_not_settled(files, tmp_path: Path):
    contract = tmp_path / "contract.yaml"
    events = tmp_path / "events.csv"
    events.write_text(GOOD)
    result, _ = run_settlement(events, contract, Period.parse("2020-H2"), tmp_path / "ledger",
                               as_of=dt.date(2020, 10, 1))
    assert [str(p) for p in result.problems] == [
        "--period: 2020-H2: ends 2020-12-31, after 2020-10-01: only a period that has ended "
        "can be settled (what happens in its last months is not known yet)"]
    assert _nothing_written(tmp_path / "ledger")


@pytest.mark.parametrize("text", ["0000", "0000-01", "２０２０-Q1", "10000"])
def test_a_period_outside_the_calendar_is_refused(text):
    with pytest.raises(ValueError, match=r"out of range|is not a period"):
        Period.parse(text)


def test_a_partnership_in_an_unknown_municipality_is_refused(tmp_path: Path):
    data = yaml.safe_load(textwrap.dedent(CONTRACT))
    data["partnerships"][0]["municipality"] = "999"
    path = tmp_path / "contract.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContractError, match=r"partnerships\.0.*municipality: .*unknown "
                                            r"kommunekode '999'"):
        load_contract_file(path)
    # the same on a referral that describes its partnership
    events = tmp_path / "described.csv"
    events.write_text("participant,type,date,partnership,municipality,other_actor,"
                      "social_enterprise\nbo,referral,2020-01-08,p9,999,aa9,se9\n")
    table, _ = read_events(events)
    _, found = check_events(table, contract(), dt.date(2021, 1, 1))
    assert [str(p) for p in found] == [
        f"{events}: row 2: municipality: unknown kommunekode '999'"]


def test_an_investor_drawdown_month_must_be_a_month(tmp_path: Path):
    data = yaml.safe_load(textwrap.dedent(CONTRACT))
    data["investor"] = {"id": "fund", "drawdowns": [
        {"month": "2020-13", "amount": 1000, "provider": "other_actor:aa1"}]}
    path = tmp_path / "contract.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(ContractError, match=r"investor\.drawdowns\.0\.month"):
        load_contract_file(path)


def test_every_contradiction_in_a_contract_file_is_named_at_once():
    data = yaml.safe_load(textwrap.dedent(CONTRACT))
    start, sustained = data["contract"]["outcomes"]
    sustained["id"] = "start"  # two outcomes would share their payments' keys
    start["payer"] = "investor"  # with no investor block: a made-up account would pay
    start["valid_from"], start["valid_to"] = "2021-01-01", "2020-01-01"
    data["contract"]["outcomes"].append({
        "id": "places", "label": "Places", "trigger": {"type": "place_created"}, "price": 100,
        "payer": "municipality", "payees": {"other_actor": 1}})
    data["contract"]["caps"] = {"per_contract": 100000}
    data["partnerships"] = [{**data["partnerships"][0], "cap": 200000}, data["partnerships"][0]]
    with pytest.raises(ContractError) as err:
        contract(yaml.safe_dump(data), source="c.yaml")
    found = {(p.location, p.message) for p in err.value.problems}
    assert found == {
        ("contract.outcomes", "outcome id 'start' is used twice"),
        ("contract.outcomes.0 (start)", "valid_to 2020-01-01 is before valid_from 2021-01-01"),
        ("contract.outcomes.0 (start).payer",
         "the payer is 'investor' but the file has no investor block"),
        ("contract.outcomes.2 (places).payees",
         "an enterprise-side outcome is paid to the social_enterprise"),
        ("partnerships", "partnership 'p1' is listed twice"),
        ("partnerships.0 (p1).cap", "caps contradict each other: the partnership cap 200000 is "
         "above the per-contract cap 100000"),
    }


def test_payee_shares_that_do_not_add_up_to_the_whole_price_are_refused():
    data = yaml.safe_load(textwrap.dedent(CONTRACT))
    data["contract"]["outcomes"][0]["payees"] = {"other_actor": 0.6, "social_enterprise": 0.3}
    with pytest.raises(ContractError, match=r"contract\.outcomes\.0\.payees: .*payee shares "
                                            r"must sum to 1, got 0\.9"):
        contract(yaml.safe_dump(data), source="c.yaml")


WIDE = "id,participant,type,date,partnership,municipality,other_actor,social_enterprise," \
       "state,hours_per_week,count\n,anna,referral,2020-01-06,p1,,,,,,\n"


@pytest.mark.parametrize(("rows", "where", "expected"), [
    ("e1,anna,induction_start,2020-01-08,,,,,,,\ne1,anna,induction_completed,2020-02-08,,,,,,,",
     "row 4", "duplicate event id 'e1' (also row 3)"),
    (",,induction_start,2020-01-08,,,,,,,", "row 3", "a citizen event needs a participant"),
    (",,place_created,2020-01-08,,,,,,,1", "row 3", "an enterprise event needs a partnership"),
    (",anna,job_start,2020-02-10,,,,,,30,", "row 3", "a job_start needs a state"),
    (",anna,job_start,2020-02-10,,,,,job_other,,", "row 3", "a job_start needs hours_per_week"),
    (",,place_created,2020-01-08,p9,,,,,,1", "row 3", "unknown partnership 'p9'"),
    (",,place_created,2020-01-08,p1,,,se9,,,1", "row 3",
     "social_enterprise 'se9' is not partnership p1's (se1)"),
    (",,place_created,2020-01-08,p1,,,,,,0", "row 3",
     "count '0' is not a whole number of at least 1"),
    (",anna,exit,2020-03-01,,,,,,,\n,anna,exit,2020-04-01,,,,,,,", "row 4",
     "the participant has already exited"),
    (",anna,exit,2020-03-01,,,,,,,\n,anna,induction_start,2020-04-01,,,,,,,", "row 4",
     "date 2020-04-01 is after the participant's exit on 2020-03-01"),
    (",anna,job_end,2020-03-01,,,,,,,", "row 3", "job end without a job start for participant "
     "anna"),
    (",bo,referral,2020-01-08,,,,,,,", "row 3", "a referral needs a partnership"),
    (",bo,referral,2020-01-08,p2,101,aa1,,,,", "row 3", "a referral that describes its "
     "partnership gives municipality, other_actor and social_enterprise"),
    (",bo,referral,2020-01-08,p1,147,aa1,se1,,,", "row 3",
     "partnership 'p1' contradicts the contract file's"),
    (",bo,referral,2020-01-08,p2,101,aa1,se1,,,\n,cy,referral,2020-01-09,p2,101,aa2,se1,,,",
     "row 4", "partnership 'p2' is described differently on another referral"),
])
def test_an_event_that_would_pay_the_wrong_party_or_for_nothing_is_named(rows, where,
                                                                          expected):
    result = run(WIDE + rows + "\n", "2020")
    assert not result.ok and result.entries == ()
    assert any(p.location == where and expected in p.message for p in result.problems), \
        [str(p) for p in result.problems]


@pytest.mark.parametrize(("name", "text", "where", "expected"), [
    ("events.csv", "participant,type,date\nanna,referral,2020-01-06,p1\n", "row 2",
     "has 4 cells, the header has 3"),
    ("events.csv", "participant,type,date,type\nanna,referral,2020-01-06,referral\n",
     "header", "column 'type' appears twice"),
    ("events.csv", "participant,date\nanna,2020-01-06\n", "header",
     "the required column 'type' is missing"),
    ("events.json", '[{"participant": "anna", "type": "referral"', "line 1", "malformed JSON"),
    ("events.json", '{"rows": []}', "", "a JSON event file is a list of event objects"),
    ("events.json", '[{"participant": "anna", "date": "2020-01-06"}]', "row 1", "no 'type'"),
    ("events.txt", "participant,type,date\n", "", "an event file ends in .csv or .json"),
])
def test_an_event_file_that_cannot_be_read_as_events_is_refused_whole(tmp_path: Path, name,
                                                                       text, where, expected):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EventError) as err:
        read_events(path)
    (problem,) = err.value.problems
    assert (problem.source, problem.location) == (str(path), where)
    assert problem.message.startswith(expected), problem.message


def test_a_missing_event_file_is_named():
    with pytest.raises(EventError, match=r"nowhere/events\.csv: no such file"):
        read_events("nowhere/events.csv")


@pytest.mark.parametrize(("row", "expected"), [
    ("anna,job_start,2020-02-10,,job_other,200,,", "hours_per_week '200' is not between 0 and "
     "168"),
    ("anna,job_start,2020-02-10,,boss,30,,", "state 'boss' is not a job state"),
    ("anna,job_end,,,,,,", "the date is missing"),
    (",place_created,2020-02-10,p1,,,1.5,", "count '1.5' is not a whole number of at least 1"),
    ("anna,job_end,2020-03-10,,,,,maybe", "verified 'maybe' is not true or false"),
])
def test_a_cell_that_is_not_what_its_column_holds_is_named_by_row(tmp_path: Path, row,
                                                                  expected):
    path = tmp_path / "events.csv"
    path.write_text("participant,type,date,partnership,state,hours_per_week,count,verified\n"
                    "anna,referral,2020-01-06,p1,,,,\n" + row + "\n", encoding="utf-8")
    _, problems = read_events(path)
    assert [(p.location, expected in p.message) for p in problems] == [("row 3", True)], \
        [str(p) for p in problems]


def test_a_large_partnership_cap_is_written_out_not_in_exponent_notation():
    from brobygger.problem_text import problem_text

    data = yaml.safe_load(textwrap.dedent(CONTRACT))
    data["contract"]["caps"] = {"per_contract": 1_000_000}
    data["partnerships"] = [{**data["partnerships"][0], "cap": 2_500_000.5}]
    with pytest.raises(ContractError) as err:
        contract(yaml.safe_dump(data), source="c.yaml")
    [problem] = err.value.problems
    assert problem.message == ("caps contradict each other: the partnership cap 2500000.5 is "
                               "above the per-contract cap 1000000")
    assert "partnerskabets loft på 2.500.000,5" in problem_text(problem, "da")
    assert "e+06" not in problem_text(problem, "da")


def test_a_semicolon_file_as_a_danish_spreadsheet_saves_it_reads_as_the_comma_file(
        tmp_path: Path):
    comma = tmp_path / "comma.csv"
    comma.write_text(GOOD)
    danish = tmp_path / "danish.csv"
    danish.write_text(GOOD.replace(",", ";").replace("21000.50", "21.000,50"))
    (a, problems_a), (b, problems_b) = read_events(comma), read_events(danish)
    assert problems_a == problems_b == []
    assert list(b.amount) == list(a.amount) == [0, 2_100_050]
    np.testing.assert_array_equal(b.hours, a.hours)  # (blank: NaN in both)
    half = tmp_path / "half.csv"  # a decimal comma in hours; a cell in no number's form
    half.write_text("participant;type;date;partnership;state;hours_per_week;amount\n"
                    "anna;referral;2020-01-06;p1;;;\n"
                    "anna;job_start;2020-02-10;;job_other;37,5;tolv\n")
    _, problems = read_events(half)
    [problem] = problems
    assert (problem.location, problem.kind) == ("row 3", "amount_not_a_number")


def test_an_enterprise_event_written_twice_with_citizen_columns_apart_is_one_duplicate(
        tmp_path: Path):
    """An enterprise event is its partnership's, type, day, count and amount: a second row
    that differs only in a column a citizen's event has (municipality, other actor, state,
    hours) is the same event — said as a duplicate, not paid twice or refused for its id."""
    text = ("participant,type,date,partnership,municipality,state,hours_per_week,count\n"
            "anna,referral,2020-01-06,p1,,,,\n"
            ",place_created,2020-02-11,p1,,,,3\n"
            ",place_created,2020-02-11,p1,101,job_other,30,3\n"
            ",place_created,2020-02-12,p1,,,,3\n")
    path = tmp_path / "events.csv"
    path.write_text(text)
    table, problems = read_events(path)
    _, found = check_events(table, contract(), dt.date(2021, 1, 1))
    assert [(p.location, p.kind) for p in [*problems, *found]] == [
        ("row 4", "duplicate_event")]


def test_a_scenario_that_extends_another_is_a_scenario_file_whose_contract_is_used(
        tmp_path: Path):
    from brobygger.scenario.load import load_scenario

    path = tmp_path / "plan.yaml"
    path.write_text("extends: default\nchanges:\n  - name: higher start price\n"
                    "    set: {contract.lag_months: 3}\n", encoding="utf-8")
    cf = load_contract_file(path)
    assert cf.contract == load_scenario(path).contract and cf.contract.lag_months == 3
    assert cf.investor is None  # a scenario's investor is a plan, not the file's
    (tmp_path / "short.yaml").write_text("extends: default\n", encoding="utf-8")
    assert load_contract_file(tmp_path / "short.yaml").contract == load_scenario().contract


def test_a_benefit_month_is_dated_by_its_month_not_before_a_referral_in_it(files):
    """anna is referred on 2020-01-06: January's benefit is not before the referral, a
    benefit in December is."""
    problems, _ = files("anna,benefit_month,2020-01-01,,,,11532.75")
    assert problems == []
    [problem], _ = files("anna,benefit_month,2019-12-01,,,,11532.75")
    assert problem.endswith("events.csv: row 4: date 2019-12-01 is before participant anna's "
                            "referral on 2020-01-06")


def test_a_cpr_number_as_participant_id_is_refused_and_never_repeated(tmp_path: Path):
    from typer.testing import CliRunner

    from brobygger.cli import app

    (tmp_path / "c.yaml").write_text(textwrap.dedent(CONTRACT), encoding="utf-8")
    (tmp_path / "e.csv").write_text(GOOD + textwrap.dedent("""\
        010180-1234,referral,2020-01-06,p1,,,
        010180-1234,referral,2020-01-07,p1,,,
        0203041234,referral,2020-01-06,p1,,,
        0203041234,job_start,2020-02-10,,job_other,30,
        1300001234,referral,2020-01-06,p1,,,
        """), encoding="utf-8")
    args = ["settle", str(tmp_path / "e.csv"), "--contract", str(tmp_path / "c.yaml"),
            "--period", "2020", "--as-of", "2021-01-01", "--ledger", str(tmp_path / "L")]
    for extra in ([], ["--json"], ["--dry-run"]):
        result = CliRunner().invoke(app, [*args, *extra])
        assert result.exit_code == 2, result.output
        assert "1234" not in result.output.replace("1300001234", ""), result.output
        assert not (tmp_path / "L").exists()
    said = " ".join(CliRunner().invoke(app, args).output.split())
    assert "række 4: deltager 010180-XXXX ligner et CPR-nummer" in said
    assert "række 6: deltager 020304-XXXX ligner et CPR-nummer" in said
    assert "1300001234" not in said  # (no 13th month: not a CPR number's shape)
