"""The settlement's problems (event files, contract files, the checks, the ledger) carry
their kind and figures, so the command line says them in Danish by default and in English
when asked (brobygger.problem_text): the English is the core's own message, and where the
problem is (``row 12``, ``header``) is said in the language too."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from pydantic import ValidationError
from typer.testing import CliRunner

from brobygger.errors import BrobyggerError, Problem
from brobygger.ledger_cli import register
from brobygger.payments import checks, store
from brobygger.payments import events as event_files
from brobygger.payments.contract_file import Partnership
from brobygger.payments.events import read_events
from brobygger.payments.ledger import (
    Close,
    Meta,
    Posting,
    Transaction,
    reversal,
    validate,
    validate_caps,
    validate_verified_events,
)
from brobygger.payments.period import Period
from brobygger.payments.settle import cap_audit
from brobygger.payments.store import LedgerDir
from brobygger.problem_text import MESSAGES, location_text, problem_message, problem_text

from .helpers import CONTRACT, contract, run

#: the settlement's kinds: those listed in MESSAGES from the event file's first on
SETTLEMENT_KINDS = list(MESSAGES)[list(MESSAGES).index("not_a_date"):]


def both(problem: Problem) -> tuple[str, str]:
    return problem_text(problem, "da"), problem_text(problem, "en")


def refused(path: Path) -> list[Problem]:
    """The problems reading an event file meets: the file refused whole, or its cells."""
    try:
        return read_events(path)[1]
    except BrobyggerError as exc:
        return exc.problems


# ------------------------------------------------------------- the problems, said


def test_a_broken_event_csv_is_said_in_danish_and_in_the_core_s_english(tmp_path: Path):
    path = tmp_path / "events.csv"
    path.write_text("participant,type,date,amount,hours_per_week\n"
                    "anna,referral,2020-01-06,,\n"
                    "anna,job_start,2020-13-01,,40\n"
                    "anna,benefit_month,2020-01-31,11532.755,\n"
                    "anna,job_start,2020-02-10,,200\n", encoding="utf-8")
    problems = refused(path)
    assert [both(p)[0] for p in problems] == [
        f"{path}: række 3: datoen '2020-13-01' er ikke en dato (ÅÅÅÅ-MM-DD)",
        f"{path}: række 4: beløbet '11532.755' har mere end to decimaler",
        f"{path}: række 5: timetallet pr. uge (hours_per_week) '200' ligger ikke mellem 0 "
        "og 168",
    ]
    assert [both(p)[1] for p in problems] == [str(p) for p in problems]
    assert str(problems[0]) == f"{path}: row 3: date '2020-13-01' is not a date (YYYY-MM-DD)"


@pytest.mark.parametrize(("text", "danish"), [
    ("", "filen er tom (ingen overskriftsrække)"),
    ("participant,type,date,type\n", "overskriften: kolonnen 'type' findes to gange"),
    ("participant,date\nanna,2020-01-06\n",
     "overskriften: den påkrævede kolonne 'type' mangler"),
    ("participant,type,date\nanna,referral,2020-01-06,p1\n",
     "række 2: har 4 celler, overskriftsrækken har 3"),
    ("participant,type,date\n", "filen indeholder ingen hændelser"),
])
def test_an_event_csv_refused_whole_is_said_in_danish(tmp_path: Path, text, danish):
    path = tmp_path / "events.csv"
    path.write_text(text, encoding="utf-8")
    [problem] = refused(path)
    assert both(problem) == (f"{path}: {danish}", str(problem))


def test_an_event_file_that_is_not_utf8_says_so_in_danish(tmp_path: Path):
    path = tmp_path / "latin.csv"
    path.write_bytes("participant,type,date\nsøren,referral,2020-01-06\n".encode("cp1252"))
    [problem] = refused(path)
    assert both(problem) == (f"{path}: byte 23: ikke UTF-8-tekst: gem filen som UTF-8",
                             f"{path}: byte 23: not UTF-8 text: save the file as UTF-8")


def test_a_broken_json_event_file_keeps_the_json_reader_s_own_words(tmp_path: Path):
    path = tmp_path / "events.json"
    path.write_text('[{"participant": "anna",\n "type": "referral"', encoding="utf-8")
    [problem] = refused(path)
    da, en = both(problem)
    # where and what are Danish; why is the JSON reader's English, as it said it
    assert da == f"{path}: linje 2: ugyldig JSON: Expecting ',' delimiter"
    assert en == str(problem) == f"{path}: line 2: malformed JSON: Expecting ',' delimiter"
    path.write_text(json.dumps({"events": [
        {"participant": "anna", "type": "referral", "date": "2020-01-06", "partnership": "p1"},
        {"participant": "anna", "date": "2020-01-31"}]}), encoding="utf-8")
    [problem] = refused(path)
    assert both(problem) == (f"{path}: række 2: mangler 'type'", f"{path}: row 2: no 'type'")


def test_events_that_contradict_each_other_are_said_in_danish():
    result = run("""\
        participant,type,date,partnership,state,hours_per_week
        anna,referral,2020-01-06,p1,,
        anna,job_start,2020-02-10,,job_other,30
        anna,job_start,2020-02-10,,job_other,30
        anna,job_end,2020-02-01,,,
        zoe,job_start,2020-03-01,,job_other,30
        bo,referral,2020-01-20,p9,,
    """, "2020")
    said = {p.location: both(p) for p in result.problems}
    assert said["row 4"] == ("events.csv: række 4: dublet af række 3",
                             "events.csv: row 4: duplicate event: the same as row 3")
    assert said["row 5"][0] == ("events.csv: række 5: jobophøret 2020-02-01 ligger før "
                                "jobstarten 2020-02-10 (række 3)")
    assert said["row 6"][0] == ("events.csv: række 6: ukendt deltager 'zoe': ingen "
                                "henvisning (referral)")
    assert said["row 7"][0] == (
        "events.csv: række 7: partnerskab 'p9' findes ikke i kontraktfilen: angiv "
        "municipality, other_actor og social_enterprise på henvisningen")
    assert [en for _, en in said.values()] == [str(p) for p in result.problems]


def test_a_bad_contract_file_is_said_in_danish(tmp_path: Path):
    data = yaml.safe_load(textwrap.dedent(CONTRACT))
    data["contract"]["outcomes"][1]["id"] = "start"
    data["contract"]["caps"] = {"per_contract": 1000}
    data["partnerships"] = [{**data["partnerships"][0], "cap": 2500.5},
                            {**data["partnerships"][0], "municipality": "999"}]
    with pytest.raises(BrobyggerError) as caught:
        contract(yaml.safe_dump(data), source="c.yaml")
    [unknown] = caught.value.problems  # the schema's first: the municipality
    assert both(unknown) == ("c.yaml: partnerships.1.municipality: ukendt kommunekode '999'",
                             "c.yaml: partnerships.1.municipality: unknown kommunekode '999'")
    assert str(unknown) == both(unknown)[1]
    data["partnerships"][1]["municipality"] = "101"
    with pytest.raises(BrobyggerError) as caught:
        contract(yaml.safe_dump(data), source="c.yaml")
    said = [both(p) for p in caught.value.problems]
    assert said == [
        ("c.yaml: contract.outcomes: resultat-id'et 'start' er brugt to gange",
         "c.yaml: contract.outcomes: outcome id 'start' is used twice"),
        ("c.yaml: partnerships: partnerskab 'p1' er opført to gange",
         "c.yaml: partnerships: partnership 'p1' is listed twice"),
        ("c.yaml: partnerships.0 (p1).cap: lofterne modsiger hinanden: partnerskabets loft "
         "på 2.500,5 er højere end loftet pr. kontrakt på 1.000",
         "c.yaml: partnerships.0 (p1).cap: caps contradict each other: the partnership cap "
         "2500.5 is above the per-contract cap 1000"),
    ]
    assert [en for _, en in said] == [str(p) for p in caught.value.problems]


def test_a_write_to_a_closed_period_is_said_in_danish(tmp_path: Path):
    q1 = run("participant,type,date,partnership,state,hours_per_week\n"
             "anna,referral,2020-01-06,p1,,\nanna,job_start,2020-02-10,,job_other,30\n",
             "2020-Q1").entries
    closed = Close(Period.parse("2020-Q1"), dt.date(2020, 4, 2))
    again = run("participant,type,date,partnership\nanna,referral,2020-01-06,p1\n",
                "2020-Q1", [*q1, closed])
    [overlap] = again.problems
    assert both(overlap) == (
        "ledger: perioden 2020-Q1: overlapper den lukkede periode 2020-Q1: afregn en åben "
        "periode (rettelser til en lukket periode bogføres i den næste åbne)",
        str(overlap))
    late = q1[0]._replace(id="late", date=dt.date(2020, 3, 31))
    [dated] = validate([*q1, closed, late])
    assert both(dated) == (
        "ledger: transaktion late: dateret 2020-03-31 i den lukkede periode 2020-Q1",
        "ledger: transaction late: dated 2020-03-31 in closed period 2020-Q1")
    ledger = LedgerDir(tmp_path / "L")
    ledger.append([closed], "close", "2020-Q1")
    with pytest.raises(BrobyggerError) as caught:
        ledger.close(Period.parse("2020-03"))
    [twice] = caught.value.problems
    assert both(twice) == (f"{tmp_path / 'L'}: perioden 2020-03: er allerede lukket (som "
                           "2020-Q1)", str(twice))


def test_amounts_of_money_are_said_in_the_language_s_format():
    paid = _payment("a", dt.date(2020, 1, 1), "123456.50", participant="anna")
    [over] = validate_caps([paid], per_participant=Decimal("100000.00"))
    assert problem_message(over, "da") == ("betalt 123.456,50, over loftet på 100.000,00 pr. "
                                           "deltager")
    assert problem_message(over, "en") == over.message == ("paid 123456.50, past the cap of "
                                                           "100000.00 per participant")


def test_a_location_is_said_in_danish_only_where_it_is_a_row_or_a_named_thing():
    assert location_text("row 12", "da") == "række 12"
    assert location_text("header", "da") == "overskriften"
    assert location_text("transaction c1:start:anna:2020-02", "da") == \
        "transaktion c1:start:anna:2020-02"
    for key_path in ("contract.outcomes.0 (start).price", "partnerships", "contract", "",
                     "row"):
        assert location_text(key_path, "da") == key_path
    assert location_text("row 12", "en") == "row 12"
    # an option's location is the value it was given: never translated
    folder = Problem("--ledger", "period ledger", "no ledger here (settle starts one)",
                     "no_ledger")
    assert problem_text(folder, "da") == "--ledger: period ledger: her er ingen ledger " \
                                         "(settle opretter en)"
    # nor is the location of a problem said in English
    plain = Problem("events.csv", "row 3", "something new")
    assert problem_text(plain, "da") == str(plain)
    assert plain.where == "events.csv: row 3"


# ----------------------------------------- every kind's English is the core's message


def _payment(txn_id: str, date: dt.date, amount: str = "100.00", **meta: Any
             ) -> Transaction:
    x = Decimal(amount)
    return Transaction(txn_id, date, "payment", "Job start",
                       (Posting("municipality:101", -x), Posting("other_actor:aa1", x)),
                       Meta(key=txn_id, **meta))


def _event_file_problems(tmp_path: Path) -> list[Problem]:
    header = "participant,type,date,partnership,state,hours_per_week,amount,count,verified\n"
    files = {
        "cells.csv": header + "anna,referral,2020-01-06,p1,,,,,\n" + "\n".join([
            "anna,job_start,2020-13-01,,job_other,30,,,",
            "anna,benefit_month,2020-01-31,,,,1.999,,",
            "anna,benefit_month,2020-01-31,,,,-5,,", "anna,benefit_month,2020-01-31,,,,1²,,",
            "anna,hired,2020-03-01,,,,,,", "anna,job_start,2020-02-10,,boss,30,,,",
            "anna,job_start,2020-02-10,,job_other,many,,,",
            "anna,job_start,2020-02-10,,job_other,200,,,", ",place_created,2020-02-10,p1,,,,0,",
            "anna,job_end,2020-03-10,,,,,,maybe", "anna,job_end,,,,,,,"]) + "\n",
        "empty.csv": "",
        "cells_count.csv": "participant,type,date\nanna,referral,2020-01-06,p1\n",
        "bad.json": '[{"participant": "anna"',
        "rows.json": '{"rows": []}',
        "keyless.json": '[{"participant": "anna", "date": "2020-01-06"}]',
        "columns.csv": "participant,type,date,colour,type\n",
        "required.csv": "participant,date\n",
        "events.txt": "participant,type,date\n",
        "noevents.csv": "participant,type,date\n",
        "cpr.csv": "participant,type,date,partnership\n010180-1234,referral,2020-01-06,p1\n",
        "huge.csv": "participant,type,date\n" + "x" * 200_000 + ",referral,2020-01-01\n",
    }
    found: list[Problem] = []
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        found += refused(tmp_path / name)
    (tmp_path / "latin.csv").write_bytes("participant\nsøren\n".encode("cp1252"))
    found += refused(tmp_path / "latin.csv")
    found += refused(tmp_path / "nowhere.csv") + refused(tmp_path)

    def unreadable(path: Path) -> None:
        raise PermissionError(13, "Permission denied")

    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(event_files, "read_csv", unreadable)
        found += refused(tmp_path / "cells.csv")
    return found


WIDE = ("id,participant,type,date,partnership,municipality,other_actor,social_enterprise,"
        "state,hours_per_week,count\n,anna,referral,2020-01-06,p1,,,,,,\n")

CONTRADICTIONS = [
    "e1,anna,induction_start,2020-01-08,,,,,,,\ne1,anna,induction_completed,2020-02-08,,,,,,,",
    ",anna,induction_start,2020-01-08,,,,,,,\n,anna,induction_start,2020-01-08,,,,,,,",
    ",,induction_start,2020-01-08,,,,,,,", ",,place_created,2020-01-08,,,,,,,1",
    ",anna,job_start,2020-02-10,,,,,,,", ",,place_created,2020-01-08,p9,,,,,,1",
    ",,place_created,2020-01-08,p1,,,se9,,,1", ",anna,job_end,2022-06-30,,,,,,,",
    ",anna,exit,2020-03-01,,,,,,,\n,anna,exit,2020-04-01,,,,,,,\n"
    ",anna,induction_start,2020-04-01,,,,,,,",
    ",anna,job_end,2020-03-01,,,,,,,\n,anna,education_end,2020-03-01,,,,,,,",
    ",anna,job_start,2020-02-10,,,,,job_other,30,\n,anna,job_end,2020-02-01,,,,,,,",
    ",anna,education_start,2020-02-10,,,,,,,\n,anna,education_end,2020-02-01,,,,,,,",
    ",anna,job_start,2020-02-10,,,,,job_other,30,\n,anna,job_start,2020-03-10,,,,,job_other,30,",
    ",anna,job_start,2020-02-10,,,,,job_other,30,\n,anna,job_start,2020-03-10,,,,,job_other,30,"
    "\n,anna,job_end,2020-04-10,,,,,,,",
    ",anna,education_start,2020-02-10,,,,,,,\n,anna,education_start,2020-03-10,,,,,,,",
    ",anna,education_start,2020-02-10,,,,,,,\n,anna,education_start,2020-03-10,,,,,,,\n"
    ",anna,education_end,2020-04-10,,,,,,,",
    ",anna,induction_completed,2020-03-01,,,,,,,", ",zoe,induction_start,2020-03-01,,,,,,,",
    ",anna,induction_start,2019-12-01,,,,,,,", ",anna,referral,2020-01-20,p1,,,,,,",
    ",bo,referral,2020-01-08,,,,,,,", ",bo,referral,2020-01-08,p9,,,,,,",
    ",bo,referral,2020-01-08,p2,101,aa1,,,,", ",bo,referral,2020-01-08,p1,147,aa1,se1,,,",
    ",bo,referral,2020-01-08,p2,999,aa1,se1,,,",
    ",bo,referral,2020-01-08,p2,101,aa1,se1,,,\n,cy,referral,2020-01-09,p2,101,aa2,se1,,,",
]


def _contract_problems() -> list[Problem]:
    data = yaml.safe_load(textwrap.dedent(CONTRACT))
    start, sustained = data["contract"]["outcomes"]
    sustained["id"] = "start"
    start["payer"] = "investor"
    start["valid_from"], start["valid_to"] = "2021-01-01", "2020-01-01"
    start["price"] = {}
    data["contract"]["outcomes"].append({
        "id": "places", "label": "Places", "trigger": {"type": "place_created"}, "price": 100,
        "payer": "municipality", "payees": {"other_actor": 1}})
    data["contract"]["caps"] = {"per_participant": 5000, "per_contract": 100000}
    data["partnerships"] = [{**data["partnerships"][0], "cap": 200000},
                            {**data["partnerships"][0], "cap": 1000}]
    invested = {**yaml.safe_load(textwrap.dedent(CONTRACT)), "investor": {
        "id": "fund", "drawdowns": [{"month": "2020-01", "amount": 1, "provider": "aa1"}]}}
    found: list[Problem] = []
    for text in (yaml.safe_dump(data), "outcomes: []", yaml.safe_dump(invested)):
        try:
            contract(text, source="c.yaml")
        except BrobyggerError as exc:
            found += exc.problems
    return found


def _settlement_problems() -> list[Problem]:
    dated = yaml.safe_load(textwrap.dedent(CONTRACT))
    dated["contract"]["outcomes"][0]["price"] = {"2021-01-01": 10000}
    dated["contract"]["outcomes"].append({
        "id": "places", "label": "Places", "trigger": {"type": "place_created"},
        "price": {"2021-01-01": 100}, "payer": "municipality",
        "payees": {"social_enterprise": 1}})
    text = ("participant,type,date,partnership,state,hours_per_week,count\n"
            "anna,referral,2020-01-06,p1,,,\nanna,job_start,2020-02-10,,job_other,30,\n"
            ",place_created,2020-02-10,p1,,,1\n")
    found = list(run(text, "2020", cf=contract(yaml.safe_dump(dated))).problems)
    found += run(text, "2021-H2", as_of=dt.date(2021, 10, 1)).problems
    good = run(text, "2020")
    found += run(text, "2020-Q1", [*good.entries, Close(Period.parse("2020"),
                                                        dt.date(2021, 1, 2))]).problems
    # a capping fault: a payment above its price, past every cap
    pay, pw = good.payments, good.pathways
    assert pay is not None and pw is not None
    pay.paid[:] = pay.gross + 10_000_000_00
    found += cap_audit(contract(per_participant=1000, per_partnership=2000,
                                per_contract=3000), pw, pay)
    return found


def _ledger_problems(tmp_path: Path) -> list[Problem]:
    jan, apr = dt.date(2020, 1, 1), dt.date(2020, 4, 1)
    a, b = _payment("a", jan, outcome="start", events=("e1",)), _payment("b", jan)
    lopsided = a._replace(id="c", postings=(a.postings[0], Posting("x", Decimal("99.995"))))
    lonely = a._replace(id="d", postings=(Posting("x", Decimal("0")),))
    found = validate([
        a, b, lopsided, lonely, a, Close(Period.parse("2020-Q1"), apr),
        a._replace(id="late", date=dt.date(2020, 2, 1)), reversal(a, apr),
        reversal(a, apr)._replace(id="reverse:a#2"), reversal(_payment("ghost", jan), apr),
        reversal(b, apr)._replace(postings=reversal(_payment("b", jan, "99.00"), apr).postings)])
    found += validate_verified_events([a, _payment("e", jan, outcome="start")], set())
    found += validate_caps([a, b], per_participant=Decimal(1), per_partnership=Decimal(1),
                           per_contract=Decimal(1))
    found += validate_caps([a._replace(meta=a.meta._replace(participant="anna"))],
                           per_participant=Decimal(1))
    # the store: an unreadable line, a period closed twice, a ledger that cannot be written
    ledger = LedgerDir(tmp_path / "L")
    ledger.append([Close(Period.parse("2020"), apr)], "close", "2020")
    part = LedgerDir(tmp_path / "P")
    part.append([Close(Period.parse("2020-Q1"), apr)], "close", "2020-Q1")
    for call in (lambda: ledger.close(Period.parse("2020-Q1")),
                 lambda: part.close(Period.parse("2020")),  # (only its Q1 closed)
                 lambda: ledger.close(Period.parse("2020-Q1"), on=dt.date(2020, 2, 1)),
                 lambda: LedgerDir(tmp_path / "cells.csv" / "L").append([a], "settle", "x")):
        try:
            call()
        except BrobyggerError as exc:
            found += exc.problems
    with (ledger.journal / "000002-broken.jsonl").open("w") as fh:
        fh.write('{"batch": {}}\n{"transaction": {"kind": "gift"}}\n')
    try:
        ledger.entries()
    except BrobyggerError as exc:
        found += exc.problems

    def taken(src: object, dst: object) -> None:
        raise FileExistsError(dst)

    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(store.os, "link", taken)
        try:
            LedgerDir(tmp_path / "M").append([a], "settle", "x")
        except BrobyggerError as exc:
            found += exc.problems
    return found


def _option_problems(tmp_path: Path) -> list[Problem]:
    """The settle and ledger commands' own problems, as they hand them to be printed."""
    from brobygger import ledger_cli

    found: list[Problem] = []

    def fail(problems: list[Problem], as_json: bool) -> None:
        found.extend(problems)
        raise typer.Exit(2)

    app = typer.Typer()
    app.callback()(lambda: None)
    register(app)
    events_file, contract_file = tmp_path / "e.csv", tmp_path / "c.yaml"
    events_file.write_text("participant,type,date\n")
    contract_file.write_text(textwrap.dedent(CONTRACT))
    scenario_file = tmp_path / "s.yaml"
    scenario_file.write_text("extends: default\n")
    settle = ["settle", str(events_file), "--contract", str(contract_file)]
    ledger = ["--ledger", str(tmp_path / "O")]
    LedgerDir(tmp_path / "O").append([Close(Period.parse("2020"), dt.date(2021, 1, 1))],
                                     "close", "2020")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(ledger_cli, "_fail", fail)
        for args in ([*settle, "--period", "2020-Q9"], [*settle, "--period", "0000"],
                     [*settle, "--period", "2020-13"],
                     [*settle, "--period", "2020", "--as-of", "2020-13-01"],
                     ["ledger", "export", *ledger],
                     ["ledger", "export", "--format", "excel", *ledger],
                     ["ledger", "export", "--format", "xml", *ledger],
                     ["ledger", "export", "--format", "json", "--period", "2020", *ledger],
                     ["ledger", "show", "--ledger", str(tmp_path / "nowhere")],
                     ["ledger", "investor", "--contract", str(contract_file), *ledger],
                     ["ledger", "investor", "--contract", str(scenario_file), *ledger]):
            assert CliRunner().invoke(app, args).exit_code == 2, args
    return found


@pytest.fixture
def every_problem(tmp_path: Path) -> list[Problem]:
    found = _event_file_problems(tmp_path)
    for rows in CONTRADICTIONS:
        found += run(WIDE + rows + "\n", "2020").problems
    try:  # a pydantic reason the checks do not say themselves (a referral's cells are text)
        Partnership.model_validate({"id": "p", "municipality": "101", "other_actor": 5,
                                    "social_enterprise": "se"})
    except ValidationError as exc:
        found.append(checks._described_wrong(exc, "events.csv", "row 3"))
    found += _contract_problems() + _settlement_problems()
    (tmp_path / "cells.csv").write_text("")
    found += _ledger_problems(tmp_path)
    found += _option_problems(tmp_path)
    return found


def test_every_kind_s_english_template_gives_back_the_core_s_message(every_problem):
    for problem in every_problem:
        assert problem.kind in MESSAGES, str(problem)
        context = dict(problem.context)
        assert MESSAGES[problem.kind] % context == problem.message, problem
        assert problem_text(problem, "en") == (str(problem) if problem.where
                                               else problem.message)
    # and every kind of the settlement's is among them: none is left untested
    made = {p.kind for p in every_problem}
    assert sorted(set(SETTLEMENT_KINDS) - made) == []


def test_every_settlement_problem_is_said_in_danish(every_problem):
    for problem in every_problem:
        assert problem_message(problem, "da") != problem.message, problem
    assert len(every_problem) > 90


def test_no_template_names_a_figure_its_problems_lack(every_problem):
    import re

    for problem in every_problem:
        names = set(re.findall(r"%\((\w+)\)s", MESSAGES[problem.kind]))
        assert names <= dict(problem.context).keys(), problem


def test_a_drawdown_month_that_is_no_month_is_said_in_danish():
    data = {**yaml.safe_load(textwrap.dedent(CONTRACT)), "investor": {
        "id": "fund", "drawdowns": [{"month": "2020-13", "amount": 1,
                                     "provider": "other_actor:aa1"}]}}
    with pytest.raises(BrobyggerError) as refused:
        contract(yaml.safe_dump(data), source="c.yaml")
    assert [problem_text(p, "da") for p in refused.value.problems] == [
        "c.yaml: investor.drawdowns.0.month: '2020-13' er ikke en måned (ÅÅÅÅ-MM)"]
