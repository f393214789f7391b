"""The command line speaks Danish by default and English with BROBYGGER_LANG=en."""

from __future__ import annotations

import ast
import datetime as dt
import gettext
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import brobygger
from brobygger import i18n
from tests.payments.helpers import CONTRACT

SRC = Path(brobygger.__file__).parent
CATALOGUE = SRC / "locale" / "da" / "LC_MESSAGES"


def marked_texts() -> set[str]:
    """Every text the command line marks for translation: ``_("…")`` in its modules, and
    the help pages' headings :func:`brobygger.i18n.localise_help` sets."""
    texts: set[str] = set()
    for name in ("cli.py", "ledger_cli.py", "i18n.py", "reports/console.py",
                 "payments/statement.py"):
        for node in ast.walk(ast.parse((SRC / name).read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                    node.func.id in ("_", "N_") and node.args and \
                    isinstance(node.args[0], ast.Constant):
                texts.add(node.args[0].value)
            elif isinstance(node, ast.Tuple) and len(node.elts) == 2 and \
                    all(isinstance(e, ast.Constant) for e in node.elts) and \
                    str(node.elts[0].value).endswith(("_TITLE", "_TEXT", "_STRING", "HELP")):
                texts.add(node.elts[1].value)
    return texts


def po_entries() -> dict[str, str]:
    """The Danish catalogue's source (one line per msgid and msgstr, as it is written)."""
    text = (CATALOGUE / "brobygger.po").read_text(encoding="utf-8")
    pairs = re.findall(r'^msgid "(.*)"\nmsgstr "(.*)"$', text, flags=re.MULTILINE)
    return {ast.literal_eval(f'"{k}"'): ast.literal_eval(f'"{v}"') for k, v in pairs if k}


def test_every_marked_text_has_a_danish_translation():
    translated = po_entries()
    missing = sorted(t for t in marked_texts() if not translated.get(t))
    assert not missing, missing
    assert len(marked_texts()) > 40  # the extraction sees the command line's texts


def test_the_compiled_catalogue_is_the_source_compiled():
    with open(CATALOGUE / "brobygger.mo", "rb") as f:
        compiled = gettext.GNUTranslations(f)
    for msgid, msgstr in po_entries().items():
        assert compiled.gettext(msgid) == msgstr, f"recompile brobygger.mo: {msgid!r}"


@pytest.mark.parametrize(("setting", "expected"), [
    (None, "da"), ("da", "da"), ("en", "en"), ("en_GB.UTF-8", "en"), ("EN", "en"),
    ("de", "da"), ("", "da"),
])
def test_the_language_is_read_from_brobygger_lang(monkeypatch, setting, expected):
    if setting is None:
        monkeypatch.delenv("BROBYGGER_LANG", raising=False)
    else:
        monkeypatch.setenv("BROBYGGER_LANG", setting)
    assert i18n.language() == expected


def cli(*args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BROBYGGER_LANG"}
    env["COLUMNS"] = "200"
    if lang:
        env["BROBYGGER_LANG"] = lang
    return subprocess.run([sys.executable, "-m", "brobygger.cli", *args], env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_help_is_danish_by_default_and_english_when_asked():
    da = cli("simulate", "--help").stdout
    assert "Antal Monte Carlo-træk" in da and "Tilvalg" in da and "[standard: 1000]" in da
    assert "Number of Monte Carlo draws" not in da
    en = cli("simulate", "--help", lang="en").stdout
    assert "Number of Monte Carlo draws" in en and "Options" in en
    assert "Antal" not in en


def test_an_error_is_led_in_the_language_of_the_command_line():
    da = cli("simulate", "--draws", "0")
    assert da.returncode == 2
    assert "fejl: 1 problem(er)" in da.stderr and "--draws" in da.stderr
    en = cli("simulate", "--draws", "0", lang="en")
    assert "error: 1 problem(s)" in en.stderr
    assert "Ukendt kommando 'nosuch'" in cli("nosuch").stderr


def test_a_scenario_s_schema_problems_are_said_in_the_language_of_the_command_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("extends: default\ncontract: {caps: {per_participant: -2500.5}}\n"
                    "horizon: {start: 2018-02, monts: 120}\n")
    da = cli("scenario", "validate", str(path))
    assert da.returncode == 2
    assert "bad.yaml: contract.caps.per_participant: skal være mindst 0 (angivet: " \
           "-2.500,5)" in da.stderr
    assert "bad.yaml: horizon.monts: kendes ikke her (angivet: 120)" in da.stderr
    en = cli("scenario", "validate", str(path), lang="en")
    assert "bad.yaml: contract.caps.per_participant: must be at least 0 (given: " \
           "-2,500.5)" in en.stderr
    assert "Input should" not in da.stderr + en.stderr


def test_the_ledger_commands_lead_their_errors_in_the_same_language(tmp_path):
    args = ("ledger", "close", "2020-Q9", "--ledger", str(tmp_path / "ledger"))
    da, en = cli(*args), cli(*args, lang="en")
    assert da.returncode == en.returncode == 2
    assert "1 problem(er); intet er skrevet" in da.stderr
    assert "1 problem(s); nothing was written" in en.stderr


def problem_texts() -> set[str]:
    """Every text brobygger.problem_text marks with ``N_("…")``: the problems' templates
    and where a settlement's problem is."""
    texts: set[str] = set()
    tree = ast.parse((SRC / "problem_text.py").read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id == "N_" and node.args:
            texts.add(ast.literal_eval(node.args[0]))
    return texts


def test_every_problem_text_has_a_danish_translation():
    translated = po_entries()
    texts = problem_texts()
    missing = sorted(t for t in texts if not translated.get(t))
    assert not missing, missing
    # the extraction sees the settlement's problems and their rows too
    assert {"row %(n)s", "header", "no events in the file"} <= texts


def test_a_settlement_s_problems_are_said_in_the_language_of_the_command_line(tmp_path):
    events, contract = tmp_path / "e.csv", tmp_path / "c.yaml"
    events.write_text("participant,type,date,partnership,amount\n"
                      "anna,referral,2020-01-06,p1,\n"
                      "anna,referral,2020-01-06,p1,\n"
                      "anna,benefit_month,2020-01-31,,1.999\n")
    contract.write_text(textwrap.dedent(CONTRACT))
    args = ("settle", str(events), "--contract", str(contract), "--period", "2020",
            "--ledger", str(tmp_path / "L"), "--as-of", "2021-01-01")
    da, en = cli(*args), cli(*args, lang="en")
    assert da.returncode == en.returncode == 2
    assert f"{events}: række 3: dublet af række 2" in da.stderr
    assert f"{events}: række 4: beløbet '1.999' har mere end to decimaler" in da.stderr
    assert "row 3" not in da.stderr
    assert f"{events}: row 3: duplicate event: the same as row 2" in en.stderr
    assert f"{events}: row 4: amount '1.999' has more than two decimals" in en.stderr
    assert not (tmp_path / "L").exists()
    # and the ledger commands' own: a period that is not one
    close = ("ledger", "close", "2020-Q9", "--ledger", str(tmp_path / "L"))
    assert "--period: '2020-Q9' er ikke en periode: skriv 2020-03, 2020-Q1, 2020-H1 eller " \
           "2020" in cli(*close).stderr
    assert "--period: '2020-Q9' is not a period" in cli(*close, lang="en").stderr


def test_the_results_are_english_with_english_numbers_when_asked():
    expect = cli("expect", lang="en").stdout
    assert re.search(r"Over 10 years the net result for the municipalities is -?[\d,]+ DKK",
                     expect)
    assert "Per payer (DKK, undiscounted" in expect and "The public sector is" in expect
    assert "nettoresultatet" not in expect and " kr." not in expect
    simulate = cli("simulate", "--draws", "40", lang="en").stdout
    assert "Probability of a gain for the municipalities within 10 years" in simulate
    assert "Sandsynlighed" not in simulate
    show = cli("scenario", "show", lang="en").stdout
    assert "Municipalities and intake" in show and "34,152,809 DKK" in show
    assert "Kommuner" not in show
    danish = cli("expect").stdout
    assert re.search(r"Over 10 år er nettoresultatet for kommunerne -?[\d.]+ kr\.", danish)


def test_a_flag_is_shown_without_a_value_type_in_the_help():
    help_text = cli("simulate", "--help").stdout
    line = next(row for row in help_text.splitlines() if "--json" in row)
    assert "<bool>" not in line and "Stabil JSON" in line


def test_an_export_says_what_it_wrote_in_the_language_of_the_command_line(tmp_path):
    from brobygger.payments.ledger import Close
    from brobygger.payments.period import Period
    from brobygger.payments.store import LedgerDir

    LedgerDir(tmp_path / "L").append([Close(Period.parse("2020"), dt.date(2021, 1, 1))],
                                     "close", "2020")
    out = tmp_path / "ledger.json"
    args = ("ledger", "export", "--format", "json", "--ledger", str(tmp_path / "L"), "-o",
            str(out))
    da, en = cli(*args), cli(*args, lang="en")
    assert da.returncode == en.returncode == 0, da.stderr
    assert da.stdout.strip() == f"skrev {out}" and en.stdout.strip() == f"wrote {out}"
