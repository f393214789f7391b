"""The readable output on a terminal: Danish throughout, and no figure cut short at 80
columns."""

from __future__ import annotations

import io
import re

from rich.console import Console

from brobygger.economics.business_case import expect
from brobygger.model import compile_scenario
from brobygger.notes import Note
from brobygger.reports.business_case_json import business_case_json
from brobygger.reports.console import print_business_case, print_simulation
from brobygger.reports.format import number
from brobygger.scenario.load import load_scenario
from brobygger.simulation.run import simulate
from brobygger.simulation.summary import simulation_json


def _terminal() -> Console:
    return Console(file=io.StringIO(), width=80, record=True, color_system=None)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_a_simulation_on_80_columns_shows_every_figure_whole_and_its_notes_in_danish():
    compiled = compile_scenario(load_scenario())
    sim = simulate(compiled, 200, seed=3, workers=1)
    data = simulation_json(sim)
    console = _terminal()
    print_simulation(console, sim, data)
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    cells = [cell for line in text.splitlines() for cell in line.split()]
    for m in data["municipalities"].values():
        row = m["net_result"]["municipality"]
        for key in ("p5", "mean", "p95"):
            assert number(row[key]) in cells, (m["name"], key)
    assert "3B.2 gennemført indslusningsforløb" in _flat(text)
    # the JSON keeps its notes in English; the screen says them in Danish
    assert any(note.startswith("municipality: the mean moved") for note in data["notes"])
    assert "Bemærk: kommunerne: middelværdien ligger" in _flat(text)
    assert "the mean moved" not in text and "note:" not in text


def test_a_simulation_on_60_columns_keeps_each_municipality_and_its_break_even_whole():
    compiled = compile_scenario(load_scenario())
    sim = simulate(compiled, 40, seed=3, workers=1)
    data = simulation_json(sim)
    console = Console(file=io.StringIO(), width=60, record=True, color_system=None)
    print_simulation(console, sim, data)
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 60
    lines = [_flat(line).strip() for line in text.splitlines()]
    for code, m in data["municipalities"].items():
        row = m["net_result"]["municipality"]
        figures = " ".join(number(row[key]) for key in ("p5", "mean", "p95"))
        # (a long name may wrap: the municipality is its code, its figures are whole)
        assert any(line.startswith(f"{code} ") and line.endswith(figures)
                   for line in lines), (code, "figures")
        p50 = m["break_even_month"]["p50"]
        month = ("ikke i horisonten" if p50 is None else
                 "aldrig i underskud" if p50 == 1 else f"måned {p50}")
        assert any(line.startswith(f"{code} ") and line.endswith(f" {month}")
                   for line in lines), (code, "break-even")


def _per_payer_on_80_columns(name: str) -> tuple[str, list[str]]:
    """The business case per payer on an 80-column terminal: its text and its cells, after
    checking that every figure of the JSON is there whole."""
    bc = expect(load_scenario(name))
    data = business_case_json(bc)
    console = _terminal()
    print_business_case(console, bc, data, by="payer")
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    cells = [cell for line in text.splitlines() for cell in line.split()]
    for row in data["net_result"].values():
        for key in ("savings", "programme_costs", "payments", "mean", "discounted"):
            assert number(row[key]) in cells, key
    return text, cells


def test_the_business_case_per_payer_on_80_columns_shows_every_figure_whole():
    text, _ = _per_payer_on_80_columns("default")
    assert "anden aktør" in text and "other_actor" not in text


def test_a_note_reads_in_each_language_with_its_figures_as_that_language_writes_them():
    note = Note("mean_moved", {"payer": "state", "shift": -1234567.4, "z": 2.54})
    assert note.text("en").startswith("state: the mean moved -1,234,567 DKK (+2.5 standard "
                                      "errors) from the central case")
    assert note.text("en", screen=True).startswith("the state: the mean moved -1,234,567 DKK")
    assert note.text("da").startswith("staten: middelværdien ligger -1.234.567 kr. fra det "
                                      "centrale skøn (+2,5 standardfejl)")
    tiny = Note("mean_moved", {"payer": "state", "shift": -12.0, "z": -0.04})
    assert "(+0.0 standard errors)" in tiny.text("en") and "(+0,0 standardfejl)" in \
        tiny.text("da")
    share = Note("contract_cap_share", {"share": 0.0861})
    assert "8.6 % of draws" in share.text("en") and "8,6 % af trækkene" in share.text("da")
    where = Note("partnership_cap_in_settlement", {"where": "simulation"})
    assert where.text("da") == "loftet pr. partnerskab lægges på i afregningen, ikke i " \
                               "simuleringen"


def test_the_payers_table_says_who_else_pays_the_programme_s_costs():
    bc = expect(compile_scenario(load_scenario()))
    data = business_case_json(bc)
    console = _terminal()
    print_business_case(console, bc, data, "payer")
    text = _flat(console.export_text())
    costs = data["programme_costs_by_financier"]
    assert (f"Det offentlige er kommunerne og staten. Programudgifterne betales også af "
            f"Socialfonden (ESF) ({number(costs['esf'])} kr.) og private fonde og "
            f"virksomheder ({number(costs['private'])} kr.): de indgår ikke i "
            f"nettoresultaterne ovenfor.") in text


def test_the_simulation_s_headline_gives_the_central_case_beside_the_mean():
    compiled = compile_scenario(load_scenario())
    sim = simulate(compiled, 40, seed=3, workers=1)
    data = simulation_json(sim)
    console = _terminal()
    print_simulation(console, sim, data)
    text = _flat(console.export_text())
    central = number(data["central_case"]["municipality"])
    assert (f"Sandsynlighed for gevinst for kommunerne inden for 10 år: "
            f"{number(100 * data['net_result']['municipality']['p_gain'])} %") in text
    assert f"det centrale skøn, expects eksakte værdi, {central} kr.)" in text


def test_the_national_business_case_per_payer_on_80_columns_shows_every_figure_whole():
    # a roll-out's billions do not fit five to a row: the table turns, a payer a column
    _, cells = _per_payer_on_80_columns("national")
    assert "diskonteret" in cells and "offentlige" in cells
