"""The readable business case on a terminal (rich), leading with the decision."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from brobygger.economics.business_case import BusinessCase
from brobygger.notes import PAYER_DA
from brobygger.reports.format import kr, number

#: who pays and who is paid, as the payment tables name them
PARTY_LABEL = {"municipality": "kommunen", "state": "staten", "esf": "Socialfonden (ESF)",
               "investor": "investor", "other_actor": "anden aktør",
               "social_enterprise": "socialøkonomisk virksomhed"}
#: who else finances the programme's costs
FINANCIER_LABEL = {"esf": "Socialfonden (ESF)", "private": "private fonde og virksomheder",
                   "region": "regionerne",
                   "investor": "investor"}
#: the indicators, after their codes (the ESF codes are the programme's own)
INDICATOR_LABEL = {"3B.1": "påbegyndt indslusningsforløb",
                   "3B.2": "gennemført indslusningsforløb",
                   "3B.3": "ansat i en acceleratorvirksomhed",
                   "3B.4": "ansat i en anden virksomhed",
                   "places": "pladser oprettet", "ordinary_hires": "ordinært ledige ansat"}


def _indicator(code: str) -> str:
    label = INDICATOR_LABEL.get(code)
    return code if label is None else (label if code in ("places", "ordinary_hires")
                                       else f"{code} {label}")


def headline(bc: BusinessCase, summary: dict[str, Any], payer: str) -> str:
    years = bc.T / 12
    month = summary["break_even_month"]
    when = (f"break-even i måned {month} ({summary['break_even_date']})" if month
            else "ingen break-even inden for horisonten")
    return (f"Over {number(years, 0 if years.is_integer() else 1)} år er nettoresultatet for "
            f"{PAYER_DA[payer]} {kr(summary['mean'])} (tilbagediskonteret "
            f"{kr(summary['discounted'])}); {when}.")


def _table(title: str, columns: Sequence[str], rows: Sequence[Sequence[str]],
           text_columns: int = 1) -> Table:
    """A table of text columns, then figures: a figure or its header is never cut short on
    a terminal of 80 columns (the text columns wrap instead)."""
    table = Table(title=title, box=box.SIMPLE_HEAD, collapse_padding=True, pad_edge=False)
    for col in columns[:text_columns]:
        table.add_column(col, justify="left", min_width=12)
    for i, col in enumerate(columns[text_columns:], start=text_columns):
        table.add_column(col, justify="right", no_wrap=True,
                         min_width=max([len(col), *(len(r[i]) for r in rows)]))
    for r in rows:
        table.add_row(*r)
    return table


def print_business_case(console: Console, bc: BusinessCase, data: dict[str, Any], by: str) -> None:
    console.print(f"[bold]{bc.scenario.programme.name}[/] — scenario '{bc.scenario.name}', "
                  f"forventet værdi (eksakt)")
    for payer in ("municipality", "state"):
        console.print("• " + headline(bc, data["net_result"][payer], payer))

    rows: list[tuple[str, ...]] = [
        (_indicator(code), "" if row["target"] is None else number(row["target"]),
         number(row["mean"], 1)) for code, row in data["indicators"].items()]
    console.print(_table("Indikatorer (forventet antal i programperioden)",
                         ("indikator", "mål", "forventet"), rows))

    if by == "municipality":
        rows = []
        for code, m in data["municipalities"].items():
            net = m["net_result"]
            rows.append((f"{code} {m['name']}", number(net["municipality"]["mean"]),
                         number(net["state"]["mean"]),
                         net["municipality"]["break_even_date"] or "–"))
        console.print(_table("Nettoresultat pr. kommune (kr., udiskonteret)",
                             ("kommune", "kommunen", "staten", "break-even"), rows))
    elif by == "month":
        cum = {p: 0.0 for p in ("municipality", "state", "public_total")}
        months = data["months"]
        rows = []
        for t, label in enumerate(months["month"]):
            for p in cum:
                cum[p] += months[p]["net"][t]
            if (t + 1) % 3 == 0 or t == len(months["month"]) - 1:
                rows.append((label, *(number(cum[p]) for p in cum)))
        console.print(_table("Kumuleret nettoresultat, hver tredje måned (kr.)",
                             ("måned", "kommunerne", "staten", "det offentlige"), rows))
    else:
        rows = [(PAYER_DA[payer], number(row["savings"]), number(row["programme_costs"]),
                 number(row["payments"]), number(row["mean"]), number(row["discounted"]))
                for payer, row in data["net_result"].items()]
        console.print(_table("Pr. betaler (kr., udiskonteret; netto = besparelse − "
                             "programudgifter − resultatbetalinger)",
                             ("betaler", "besparelse", "programudg.", "resultatbet.", "netto",
                              "diskonteret"), rows))
        others = {k: v for k, v in data["programme_costs_by_financier"].items()
                  if k not in ("municipality", "state") and v}
        if others:
            console.print("Det offentlige er kommunerne og staten. Programudgifterne betales "
                          "også af " + " og ".join(
                              f"{FINANCIER_LABEL.get(k, k)} ({kr(v)})"
                              for k, v in others.items())
                          + ": de indgår ikke i nettoresultaterne ovenfor.")
    rows = [(PARTY_LABEL.get(payer, payer), PARTY_LABEL.get(payee, payee), number(row["mean"]))
            for payer, payees in data["payments"].items() for payee, row in payees.items()]
    console.print(_table("Forventede resultatbetalinger (kr.)", ("betaler", "modtager", "beløb"),
                         rows, text_columns=2))
    for note in bc.notes:
        console.print(f"[yellow]Bemærk:[/] {note.text('da')}")


def print_simulation(console: Console, sim, data: dict[str, Any]) -> None:
    """The decision first: the probability that each municipality gains."""
    from brobygger.reports.format import percent
    from brobygger.simulation.summary import notes

    years = data["horizon_months"] / 12
    years_text = number(years, 0 if float(years).is_integer() else 1)
    kind = "med parameterusikkerhed" if data["parameter_uncertainty"] else \
        "kun individuel tilfældighed"
    console.print(f"[bold]{sim.inputs.compiled.scenario.programme.name}[/] — scenario "
                  f"'{data['scenario']}', {number(data['draws'])} træk ({kind}), seed "
                  f"{data['seed']}")
    for payer in ("municipality", "state"):
        row = data["net_result"][payer]
        console.print(
            f"• Sandsynlighed for gevinst for {PAYER_DA[payer]} inden for "
            f"{years_text} år: {percent(row['p_gain'])} (middel {kr(row['mean'])}, "
            f"p5 {kr(row['p5'])} … p95 {kr(row['p95'])})")
    rows: list[tuple[str, ...]] = []
    for code, m in data["municipalities"].items():
        row = m["net_result"]["municipality"]
        be = m["break_even_month"]
        month = ("ikke i horisonten" if be["p50"] is None else "aldrig i underskud"
                 if be["p50"] == 1 else f"måned {be['p50']}")
        rows.append((f"{code} {m['name']}", percent(row["p_gain"]), number(row["p5"]),
                     number(row["mean"]), number(row["p95"]), month))
    # (a gain within the horizon is a break-even within it: one probability says both)
    console.print(_table("Pr. kommune: nettoresultat for kommunen (kr.) og break-even (median)",
                         ("kommune", "P(gevinst)", "p5", "middel", "p95", "break-even"),
                         rows))
    rows = [(_indicator(code), "" if row["target"] is None else number(row["target"]),
             number(row["mean"], 1), number(row["p5"]), number(row["p95"]))
            for code, row in data["indicators"].items()]
    console.print(_table("Indikatorer", ("indikator", "mål", "middel", "p5", "p95"), rows))
    for note in notes(sim, data):
        console.print(f"[yellow]Bemærk:[/] {note.text('da')}")
