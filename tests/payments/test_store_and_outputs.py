"""The ledger directory, balances, the Excel statement, INDIGO export and the CLI."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
import threading
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import typer
import yaml
from typer.testing import CliRunner

from brobygger.ledger_cli import register, run_settlement
from brobygger.payments.indigo import indigo_project
from brobygger.payments.ledger import Close, balances
from brobygger.payments.period import Period
from brobygger.payments.statement import statement, write_excel
from brobygger.payments.store import LedgerDir, LedgerError

from .helpers import CONTRACT, contract, run

EVENTS = """\
participant,type,date,partnership,state,hours_per_week
anna,referral,2020-01-06,p1,,
anna,job_start,2020-02-10,,job_other,30
bo,referral,2020-01-10,p1,,
bo,job_start,2020-02-01,,job_accelerator,20
bo,job_end,2020-03-31,,,
"""


def test_the_ledger_reads_back_exactly_what_was_written(tmp_path: Path):
    result = run(EVENTS, "2020")
    store = LedgerDir(tmp_path)
    store.append(result.entries, "settle", "2020")
    assert store.entries() == list(result.entries)


def test_a_closed_period_file_is_never_rewritten(tmp_path: Path):
    store = LedgerDir(tmp_path)
    q1 = run(EVENTS, "2020-Q1")
    first = store.append(q1.entries, "settle", "2020-Q1")
    store.close(Period.parse("2020-Q1"))
    before = first.read_bytes()
    q3 = run(EVENTS, "2020-Q3", store.entries())
    store.append(q3.entries, "settle", "2020-Q3")
    assert first.read_bytes() == before
    assert [p.name for p in store.batches()] == [
        "000001-settle-2020-Q1.jsonl", "000002-close-2020-Q1.jsonl",
        "000003-settle-2020-Q3.jsonl"]
    assert not list(tmp_path.rglob(".tmp-*"))


def test_closing_a_period_twice_is_refused(tmp_path: Path):
    store = LedgerDir(tmp_path)
    store.close(Period.parse("2020-Q1"))
    with pytest.raises(LedgerError, match="already closed"):
        store.close(Period.parse("2020-03"))


def test_closing_a_period_that_holds_a_closed_one_does_not_call_it_closed(tmp_path: Path):
    from brobygger.problem_text import problem_text

    store = LedgerDir(tmp_path)
    store.close(Period.parse("2020-Q1"))
    with pytest.raises(LedgerError) as err:  # April to December are open still
        store.close(Period.parse("2020"))
    [problem] = err.value.problems
    assert problem.kind == "overlaps_closed"
    assert problem_text(problem, "da") == (
        f"{tmp_path}: perioden 2020: overlapper den lukkede periode 2020-Q1: luk de "
        "måneder, der ikke er lukket, som perioder for sig")
    store.close(Period.parse("2020-Q2"))  # (as it says)


def test_a_period_that_has_not_ended_cannot_be_closed(tmp_path: Path):
    import datetime as dt

    store = LedgerDir(tmp_path)
    with pytest.raises(LedgerError) as err:
        store.close(Period.parse("2020-Q1"), on=dt.date(2020, 3, 30))
    [problem] = err.value.problems
    assert problem.kind == "close_before_end" and dict(problem.context) == {"end": "2020-03-31"}
    assert store.batches() == []
    store.close(Period.parse("2020-Q1"), on=dt.date(2020, 3, 31))  # its last day, as settle
    assert len(store.batches()) == 1
    result = CliRunner().invoke(_cli(), ["ledger", "close", "2999-Q1", "--ledger",
                                         str(tmp_path)])
    assert result.exit_code == 2
    assert "2999-Q1" in result.stderr and "er ikke slut: den slutter 2999-03-31" in result.stderr


def test_balances_per_party_and_period():
    result = run(EVENTS, "2020")
    bal = balances(result.entries, Period.parse("2020-Q1"))
    assert bal == {"municipality:101": Decimal("-20000.00"),
                   "other_actor:aa1": Decimal("12000.00"),
                   "social_enterprise:se1": Decimal("8000.00")}
    by_month = balances(result.entries, by_period=True)
    assert by_month[("other_actor:aa1", "2020-09")] == Decimal("30000.00")


def test_the_excel_statement_opens_with_one_row_per_line(tmp_path: Path):
    result = run(EVENTS, "2020")
    st = statement(Period.parse("2020"), result.entries, result)
    path = write_excel(st, tmp_path / "statement.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Opgørelse", "Saldi", "Linjer", "Modtagere"]
    assert wb["Opgørelse"]["A1"].value == "Resultatopgørelse 2020 — kontrakt c1"
    assert wb["Linjer"].max_row == 1 + len(st.lines) == 4
    assert wb["Opgørelse"]["A6"].value == "i alt"
    assert wb["Opgørelse"]["D6"].value == 50000  # the total paid
    assert wb["Opgørelse"]["C6"].value == sum(
        row[2].value for row in wb["Opgørelse"].iter_rows(min_row=4, max_row=5))  # gross
    lines = wb["Linjer"]
    assert lines["A2"].value == "betaling" and lines["K1"].value == "betalt kr."
    assert isinstance(lines["B2"].value, dt.datetime)  # a date, not a text
    # one row per receiver, in numbers: what each received adds up to what was paid
    receivers = list(wb["Modtagere"].iter_rows(min_row=2, values_only=True))
    assert sum(r[7] for r in receivers) == 50000
    by_receiver: dict[str, float] = {}
    for r in receivers:
        by_receiver[r[6]] = by_receiver.get(r[6], 0) + r[7]
    assert by_receiver == {k: v for k, v in st.balances.items() if v > 0}  # the ledger's


def test_the_indigo_export_names_metrics_pricings_and_outcome_payments():
    result = run(EVENTS, "2020")
    project = indigo_project(contract(), result.entries)
    assert [m["id"] for m in project["outcome_metrics"]] == ["start", "sustained6"]
    assert project["outcome_pricings"][1]["price_per_unit"]["amount"]["value"] == 30000
    payments = [t for t in project["transactions"]
                if t["transaction_type"]["value"] == "Outcome Payment"]
    assert sum(t["money"]["amount"]["value"] for t in payments) == 50000
    assert {r["outcome_metric_id"]["value"]: r["achieved"]["value"]
            for r in project["results"]} == {"start": 2, "sustained6": 1}


def test_the_indigo_export_of_a_contract_leaves_out_the_ledger_s_other_contracts():
    c2 = contract(CONTRACT.replace("id: c1", "id: c2").replace(
        '{id: p1, municipality: "101", other_actor: aa1, social_enterprise: se1}',
        '{id: p2, municipality: "147", other_actor: aa2, social_enterprise: se2}'))
    first = run(EVENTS, "2020")
    second = run("participant,type,date,partnership,state,hours_per_week\n"
                 "carl,referral,2020-01-06,p2,,\n"
                 "carl,job_start,2020-02-10,,job_other,30\n", "2020",
                 list(first.entries), cf=c2)
    assert not second.problems, second.problems
    shared = [*first.entries, *second.entries]
    project = indigo_project(c2, shared)
    assert {t["id"].split(":")[0] for t in project["transactions"]} == {"c2"}
    assert {r["outcome_metric_id"]["value"]: r["achieved"]["value"]
            for r in project["results"]} == {"start": 1, "sustained6": 1}
    [commitment] = project["outcome_payment_commitments"]
    assert commitment["organisation_id"]["value"] == "municipality:147"
    assert commitment["total_outcome_payments_made"]["amount"]["value"] == 40000
    assert "municipality:101" not in {o["id"] for o in project["organisations"]}
    # and the first contract's project is what it was with the ledger to itself
    assert indigo_project(contract(), shared) == indigo_project(contract(), first.entries)


def _cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """test app"""

    register(app)
    return app


def test_the_cli_settles_then_adds_nothing_the_second_time(tmp_path: Path):
    (tmp_path / "c.yaml").write_text(textwrap.dedent(CONTRACT))
    (tmp_path / "e.csv").write_text(EVENTS)
    args = ["settle", str(tmp_path / "e.csv"), "--contract", str(tmp_path / "c.yaml"),
            "--period", "2020", "--ledger", str(tmp_path / "L"), "--as-of", "2021-01-01",
            "--json"]
    runner = CliRunner()
    first = runner.invoke(_cli(), args)
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["new_entries"] == 3
    assert json.loads(first.output)["written"] is True
    second = runner.invoke(_cli(), args)
    assert json.loads(second.output)["new_entries"] == 0
    assert json.loads(second.output)["written"] is False  # nothing new: no batch
    assert json.loads(second.output)["paid"] == "50000.00"
    closed = runner.invoke(_cli(), ["ledger", "close", "2020-Q1", "--ledger",
                                    str(tmp_path / "L")])
    assert closed.exit_code == 0, closed.output
    assert isinstance(LedgerDir(tmp_path / "L").entries()[-1], Close)
    bal = runner.invoke(_cli(), ["ledger", "balances", "--ledger", str(tmp_path / "L"),
                                 "--json"])
    assert json.loads(bal.output)["municipality:101"] == "-50000.00"


def test_a_settlement_that_brings_nothing_starts_the_ledger_and_says_why(tmp_path: Path):
    (tmp_path / "c.yaml").write_text(textwrap.dedent(CONTRACT))
    (tmp_path / "e.csv").write_text(EVENTS)
    ledger = ["--ledger", str(tmp_path / "L")]
    runner = CliRunner()

    def settle(period: str, *more: str):
        return runner.invoke(_cli(), ["settle", str(tmp_path / "e.csv"), "--contract",
                                      str(tmp_path / "c.yaml"), "--period", period,
                                      "--as-of", "2021-01-01", *ledger, *more])

    quiet = settle("2019", "--json")  # before any referral: nothing falls due
    assert quiet.exit_code == 0, quiet.output
    assert json.loads(quiet.output)["written"] is False
    assert "intet forfalder i 2019" in " ".join(settle("2019").output.split())
    assert LedgerDir(tmp_path / "L").batches() == []  # no batch, but a ledger
    closed = runner.invoke(_cli(), ["ledger", "close", "2019", *ledger])
    assert closed.exit_code == 0, closed.output
    assert "tilføjede 3 transaktioner" in settle("2020").output
    assert "allerede afregnet: intet nyt" in " ".join(settle("2020").output.split())
    dry = runner.invoke(_cli(), ["settle", str(tmp_path / "e.csv"), "--contract",
                                 str(tmp_path / "c.yaml"), "--period", "2019",
                                 "--as-of", "2021-01-01", "--ledger", str(tmp_path / "D"),
                                 "--dry-run"])
    assert dry.exit_code == 0 and not (tmp_path / "D").exists()  # a dry run makes nothing


def test_a_period_whose_payments_are_all_over_the_caps_says_so(tmp_path: Path):
    data = yaml.safe_load(textwrap.dedent(CONTRACT))
    data["contract"]["caps"] = {"per_contract": 0}  # nothing may be paid
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(data))
    (tmp_path / "e.csv").write_text(EVENTS)
    result = CliRunner().invoke(_cli(), [
        "settle", str(tmp_path / "e.csv"), "--contract", str(tmp_path / "c.yaml"),
        "--period", "2020", "--as-of", "2021-01-01", "--ledger", str(tmp_path / "L")])
    assert result.exit_code == 0, result.output
    assert "det, der forfalder i 2020, ligger over lofterne" in " ".join(result.output.split())


def _settled_2020(tmp_path: Path):
    """The contract and events written to ``tmp_path`` and 2020 settled into its ledger
    ``L`` through the command line: (the ledger option, the runner, the settle result)."""
    (tmp_path / "c.yaml").write_text(textwrap.dedent(CONTRACT))
    (tmp_path / "e.csv").write_text(EVENTS)
    ledger = ["--ledger", str(tmp_path / "L")]
    runner = CliRunner()
    settled = runner.invoke(_cli(), ["settle", str(tmp_path / "e.csv"), "--contract",
                                     str(tmp_path / "c.yaml"), "--period", "2020",
                                     "--as-of", "2021-01-01", *ledger])
    assert settled.exit_code == 0, settled.output
    return ledger, runner, settled


def test_the_cli_shows_the_statement_and_the_ledger_in_danish(tmp_path: Path):
    ledger, runner, settled = _settled_2020(tmp_path)
    assert "Resultatopgørelse 2020 — kontrakt c1" in settled.output
    assert "50.000,00" in settled.output and "50,000.00" not in settled.output
    assert "tilføjede 3 transaktioner til" in settled.output
    shown = runner.invoke(_cli(), ["ledger", "show", *ledger])
    assert "-10.000,00" in shown.output and "betaling" in shown.output
    balances = runner.invoke(_cli(), ["ledger", "balances", *ledger])
    assert "-50.000,00" in balances.output


def test_the_cli_lists_problems_and_exits_with_one(tmp_path: Path):
    (tmp_path / "c.yaml").write_text(textwrap.dedent(CONTRACT))
    (tmp_path / "e.csv").write_text(EVENTS + "zoe,job_end,2020-05-01,,,\n")
    result = CliRunner().invoke(_cli(), [
        "settle", str(tmp_path / "e.csv"), "--contract", str(tmp_path / "c.yaml"), "--period",
        "2020", "--ledger", str(tmp_path / "L"), "--as-of", "2021-01-01", "--json"])
    assert result.exit_code == 2
    problem = json.loads(result.output)["problems"][0]
    assert (problem["location"], problem["message"]) == (
        "row 7", "unknown participant 'zoe': no referral event")
    assert not (tmp_path / "L").exists()


def test_a_ledger_that_cannot_be_written_or_read_is_an_error_naming_it(tmp_path: Path):
    entries = run(EVENTS, "2020").entries
    a_file = tmp_path / "ledger.txt"
    a_file.write_text("not a folder")
    with pytest.raises(LedgerError, match=r"ledger.txt: cannot write the ledger"):
        LedgerDir(a_file).append(entries, "settle", "2020")
    good = LedgerDir(tmp_path / "L")
    batch = good.append(entries, "settle", "2020")
    assert batch is not None
    lines = batch.read_text(encoding="utf-8").splitlines()
    batch_line = lines[1]
    broken = json.loads(lines[1])
    broken["transaction"]["postings"][0][1] = "abc"  # an amount that is not a number
    lines[1] = json.dumps(broken)
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LedgerError, match=r"line 2: unreadable entry"):
        good.entries()

    # a hand-edited kind, and postings that no longer balance, are named as such
    for field, value, message in [
        ("kind", "bonus", r"line 2: unreadable entry: unknown kind 'bonus'"),
        ("postings", None, r"line 2: unreadable entry: the postings .* do not balance"),
    ]:
        edited = json.loads(batch_line)
        if value is None:
            edited["transaction"][field][0][1] = "1"
        else:
            edited["transaction"][field] = value
        batch.write_text("\n".join([lines[0], json.dumps(edited), *lines[2:]]) + "\n",
                         encoding="utf-8")
        with pytest.raises(LedgerError, match=message):
            good.entries()


def test_the_cli_checks_its_output_files_before_it_settles(tmp_path: Path):
    (tmp_path / "c.yaml").write_text(textwrap.dedent(CONTRACT))
    (tmp_path / "e.csv").write_text(EVENTS)
    base = ["settle", str(tmp_path / "e.csv"), "--contract", str(tmp_path / "c.yaml"),
            "--period", "2020", "--ledger", str(tmp_path / "L"), "--json"]
    for extra, message in [
        (["--excel", str(tmp_path / "nodir" / "s.xlsx")], "no such folder"),
        (["--excel", str(tmp_path)], "is a folder"),
        (["--as-of", "2021-02-30"], "not a date"),
    ]:
        result = CliRunner().invoke(_cli(), base + extra)
        assert result.exit_code == 2, result.output
        assert message in json.loads(result.output)["problems"][0]["message"]
        assert not (tmp_path / "L").exists()
    export = CliRunner().invoke(_cli(), ["ledger", "export", "--format", "json", "--ledger",
                                         str(tmp_path / "L"), "-o", str(tmp_path / "no" / "x")])
    assert export.exit_code == 2
    assert "mappen findes ikke" in export.output  # on screen in Danish (--json: English)


def test_ledger_commands_on_a_mistyped_folder_say_so_and_create_nothing(tmp_path: Path):
    typo = tmp_path / "ledgr"
    for args in (["ledger", "show"], ["ledger", "balances"], ["ledger", "close", "2020-Q1"]):
        result = CliRunner().invoke(_cli(), [*args, "--ledger", str(typo), "--json"])
        assert result.exit_code == 2, (args, result.output)
        problem = json.loads(result.output)["problems"][0]
        assert problem["message"] == "no ledger here (settle starts one)"
    assert not typo.exists()


def test_a_broken_ledger_is_neither_settled_on_nor_closed(tmp_path: Path):
    q1 = run(EVENTS, "2020-Q1").entries
    # a payment whose id was used before (a hand-merged ledger): the ledger no longer holds
    broken = [*q1, q1[0]._replace(date=q1[0].date.replace(day=2))]
    again = run(EVENTS, "2020-Q2", broken)
    assert not again.ok and again.entries == ()
    assert [(p.location, p.message) for p in again.problems] == [
        (f"transaction {q1[0].id}", "idempotency key used twice")]

    store = LedgerDir(tmp_path / "L")
    store.append(broken, "settle", "2020-Q1")
    closed = CliRunner().invoke(_cli(), ["ledger", "close", "2020-Q1", "--ledger",
                                         str(tmp_path / "L"), "--json"])
    assert closed.exit_code == 2
    assert json.loads(closed.output)["problems"][0]["message"] == "idempotency key used twice"
    assert not any(isinstance(e, Close) for e in store.entries())
    # nor are its balances or an export given as if it were sound; it can still be listed
    # (JSON keeps the core's English; the screen says it in the command line's Danish)
    for args, said in ((["balances", "--json"], "idempotency key used twice"),
                       (["export", "--format", "json"],
                        "transaktions-id'et (idempotensnøglen) er brugt to gange")):
        refused = CliRunner().invoke(_cli(), ["ledger", *args, "--ledger", str(tmp_path / "L")])
        assert refused.exit_code == 2, args
        assert said in refused.output
    shown = CliRunner().invoke(_cli(), ["ledger", "show", "--ledger", str(tmp_path / "L")])
    assert shown.exit_code == 0 and q1[0].id in shown.output


def test_a_second_settlement_waits_for_the_first_and_pays_nothing_twice(tmp_path: Path):
    (tmp_path / "c.yaml").write_text(textwrap.dedent(CONTRACT))
    (tmp_path / "e.csv").write_text(EVENTS)
    store = LedgerDir(tmp_path / "L")
    paid = run(EVENTS, "2020").entries
    held, go = threading.Event(), threading.Event()

    def first_writer() -> None:  # holds the ledger from its read to its append
        with store.locked():
            held.set()
            go.wait(10)
            store.append(paid, "settle", "2020")

    def second_writer(out: list) -> None:
        out.append(run_settlement(tmp_path / "e.csv", tmp_path / "c.yaml",
                                  Period.parse("2020"), tmp_path / "L",
                                  as_of=dt.date(2021, 1, 1))[0])

    got: list = []
    first = threading.Thread(target=first_writer)
    first.start()
    assert held.wait(10)
    second = threading.Thread(target=second_writer, args=(got,))
    second.start()
    second.join(0.3)
    assert second.is_alive()  # it waits for the first writer instead of reading
    go.set()
    first.join(10)
    second.join(10)
    (result,) = got
    assert result.ok and result.entries == ()  # it saw the first's payments
    assert [t.id for t in store.entries()] == [t.id for t in paid]


def test_a_statement_of_one_contract_balances_only_that_contract_s_money():
    first = run(EVENTS, "2020")
    other = contract(CONTRACT.replace("id: c1", "id: c2"))
    second = run(EVENTS, "2020", first.entries, cf=other)
    both = [*first.entries, *second.entries]
    st = statement(Period.parse("2020"), both, second)
    assert st.contract == "c2"
    assert sum(v for v in st.balances.values() if v > 0) == st.total_paid
    assert st.balances == balances(list(second.entries), Period.parse("2020"))


def test_the_statement_s_total_withheld_is_its_outcome_rows_sum():
    from brobygger.payments.statement import Line, Statement

    def line(kind: str, paid: str, unpaid: str) -> Line:
        return Line(kind, "2020-04-01", "obm", "a", "p1", "2020-03", "2020-03",
                    "municipality:101", (), Decimal("1000"), Decimal(paid), Decimal(unpaid),
                    "participant", f"{kind}-id")

    # a capped payment reversed in the period (its 500 withheld given back) and its revision
    st = Statement(Period.parse("2020-Q2"), "c5", (
        line("payment", "500", "500"), line("reversal", "-500", "500"),
        line("payment", "0", "1000")), {})
    [(n, gross, paid, unpaid)] = st.totals_by_outcome().values()
    assert (n, gross, paid, unpaid) == (1, 1000, 0, 1000)
    assert st.total_unpaid == unpaid and st.total_paid == paid and st.total_gross == gross


def test_the_indigo_export_has_one_id_per_record_and_counts_an_enterprise_event_s_units():
    place = """    - id: place
      label: Place created
      trigger: {type: place_created}
      price: 5000.33
      payer: state
      payees: {social_enterprise: 1}
partnerships:"""
    cf = contract(CONTRACT.replace("partnerships:", place, 1))
    events = ("participant,type,date,partnership,state,hours_per_week,count\n"
              "anna,referral,2020-01-06,p1,,,\n"
              "anna,job_start,2020-02-10,,job_other,30,\n"
              ",place_created,2020-02-11,p1,,,3\n")
    result = run(events, "2020", cf=cf)
    assert not result.problems, result.problems
    project = indigo_project(cf, result.entries)
    ids = [t["id"] for t in project["transactions"]]
    assert len(ids) == len(set(ids))  # the job start paid two: a record, and an id, each
    achieved = {r["outcome_metric_id"]["value"]: r["achieved"]["value"]
                for r in project["results"]}
    assert achieved == {"start": 1, "sustained6": 1, "place": 3}
    paid = sum(t["money"]["amount"]["value"] for t in project["transactions"]
               if t["outcome_metric_id"] and t["outcome_metric_id"]["value"] == "place")
    assert paid == pytest.approx(3 * 5000.33, abs=0.01)


def test_an_outcome_priced_at_nothing_is_no_line_over_the_cap():
    free = contract(CONTRACT.replace("price: 10000", "price: {2019-01-01: 0}"))
    result = run(EVENTS, "2020", cf=free)
    assert not result.problems
    st = statement(Period.parse("2020"), result.entries, result)
    assert not [line for line in st.lines if line.kind == "capped"]
    capped = run(EVENTS, "2020", cf=contract(per_participant=5000))
    st = statement(Period.parse("2020"), capped.entries, capped)
    assert [line for line in st.lines if line.kind == "capped"]  # (a real one still is)


@pytest.mark.parametrize("fmt", [["--format", "json"], ["--format", "excel", "--period", "2020"],
                                 ["--format", "indigo", "--contract", "c.yaml"]])
def test_an_export_that_cannot_be_written_says_so_and_keeps_the_file_that_was_there(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: list[str]):
    import os

    ledger, runner, _ = _settled_2020(tmp_path)
    out = tmp_path / ("export.xlsx" if "excel" in fmt else "export.json")
    out.write_text("last week's export")

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(os, "replace", full)  # the disk fills as the file is finished
    result = runner.invoke(_cli(), ["ledger", "export", *fmt, *ledger, "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # said, not a traceback
    assert "kan ikke skrive filen: No space left on device" in result.output
    assert out.read_text() == "last week's export"  # not half of a new one
    assert sorted(p.name for p in tmp_path.iterdir()) == ["L", "c.yaml", "e.csv", out.name]


def test_an_excel_file_on_a_full_disk_is_said_and_the_ledger_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import os

    (tmp_path / "c.yaml").write_text(textwrap.dedent(CONTRACT))
    (tmp_path / "e.csv").write_text(EVENTS)

    def full(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)  # (the ledger's batches are linked, not moved)
    result = CliRunner().invoke(_cli(), [
        "settle", str(tmp_path / "e.csv"), "--contract", str(tmp_path / "c.yaml"),
        "--period", "2020", "--as-of", "2021-01-01", "--ledger", str(tmp_path / "L"),
        "--excel", str(tmp_path / "statement.xlsx")])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    said = " ".join(result.output.split())
    assert "kan ikke skrives (No space left on device); ledgeren er skrevet" in said
    assert len(LedgerDir(tmp_path / "L").batches()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["L", "c.yaml", "e.csv"]


def test_an_excel_workbook_is_refused_a_name_that_is_not_xlsx(tmp_path: Path):
    (tmp_path / "c.yaml").write_text(textwrap.dedent(CONTRACT))
    (tmp_path / "e.csv").write_text(EVENTS)
    ledger = ["--ledger", str(tmp_path / "L")]
    runner = CliRunner()
    settle = ["settle", str(tmp_path / "e.csv"), "--contract", str(tmp_path / "c.yaml"),
              "--period", "2020", "--as-of", "2021-01-01", *ledger]
    refused = runner.invoke(_cli(), [*settle, "--excel", str(tmp_path / "statement.csv")])
    assert refused.exit_code == 2, refused.output
    assert "giv et filnavn, der ender på .xlsx" in " ".join(refused.output.split())
    assert not (tmp_path / "L").exists() and not (tmp_path / "statement.csv").exists()
    assert runner.invoke(_cli(), settle).exit_code == 0
    for args in (["ledger", "export", "--format", "excel", "--period", "2020", *ledger,
                  "-o", str(tmp_path / "statement.json")],
                 ["ledger", "investor", "--contract", str(tmp_path / "c.yaml"), *ledger,
                  "--excel", str(tmp_path / "position.csv")]):
        result = runner.invoke(_cli(), args)
        assert result.exit_code == 2, (args, result.output)
        assert ".xlsx" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["L", "c.yaml", "e.csv"]
    exported = runner.invoke(_cli(), ["ledger", "export", "--format", "json", *ledger,
                                      "-o", str(tmp_path / "ledger.json")])
    assert exported.exit_code == 0, exported.output  # (any name for the JSON)
