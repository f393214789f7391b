"""``brobygger settle`` and ``brobygger ledger show|balances|close|export``.

:func:`register` adds the commands to the main typer app. Problems are printed as
``file: row N: reason``, every one of them, and the command exits with status 2 having
written nothing, as the scenario commands do for their input; status 1 is a failure after
the work was done (an Excel file that could not be written).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from brobygger.errors import BrobyggerError, Problem, output_problems, write_whole
from brobygger.i18n import _, language
from brobygger.payments import Invalid
from brobygger.payments.contract_file import ContractFile, load_contract_file
from brobygger.payments.events import read_events
from brobygger.payments.ledger import ZERO, balances, transactions, validate
from brobygger.payments.period import Period
from brobygger.payments.settle import Settlement, settle
from brobygger.payments.statement import (
    KINDS,
    Statement,
    rich_tables,
    statement,
    write_excel,
)
from brobygger.payments.store import LedgerDir, entry_to_json
from brobygger.problem_text import problem_text
from brobygger.reports.format import exact_percent, number, percent

DEFAULT_LEDGER = Path("ledger")

LedgerOpt = Annotated[Path, typer.Option("--ledger", help=_("the ledger directory"))]
JsonOpt = Annotated[bool, typer.Option("--json", metavar="",
                                       help=_("print JSON instead of tables"))]


def _console() -> Console:
    return Console(width=140)


def _fail(problems: list[Problem], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps({"ok": False, "problems": [
            {"source": p.source, "location": p.location, "message": p.message}
            for p in problems]}, ensure_ascii=False, indent=2))
    else:
        err = Console(stderr=True, width=200)
        err.print("[bold red]" + _("{n} problem(s); nothing was written").format(
            n=len(problems)) + "[/]")
        for p in problems:
            err.print(problem_text(p), markup=False, highlight=False)
    raise typer.Exit(2)


def _period(text: str, as_json: bool, option: str = "--period") -> Period:
    try:
        return Period.parse(text)
    except ValueError as exc:
        kind, context = (exc.kind, exc.context) if isinstance(exc, Invalid) else ("", ())
        _fail([Problem(option, "", str(exc), kind, context)], as_json)
        raise  # unreachable


def _workbook_problems(option: str, path: Path | None) -> list[Problem]:
    """:func:`output_problems`, and a workbook's name must say it is one (``.xlsx``): an
    Excel file named ``.csv`` or ``.json`` is opened as what it is not."""
    found = output_problems(option, path)
    if path is not None and path.suffix.lower() != ".xlsx":
        found.append(Problem(option, str(path), "an Excel workbook is written: give a file "
                             "name ending in .xlsx", "excel_not_xlsx"))
    return found


def _excel_bytes(write: Any, *args: Any) -> bytes:
    """A workbook made in memory (``write(*args, stream)``), to be written whole."""
    import io

    buffer = io.BytesIO()
    write(*args, buffer)
    return buffer.getvalue()


def _money(x: Decimal) -> str:
    return f"{x:.2f}"


def statement_json(st: Statement) -> dict[str, Any]:
    return {
        "period": st.period.label,
        "contract": st.contract,
        "paid": _money(st.total_paid),
        "not_paid_cap": _money(st.total_unpaid),
        "outcomes": {k: {"payments": n, "gross": _money(g), "paid": _money(p),
                         "not_paid_cap": _money(u)}
                     for k, (n, g, p, u) in st.totals_by_outcome().items()},
        "balances": {k: _money(v) for k, v in st.balances.items()},
    }


def run_settlement(events: Path, contract: Path, period: Period, ledger: Path,
                   as_of: dt.date | None = None, write: bool = True
                   ) -> tuple[Settlement, Statement | None]:
    """Read, settle, append (all or nothing); the CLI's and a test's one code path."""
    cf: ContractFile = load_contract_file(contract)
    table, read_problems = read_events(events)
    store = LedgerDir(ledger)
    # a run that writes holds the ledger from its read to its append (LedgerDir.locked)
    with store.locked() if write else contextlib.nullcontext():
        entries = store.entries()
        result = settle(table, cf, period, entries, as_of=as_of, batch=f"settle-{period}",
                        problems=read_problems)
        if not result.ok:
            return result, None
        if write:
            store.start()
            store.append(result.entries, "settle", period.label, {
                "contract": cf.contract.id, "events": str(events), "period": period.label})
    return result, statement(period, [*entries, *result.entries], result)


def settle_command(
    events: Annotated[Path, typer.Argument(help=_("events file (.csv or .json)"))],
    contract: Annotated[Path, typer.Option("--contract", help=_("contract or scenario YAML"))],
    period: Annotated[str, typer.Option("--period", help=_("2020-Q1, 2020-03, 2020-H1, 2020"))],
    ledger: LedgerOpt = DEFAULT_LEDGER,
    as_json: JsonOpt = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help=_(
        "today, for 'in the future' checks (YYYY-MM-DD)"))] = None,
    excel: Annotated[Path | None, typer.Option("--excel", help=_(
        "also write the statement as an Excel workbook"))] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", metavar="",
                                          help=_("settle but write nothing"))] = False,
) -> None:
    """Settle PERIOD: verified events and the contract's rate card → ledger transactions."""
    p = _period(period, as_json)
    try:
        day = dt.date.fromisoformat(as_of) if as_of else None
    except ValueError:
        _fail([Problem("--as-of", str(as_of), "not a date: write YYYY-MM-DD", "as_of_date")],
              as_json)
        return
    found = _workbook_problems("--excel", excel)
    if found:  # before settling: a failed Excel file must not follow a written ledger batch
        _fail(found, as_json)
        return
    try:
        result, st = run_settlement(events, contract, p, ledger, day, write=not dry_run)
    except BrobyggerError as exc:
        _fail(exc.problems, as_json)
        return
    if not result.ok or st is None:
        _fail(result.problems, as_json)
        return
    if excel:
        try:
            write_whole("--excel", excel, _excel_bytes(write_excel, st))
        except BrobyggerError as exc:  # after the ledger: say what was written and what not
            reason = f"[bold red]--excel: {excel}: " + _("cannot write ({reason})").format(
                reason=dict(exc.problems[0].context)["reason"]) + "[/]; "
            Console(stderr=True).print(reason + (_("the ledger was not written") if dry_run
                                                 else _("the ledger was written")),
                                       highlight=False)
            raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps({"ok": True, "ledger": str(ledger),
                               "written": bool(result.entries) and not dry_run,
                               "new_entries": len(result.entries), **statement_json(st)},
                              ensure_ascii=False, indent=2))
        return
    console = _console()
    for table in rich_tables(st):
        console.print(table)
    n = len(result.entries)
    if dry_run:
        said = (_("would add {n} transaction to {ledger}") if n == 1
                else _("would add {n} transactions to {ledger}"))
    else:
        said = (_("added {n} transaction to {ledger}") if n == 1
                else _("added {n} transactions to {ledger}"))
    console.print(said.format(n=n, ledger=ledger) + ("" if n else _why_nothing(st)))


def _why_nothing(st: Statement) -> str:
    """Why a settlement added nothing, from its statement's lines."""
    kinds = {line.kind for line in st.lines}
    if kinds & {"payment", "reversal"}:  # the period was settled before
        return _(" (already settled: nothing new)")
    if kinds:  # every line over a cap
        return _(" (what falls due in {period} is over the caps)").format(period=st.period)
    return _(" (nothing falls due in {period})").format(period=st.period)


def show(ledger: LedgerOpt = DEFAULT_LEDGER, period: Annotated[str | None, typer.Option(
        "--period", help=_("only this period's"))] = None, as_json: JsonOpt = False) -> None:
    """List the ledger's transactions (optionally one period's)."""
    entries = _entries(ledger, as_json)
    p = _period(period, as_json) if period else None
    txns = [t for t in transactions(entries)
            if p is None or p.contains(t.date.year * 12 + t.date.month - 1)]
    if as_json:
        typer.echo(json.dumps([entry_to_json(t)["transaction"] for t in txns],
                              ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    table = Table(title=_("Ledger {ledger}").format(ledger=ledger) + (f" — {p}" if p else ""))
    for col in (_("date"), "id", _("kind"), _("postings (DKK)")):
        table.add_column(col)
    for t in txns:
        table.add_row(t.date.isoformat(), t.id, _(KINDS.get(t.kind, t.kind)), "\n".join(
            f"{x.account:<32} {number(x.amount, 2, lang=language()):>14}"
            for x in t.postings))
    _console().print(table)


def balances_command(ledger: LedgerOpt = DEFAULT_LEDGER, period: Annotated[
        str | None, typer.Option("--period", help=_("only this period's"))] = None,
        as_json: JsonOpt = False) -> None:
    """Net amount per party (received − paid), overall or in one period."""
    entries = _entries(ledger, as_json, checked=True)
    p = _period(period, as_json) if period else None
    bal = balances(entries, p)
    if as_json:
        typer.echo(json.dumps({k: _money(v) for k, v in bal.items()}, indent=2))
        return
    from rich.table import Table

    table = Table(title=_("Balances {ledger}").format(ledger=ledger) + (f" — {p}" if p else "")
                  + _(" (received − paid)"))
    table.add_column(_("account"))
    table.add_column(_("DKK"), justify="right")
    for account, amount in bal.items():
        table.add_row(str(account), number(amount, 2, lang=language()))
    _console().print(table)


def close(period: Annotated[str, typer.Argument(help=_("the period to close, e.g. 2020-Q1"))],
          ledger: LedgerOpt = DEFAULT_LEDGER, as_json: JsonOpt = False) -> None:
    """Close a period: nothing may be dated in it afterwards (corrections reverse later)."""
    p = _period(period, as_json)
    store = _existing(ledger, as_json)
    try:
        with store.locked():
            _entries(ledger, as_json, checked=True)  # a ledger that does not validate stays open
            store.close(p)
    except BrobyggerError as exc:
        _fail(exc.problems, as_json)
    if as_json:
        typer.echo(json.dumps({"ok": True, "closed": p.label}))
    else:
        _console().print(_("closed {period} in {ledger}").format(period=p, ledger=ledger))


def export(
    ledger: LedgerOpt = DEFAULT_LEDGER,
    contract: Annotated[Path | None, typer.Option(
        "--contract", help=_("needed for indigo"))] = None,
    fmt: Annotated[str, typer.Option("--format", help=_("indigo, json or excel"))] = "indigo",
    period: Annotated[str | None, typer.Option("--period", help=_("for excel"))] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=_(
        "the file to write (without it: to the screen)"))] = None,
) -> None:
    """Export the ledger: INDIGO JSON (contract + results), all entries as JSON, or Excel."""
    found = (_workbook_problems if fmt == "excel" else output_problems)("--output", output)
    if found:
        _fail(found, False)
        return
    if period is not None and fmt != "excel":  # (not ignored: said)
        _fail([Problem("--period", period, "--period is for --format excel: the INDIGO "
                       "project and the JSON export hold the whole ledger",
                       "period_for_excel")], False)
        return
    entries = _entries(ledger, False, checked=True)
    if fmt == "indigo":
        if contract is None:
            _fail([Problem("--contract", "", "INDIGO export needs the contract file",
                           "indigo_needs_contract")], False)
            return
        from brobygger.payments.indigo import indigo_project

        try:
            cf = load_contract_file(contract)
        except BrobyggerError as exc:
            _fail(exc.problems, False)
            return
        text = json.dumps(indigo_project(cf, entries), ensure_ascii=False, indent=2)
        data = (text + "\n").encode()
    elif fmt == "json":
        text = json.dumps([entry_to_json(e) for e in entries], ensure_ascii=False, indent=2)
        data = (text + "\n").encode()
    elif fmt == "excel":
        if period is None or output is None:
            _fail([Problem("--format excel", "", "needs --period and --output",
                           "excel_needs")], False)
            return
        data = _excel_bytes(write_excel, statement(_period(period, False), entries))
    else:
        _fail([Problem("--format", "", f"unknown format {fmt!r}: indigo, json or excel",
                       "unknown_format", (("format", repr(fmt)),))], False)
        return
    if output is None:
        typer.echo(data.decode().removesuffix("\n"))
        return
    try:
        write_whole("--output", output, data)
    except BrobyggerError as exc:  # the export was made: it could not be kept
        err = Console(stderr=True, width=200)
        for p in exc.problems:
            err.print(problem_text(p), markup=False, highlight=False)
        raise typer.Exit(1) from None
    typer.echo(_("wrote {path}").format(path=output))


def investor_command(
    contract: Annotated[Path, typer.Option("--contract", help=_(
        "the contract file with the investor block"))],
    ledger: LedgerOpt = DEFAULT_LEDGER,
    through: Annotated[str | None, typer.Option("--through", help=_(
        "up to the end of this period (2021-06, 2021-Q2, 2021): the return accrues to it"))
                       ] = None,
    as_json: JsonOpt = False,
    excel: Annotated[Path | None, typer.Option("--excel", help=_(
        "also write the position as an Excel workbook"))] = None,
) -> None:
    """The investor's pre-financing as the ledger stands: drawn, repaid, outstanding, return
    (IRR) and money multiple."""
    from brobygger.payments.investor import investor_position, write_investor_excel

    p = _period(through, as_json, "--through") if through else None
    found = _workbook_problems("--excel", excel)
    if found:
        _fail(found, as_json)
        return
    try:
        cf = load_contract_file(contract)
    except BrobyggerError as exc:
        _fail(exc.problems, as_json)
        return
    if cf.investor is None:
        from brobygger.payments.contract_file import is_scenario
        from brobygger.yamlio import load_yaml

        if is_scenario(load_yaml(contract)):  # (read already: it loaded)
            _fail([Problem(str(contract), "investor", "a scenario's investor is a plan, with "
                           "no providers: the ledger's investor is given in a contract file "
                           "(contract, partnerships, and an investor whose drawdowns name "
                           "their providers)", "planned_investor")], as_json)
        else:
            _fail([Problem(str(contract), "investor", "the contract file has no investor "
                           "block", "no_investor")], as_json)
        return
    entries = _entries(ledger, as_json, checked=True)
    result, receipts = investor_position(cf.investor, entries, p.last if p else None,
                                         cf.contract.id)
    irr = result.irr
    accrued = result.accrued
    flows = [(f, receipts.get(f.index, ZERO)) for f in result.flows]
    if excel:
        try:
            write_whole("--excel", excel, _excel_bytes(
                write_investor_excel, result, receipts, cf.investor, cf.contract.id))
        except BrobyggerError as exc:
            Console(stderr=True).print(f"[bold red]--excel: {excel}: " + _(
                "cannot write ({reason})").format(reason=dict(exc.problems[0].context)[
                    "reason"]) + "[/]",
                highlight=False)
            raise typer.Exit(1) from None
    if as_json:
        typer.echo(json.dumps({
            "investor": result.investor, "contract": cf.contract.id,
            "through": p.label if p else None,
            "invested": _money(result.invested), "received": _money(result.received),
            "interest": _money(sum((f.interest for f in result.flows), ZERO)),
            "principal_repaid": _money(sum((f.principal for f in result.flows), ZERO)),
            "success_fee": _money(sum((f.success_fee for f in result.flows), ZERO)),
            "outstanding": _money(result.loss), "accrued_return": _money(accrued),
            "money_multiple": None if result.money_multiple is None
            else str(result.money_multiple),
            "irr": None if irr is None else round(irr, 6),
            "flows": [{"month": f.month, "drawn": _money(f.drawn),
                       "provider_receipts": _money(r), "interest": _money(f.interest),
                       "principal": _money(f.principal), "success_fee": _money(f.success_fee),
                       "outstanding": _money(f.outstanding), "accrued": _money(f.accrued),
                       "net": _money(f.net)}
                      for f, r in flows],
        }, ensure_ascii=False, indent=2))
        return
    from rich.table import Table

    lang = language()

    def amount(x: Decimal) -> str:
        return number(x, 2, lang=lang)

    spec = cf.investor
    title = _("Investor {investor} — contract {contract}").format(
        investor=result.investor, contract=cf.contract.id)
    summary = Table(title=title + (" — " + _("through {period}").format(period=p) if p
                                   else ""), show_header=False)
    summary.add_column()
    summary.add_column(justify="right")
    summary.add_row(_("invested (drawn by the providers)"), amount(result.invested))
    summary.add_row(_("received (return, principal, success fee)"), amount(result.received))
    summary.add_row(_("principal outstanding"), amount(result.loss))
    if accrued:
        summary.add_row(_("return accrued, not yet paid"), amount(accrued))
    summary.add_row(_("money multiple"), "–" if result.money_multiple is None
                    else number(result.money_multiple, 2, lang=lang))
    summary.add_row(_("return a year (IRR), if nothing more is repaid") if result.loss
                    else _("return a year (IRR)"),
                    "–" if irr is None else percent(irr, 1, lang=lang))
    terms = _(
        "{share} of the providers' outcome payments; return {rate} a year; success fee "
        "{fee}").format(share=exact_percent(spec.share_of_payments, lang),
                        rate=exact_percent(spec.return_rate, lang),
                        fee=exact_percent(spec.success_fee_share, lang))
    months = Table(title=_("Month by month (DKK)"))
    for col in (_("month"), _("drawn"), _("providers received"), _("return"),
                _("principal"), _("success fee"), _("outstanding")):
        months.add_column(col, justify="left" if col == _("month") else "right")
    for f, r in flows:
        if f.drawn or r or f.net:
            months.add_row(f.month, amount(f.drawn), amount(r), amount(f.interest),
                           amount(f.principal), amount(f.success_fee), amount(f.outstanding))
    console = _console()
    console.print(summary)
    console.print(_("Terms: {terms}").format(terms=terms), highlight=False)
    if months.row_count:
        console.print(months)


def _existing(ledger: Path, as_json: bool) -> LedgerDir:
    """The ledger at ``ledger``, which must exist (only settle starts a new one: a mistyped
    folder would otherwise read as an empty ledger, or be closed as a new one)."""
    store = LedgerDir(ledger)
    if not store.journal.is_dir():
        _fail([Problem("--ledger", str(ledger), "no ledger here (settle starts one)",
                       "no_ledger")], as_json)
    return store


def _entries(ledger: Path, as_json: bool, checked: bool = False) -> list:
    """The ledger's entries; ``checked``: refused unless the ledger validates (balances and
    exports are what others rely on; ``show`` lists a broken ledger, to mend it)."""
    store = _existing(ledger, as_json)
    try:
        entries = store.entries()
    except BrobyggerError as exc:
        _fail(exc.problems, as_json)
        return []
    if checked:
        problems = validate(entries, str(ledger))
        if problems:
            _fail(problems, as_json)
    return entries


def register(app: typer.Typer) -> None:
    """Add ``settle`` and the ``ledger`` sub-app to the main command line."""
    app.command("settle", help=_(
        "Settle PERIOD: verified events and the contract's rate card → ledger "
        "transactions."))(settle_command)
    ledger_app = typer.Typer(name="ledger", help=_("Read, close and export the payment ledger."),
                             no_args_is_help=True)
    ledger_app.command("show", help=_(
        "List the ledger's transactions (optionally one period's)."))(show)
    ledger_app.command("balances", help=_(
        "Net amount per party (received − paid), overall or in one period."))(balances_command)
    ledger_app.command("close", help=_(
        "Close a period: nothing may be dated in it afterwards (corrections reverse "
        "later)."))(close)
    ledger_app.command("export", help=_(
        "Export the ledger: INDIGO JSON (contract + results), all entries as JSON, or "
        "Excel."))(export)
    ledger_app.command("investor", help=_(
        "The investor's pre-financing as the ledger stands: drawn, repaid, "
        "outstanding, return (IRR) and money multiple."))(investor_command)
    app.add_typer(ledger_app, name="ledger")
