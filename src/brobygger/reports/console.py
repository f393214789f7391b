"""The readable business case on a terminal (rich), leading with the decision."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from brobygger.economics.business_case import BusinessCase
from brobygger.reports.format import kr, number

PAYER_LABEL = {"municipality": "kommunerne", "state": "staten", "public_total": "det offentlige"}


def headline(bc: BusinessCase, summary: dict[str, Any], payer: str) -> str:
    years = bc.T / 12
    month = summary["break_even_month"]
    when = (f"break-even i måned {month} ({summary['break_even_date']})" if month
            else "ingen break-even inden for horisonten")
    return (f"Over {number(years, 0 if years.is_integer() else 1)} år er nettoresultatet for "
            f"{PAYER_LABEL[payer]} {kr(summary['mean'])} (tilbagediskonteret "
            f"{kr(summary['discounted'])}); {when}.")


def print_business_case(console: Console, bc: BusinessCase, data: dict[str, Any], by: str) -> None:
    console.print(f"[bold]{bc.scenario.programme.name}[/] — scenario '{bc.scenario.name}', "
                  f"forventet værdi (eksakt)")
    for payer in ("municipality", "state"):
        console.print("• " + headline(bc, data["net_result"][payer], payer))

    ind = Table(title="Indikatorer (forventet antal i programperioden)")
    for col in ("indikator", "mål", "forventet"):
        ind.add_column(col, justify="left" if col == "indikator" else "right")
    for code, row in data["indicators"].items():
        target = "" if row["target"] is None else number(row["target"])
        ind.add_row(code, target, number(row["mean"], 1))
    console.print(ind)

    if by == "municipality":
        table = Table(title="Nettoresultat pr. kommune (kr., udiskonteret)")
        for col in ("kode", "kommune", "kommunen", "staten", "break-even"):
            table.add_column(col, justify="right" if col not in ("kommune",) else "left")
        for code, m in data["municipalities"].items():
            net = m["net_result"]
            be = net["municipality"]["break_even_date"] or "–"
            table.add_row(code, m["name"], number(net["municipality"]["mean"]),
                          number(net["state"]["mean"]), be)
        console.print(table)
    elif by == "month":
        table = Table(title="Kumuleret nettoresultat, hver tredje måned (kr.)")
        for col in ("måned", "kommunerne", "staten", "det offentlige"):
            table.add_column(col, justify="right")
        cum = {p: 0.0 for p in ("municipality", "state", "public_total")}
        months = data["months"]
        for t, label in enumerate(months["month"]):
            for p in cum:
                cum[p] += months[p]["net"][t]
            if (t + 1) % 3 == 0 or t == len(months["month"]) - 1:
                table.add_row(label, *(number(cum[p]) for p in cum))
        console.print(table)
    else:
        table = Table(title="Pr. betaler (kr., udiskonteret)")
        for col in ("betaler", "besparelse", "programudgifter", "resultatbetalinger",
                    "nettoresultat", "tilbagediskonteret"):
            table.add_column(col, justify="right" if col != "betaler" else "left")
        for payer, row in data["net_result"].items():
            table.add_row(PAYER_LABEL[payer], number(row["savings"]),
                          number(row["programme_costs"]), number(row["payments"]),
                          number(row["mean"]), number(row["discounted"]))
        console.print(table)
    pay = Table(title="Forventede resultatbetalinger (kr.)")
    for col in ("betaler", "modtager", "beløb"):
        pay.add_column(col, justify="right" if col == "beløb" else "left")
    for payer, payees in data["payments"].items():
        for payee, row in payees.items():
            pay.add_row(payer, payee, number(row["mean"]))
    console.print(pay)
    for note in bc.notes:
        console.print(f"[yellow]note:[/] {note}")


def print_simulation(console: Console, sim, data: dict[str, Any]) -> None:
    """The decision first: the probability that each municipality gains."""
    from brobygger.reports.format import percent

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
            f"• Sandsynlighed for gevinst for {PAYER_LABEL[payer]} inden for "
            f"{years_text} år: {percent(row['p_gain'])} (middel {kr(row['mean'])}, "
            f"p5 {kr(row['p5'])} … p95 {kr(row['p95'])})")
    table = Table(title="Pr. kommune: nettoresultat for kommunen (kr.)")
    for col in ("kommune", "P(gevinst)", "p5", "middel", "p95", "break-even (median)",
                "P(break-even)"):
        table.add_column(col, justify="left" if col == "kommune" else "right")
    for code, m in data["municipalities"].items():
        row = m["net_result"]["municipality"]
        be = m["break_even_month"]
        month = f"måned {be['p50']}" if be["p50"] is not None else "ikke i horisonten"
        table.add_row(f"{code} {m['name']}", percent(row["p_gain"]), number(row["p5"]),
                      number(row["mean"]), number(row["p95"]), month,
                      percent(be["p_within_horizon"]))
    console.print(table)
    ind = Table(title="Indikatorer")
    for col in ("indikator", "mål", "middel", "p5", "p95"):
        ind.add_column(col, justify="left" if col == "indikator" else "right")
    for code, row in data["indicators"].items():
        target = "" if row["target"] is None else number(row["target"])
        ind.add_row(code, target, number(row["mean"], 1), number(row["p5"]), number(row["p95"]))
    console.print(ind)
    for note in data["notes"]:
        console.print(f"[yellow]note:[/] {note}")
