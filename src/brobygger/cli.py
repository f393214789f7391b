"""The ``brobygger`` command line (typer + rich).

Every command reads its inputs through the core's validating loaders; a bad input prints
every problem (file, key path, message) and exits with status 2, before any output.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from brobygger.errors import BrobyggerError
from brobygger.i18n import N_, _, language, localise_help
from brobygger.problem_text import problem_text

localise_help()

app = typer.Typer(
    name="brobygger",
    help=_("Run and judge outcome-based employment partnerships."),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
params_app = typer.Typer(help=_("Dated public-finance parameters."), no_args_is_help=True)
scenario_app = typer.Typer(help=_("Scenario files: validate and show."),
                           no_args_is_help=True)
app.add_typer(params_app, name="params")
app.add_typer(scenario_app, name="scenario")

console = Console()
errors = Console(stderr=True)
T = TypeVar("T")

ScenarioArg = Annotated[
    str | None,
    typer.Argument(help=_("A scenario file, or the name of a shipped scenario (default: "
                           "'default').")),
]


def guarded(action: Callable[[], T]) -> T:
    """Run ``action``; an input error lists every problem and exits with status 2."""
    try:
        return action()
    except BrobyggerError as exc:
        print_problems(exc.problems)
        raise typer.Exit(2) from None


def print_problems(problems) -> None:
    errors.print(f"[bold red]{_('error:')}[/] " + _("{n} problem(s)").format(n=len(problems)))
    for problem in problems:
        errors.print(f"  {problem_text(problem)}", markup=False, highlight=False,
                     soft_wrap=True)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


# ------------------------------------------------------------------------------ params


@params_app.command("show", help=_(
    "The parameter tree (or PATH) at a date, each value with its unit and source."))
def params_show(
    path: Annotated[str | None, typer.Argument(
        help=_("A parameter or subtree, e.g. taxes"))] = None,
    at: Annotated[str, typer.Option(help=_("The date (YYYY-MM-DD)"))] = "",
    as_json: Annotated[bool, typer.Option("--json", metavar="",
                                          help=_("JSON instead of a table"))] = False,
) -> None:
    import datetime as dt

    from brobygger.errors import ParameterError, Problem
    from brobygger.params import KeyedValue, default_parameters

    def run() -> None:
        tree = default_parameters()
        try:
            date = dt.date.fromisoformat(at) if at else dt.date.today()
        except ValueError:
            raise ParameterError(Problem("--at", at, "not a date: write YYYY-MM-DD",
                                         "as_of_date")) from None
        names = tree.names(path or "")
        if not names:
            tree.get(path or "")  # raises: no such parameter
        rows = []
        for name in names:
            leaf = tree.get(name)
            value = leaf.at(date, tree)
            if hasattr(value, "thresholds"):
                shown: Any = {"thresholds": value.thresholds, "rates": value.rates}
            elif isinstance(value, KeyedValue):
                shown = dict(value.by_key)
            else:
                shown = value
            refs = [r.href for r in leaf.metadata.reference]
            rows.append({"name": name, "value": shown, "unit": leaf.unit, "source": refs})
        if as_json:
            print_json({"date": str(date), "parameters": rows})
            return
        from rich import box

        cells = [(row["name"], _parameter_value(row["value"], row["unit"]),
                  _(UNITS.get(row["unit"], row["unit"])),
                  _source_site(row["source"][0]) if row["source"] else "") for row in rows]
        table = Table(title=_("Parameters on {date}").format(date=date), box=box.SIMPLE_HEAD,
                      collapse_padding=True, pad_edge=False)
        # a name and a number are never cut short; a staircase or a value per key wraps
        table.add_column(_("parameter"), no_wrap=True,
                         min_width=max([len(c[0]) for c in cells] or [0]))
        table.add_column(_("value"), justify="right", min_width=max(
            [len(c[1]) for c in cells if ";" not in c[1]] or [0]))
        table.add_column(_("unit"), no_wrap=True)
        sources = console.width >= 100  # on a narrow terminal: in the JSON only
        if sources:
            table.add_column(_("source"), no_wrap=True, overflow="ellipsis")
        for c in cells:
            table.add_row(*(c if sources else c[:3]))
        console.print(table)
        console.print(_("The sources in full, and every value unrounded: --json."))

    guarded(run)


#: a parameter's unit as the table says it
UNITS = {"/1": N_("share"), "DKK/month": N_("DKK/month"), "DKK/week": N_("DKK/week"),
         "DKK/year": N_("DKK/year"), "DKK/hour": N_("DKK/hour"), "weeks": N_("weeks")}


def _parameter_value(value: Any, unit: str) -> str:
    """A parameter's value as the table shows it: a share as a percentage, an amount to
    the øre, in the command line's number format; a staircase as its steps; a value per
    key (a municipality's kommuneskat) as its keys and values, the first few when many."""
    from brobygger.reports.console import number, percent

    def one(x: Any) -> str:
        if isinstance(x, bool) or not isinstance(x, int | float):
            return str(x)
        if unit == "/1":  # a percentage with the decimals it has, at most two
            return percent(x, next(d for d in (0, 1, 2) if round(100 * x, d) == round(
                100 * x, 2))).replace(" %", "\u00a0%")  # (a percentage is not split)
        return number(x, 0 if float(x).is_integer() else 2)

    if isinstance(value, dict) and set(value) == {"thresholds", "rates"}:
        return "; ".join(_("from {at}: {rate}").format(at=number(at), rate=one(rate))
                         for at, rate in zip(value["thresholds"], value["rates"], strict=True))
    if isinstance(value, dict):
        pairs = [f"{k}: {one(v)}" for k, v in value.items()]
        if len(pairs) > 4:
            return _("{n} values ({first} …)").format(n=len(pairs), first="; ".join(pairs[:3]))
        return "; ".join(pairs)
    return one(value)


def _source_site(url: str) -> str:
    """The site a source is on (skat.dk): the address in full is in the JSON."""
    from urllib.parse import urlsplit

    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


# ---------------------------------------------------------------------------- scenario


@scenario_app.command("validate", help=_(
    "Check a scenario against its schema and the parameters; list every problem."))
def scenario_validate(scenario: ScenarioArg = None) -> None:
    from brobygger.scenario.load import load_scenario, resolve_path

    loaded = guarded(lambda: load_scenario(scenario))
    path = resolve_path(scenario)
    console.print(f"[green]ok[/] {path} (scenario '{loaded.name}')")


@scenario_app.command("show", help=_(
    "The resolved scenario (after extends and changes): programme, intake, contract."))
def scenario_show(
    scenario: ScenarioArg = None,
    as_json: Annotated[bool, typer.Option(
        "--json", metavar="", help=_("The resolved scenario as JSON"))] = False,
) -> None:
    from brobygger.municipalities import municipalities
    from brobygger.reports.console import (
        indicator,
        kr,
        number,
        paragraph,
        party,
        percent,
        trigger,
    )
    from brobygger.reports.format import exact_percent
    from brobygger.scenario.load import load_scenario
    from brobygger.scenario.schema import assumption_texts

    sc = guarded(lambda: load_scenario(scenario))
    if as_json:
        data = sc.model_dump(mode="json")
        # one string per assumption, as always: the English text (docs/scenarios.md)
        data["assumptions"] = assumption_texts(sc.assumptions, "en")
        print_json(data)
        return
    p = sc.programme
    console.print(f"[bold]{p.name}[/] — scenario '{sc.name}'")
    paragraph(console, _("Period {start} – {end}; eligible costs {costs}, of which the EU "
                         "share {share}").format(start=p.period.start, end=p.period.end,
                                                 costs=kr(p.eligible_costs),
                                                 share=percent(p.esf_share)))
    console.print(_("Horizon: {months} months from {start}").format(
        months=sc.horizon.months, start=sc.horizon.start))
    register = municipalities()
    table = Table(title=_("Municipalities and intake"))
    for i, col in enumerate((_("code"), _("municipality"), _("region"), _("partnerships"),
                             _("referrals"))):
        table.add_column(col, justify="right" if i >= 3 else "left")
    for m in sc.municipalities:
        muni = register[m.code]
        table.add_row(m.code, muni.name, muni.region, str(m.partnerships),
                      number(sum(m.intake.monthly().values())))
    console.print(table)
    targets = Table(title=_("Targets"))
    targets.add_column(_("indicator"))
    targets.add_column(_("target"), justify="right")
    for key, value in p.targets.items():
        targets.add_row(indicator(key), number(value))
    console.print(targets)
    card = Table(title=_("Payment model: {label}").format(label=sc.contract.label))
    for col in (_("outcome"), _("trigger"), _("price"), _("payer"), _("payee")):
        card.add_column(col, overflow="fold")  # (a long word folded, not cut off)
    card.add_column(_("share"), justify="right", no_wrap=True)  # ("50 %" kept whole)
    for o in sc.contract.outcomes:
        outcome = [o.label, trigger(o.trigger.type, o.trigger.months), _prices(o.price),
                   party(o.payer)]
        for n, (payee, share) in enumerate(o.payees.items()):  # a payee a row
            card.add_row(*(outcome if n == 0 else [""] * 4), party(payee), percent(share),
                         end_section=n == len(o.payees) - 1)
    console.print(card)
    if sc.investor is not None:
        from brobygger.reports.console import investor_name
        from brobygger.scenario.schema import month_of

        inv = sc.investor

        def rate(x: float) -> str:
            return exact_percent(x, language())

        who = investor_name(inv.label)
        paragraph(console, _("{who}: lends {drawn}; repaid from {share} of the providers' "
                             "outcome payments, with a return of {rate} a year and a success "
                             "fee of {fee}").format(
            who=who[:1].upper() + who[1:], drawn=_(" and ").join(
                f"{kr(d.amount)} ({d.month})"
                for d in sorted(inv.drawdowns, key=lambda d: month_of(d.month))),
            share=rate(inv.share_of_payments), rate=rate(inv.return_rate),
            fee=rate(inv.success_fee_share)))


def _prices(price: float | dict | None) -> str:
    """An outcome's price, or its dated prices each from its date ("15.000 kr.; fra
    2021-01-01: 20.000 kr.")."""
    from brobygger.reports.console import kr

    if price is None:
        return "–"
    if not isinstance(price, dict):
        return kr(float(price))
    return "; ".join(_("from {day}: {price}").format(day=day, price=kr(float(amount)))
                     for day, amount in sorted(price.items()))


# ------------------------------------------------------------------------------ expect


@app.command("expect", help=_(
    "The business case, exactly: expected indicators, net result per payer, payments."))
def expect_cmd(
    scenario: ScenarioArg = None,
    as_json: Annotated[bool, typer.Option("--json", metavar="",
                                          help=_("Stable JSON (docs/json.md)"))] = False,
    by: Annotated[str, typer.Option(help=_("Table by: municipality, payer or month"))] = "payer",
) -> None:
    from brobygger.economics.business_case import expect
    from brobygger.reports.business_case_json import business_case_json
    from brobygger.scenario.load import load_scenario

    if by not in ("municipality", "payer", "month"):
        errors.print(f"[bold red]{_('error:')}[/] "
                     + _("--by must be municipality, payer or month, not {value!r}").format(
                         value=by))
        raise typer.Exit(2)
    sc = guarded(lambda: load_scenario(scenario))
    bc = guarded(lambda: expect(sc))
    data = business_case_json(bc, by_month=(by == "month"))
    if as_json:
        print_json(data)
        return
    from brobygger.reports.console import print_business_case

    print_business_case(console, bc, data, by)


@app.command("simulate", help=_(
    "Monte Carlo simulation: distributions of savings, payments and indicators."))
def simulate_cmd(
    scenario: ScenarioArg = None,
    draws: Annotated[int, typer.Option(help=_("Number of Monte Carlo draws"))] = 1000,
    seed: Annotated[int, typer.Option(help=_("Seed of the random streams"))] = 1,
    backend: Annotated[str, typer.Option(help=_("local or dask"))] = "local",
    workers: Annotated[int | None, typer.Option(
        help=_("Threads (local) or workers (dask)"))] = None,
    scheduler: Annotated[str | None, typer.Option(help=_("Address of a Dask scheduler"))] = None,
    no_parameter_uncertainty: Annotated[bool, typer.Option(
        "--no-parameter-uncertainty", metavar="", help=_("Individual randomness only"))] = False,
    as_json: Annotated[bool, typer.Option("--json", metavar="",
                                          help=_("Stable JSON (docs/json.md)"))] = False,
    out: Annotated[Path | None, typer.Option(help=_("Write the per-draw table (CSV)"))] = None,
) -> None:
    from brobygger.model import compile_scenario
    from brobygger.scenario.load import load_scenario
    from brobygger.simulation.run import check_request, simulate
    from brobygger.simulation.summary import simulation_json

    guarded(lambda: check_request(draws, seed, workers, out, backend, scheduler))
    sc = guarded(lambda: load_scenario(scenario))
    compiled = guarded(lambda: compile_scenario(sc))
    if backend == "dask":
        from brobygger.simulation.dask_backend import connect

        if scheduler:  # an unreachable scheduler, or one without workers, is an error
            client, _cluster = guarded(lambda: connect(workers, scheduler))  # before any work
            client.close()

    def run(progress=None):
        return simulate(compiled, draws, seed, uncertainty=not no_parameter_uncertainty,
                        backend=backend, workers=workers, scheduler=scheduler,
                        progress=progress)

    if not as_json and console.is_terminal:
        from rich.progress import Progress

        with Progress(console=console, transient=True) as bar:
            task = bar.add_task(_("simulating"), total=draws)
            sim = guarded(lambda: run(lambda n: bar.advance(task, n)))
    else:
        sim = guarded(run)
    data = simulation_json(sim)
    if as_json:
        print_json(data)
    else:
        from brobygger.reports.console import print_simulation

        print_simulation(console, sim, data)
    if out is not None:  # after the results: a disk that fills loses the table, not them
        from brobygger.simulation.tables import write_draws_csv

        try:
            write_draws_csv(sim, out)
        except BrobyggerError as exc:
            print_problems(exc.problems)
            raise typer.Exit(1) from None


def _register_ledger() -> None:
    from brobygger.ledger_cli import register

    register(app)


_register_ledger()


def main() -> None:
    app()


if __name__ == "__main__":
    main()


__all__ = ["app", "main"]
