"""The readable business case on a terminal (rich), leading with the decision, in the
command line's language (:mod:`brobygger.i18n`: Danish by default, English with
``BROBYGGER_LANG=en``), its numbers in that language's format."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

from brobygger.economics.business_case import BusinessCase
from brobygger.i18n import N_, _, language
from brobygger.reports import format as fmt

#: who pays and who is paid, as the payment tables name them
PARTY_LABEL = {"municipality": N_("the municipality"), "state": N_("the state"),
               "esf": N_("the EU Social Fund (ESF)"), "investor": N_("investor"),
               "other_actor": N_("other actor"),
               "social_enterprise": N_("social-economic enterprise")}
#: the payers of a net result, as a sentence or a table names them
PAYER_LABEL = {"municipality": N_("the municipalities"), "state": N_("the state"),
               "public_total": N_("the public sector")}
#: who else finances the programme's costs
FINANCIER_LABEL = {"esf": N_("the EU Social Fund (ESF)"),
                   "private": N_("private funds and companies"),
                   "region": N_("the regions"), "investor": N_("investor")}
#: what triggers an outcome payment, as the rate card says it
TRIGGER_LABEL = {"referral": N_("referral"), "induction_start": N_("course start"),
                 "induction_completed": N_("course completed"), "job_start": N_("job start"),
                 "job_sustained": N_("job sustained {months} months"),
                 "off_benefit_month": N_("a month off benefit"),
                 "education_start": N_("education start"),
                 "ordinary_hire": N_("ordinary unemployed hired"),
                 "place_created": N_("place created")}
#: the indicators, after their codes (the ESF codes are the programme's own)
INDICATOR_LABEL = {"3B.1": N_("started the induction course"),
                   "3B.2": N_("completed the induction course"),
                   "3B.3": N_("hired by an accelerator enterprise"),
                   "3B.4": N_("hired by another enterprise"),
                   "places": N_("places created"),
                   "ordinary_hires": N_("ordinary unemployed hired")}


def kr(value: float) -> str:
    return fmt.kr(value, lang=language())


def number(value: float, decimals: int = 0) -> str:
    return fmt.number(value, decimals, lang=language())


def percent(share: float, decimals: int = 0) -> str:
    return fmt.percent(share, decimals, lang=language())


def _indicator(code: str) -> str:
    label = INDICATOR_LABEL.get(code)
    return code if label is None else (_(label) if code in ("places", "ordinary_hires")
                                       else f"{code} {_(label)}")


def headline(bc: BusinessCase, summary: dict[str, Any], payer: str) -> str:
    years = bc.T / 12
    month = summary["break_even_month"]
    when = (_("break-even in month {month} ({date})").format(
        month=month, date=summary["break_even_date"]) if month
            else _("no break-even within the horizon"))
    return _("Over {years} years the net result for {payer} is {mean} (discounted {disc}); "
             "{when}.").format(years=number(years, 0 if years.is_integer() else 1),
                               payer=_(PAYER_LABEL[payer]), mean=kr(summary["mean"]),
                               disc=kr(summary["discounted"]), when=when)


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


def _fits(console: Console, table: Table) -> bool:
    """Whether ``table`` fits the console's width without a figure being cut short."""
    from rich.measure import Measurement

    wide = console.options.update_width(10 * console.width)  # (else it is cut to fit)
    return Measurement.get(console, wide, table).minimum <= console.width


def _fitted(console: Console, title: str, columns: Sequence[str],
            rows: Sequence[Sequence[str]]) -> Table:
    """:func:`_table` of one text column, or, when its figures would not fit the console
    side by side (a national roll-out's billions), the same table turned: a row a column."""
    table = _table(title, columns, rows)
    if _fits(console, table):
        return table
    return _table(title, (columns[0], *(r[0] for r in rows)),
                  [(col, *(r[i] for r in rows)) for i, col in enumerate(columns[1:], 1)])


def print_business_case(console: Console, bc: BusinessCase, data: dict[str, Any], by: str) -> None:
    console.print(f"[bold]{bc.scenario.programme.name}[/] — "
                  + _("scenario '{name}', expected value (exact)").format(
                      name=bc.scenario.name))
    for payer in ("municipality", "state"):
        console.print("• " + headline(bc, data["net_result"][payer], payer))

    rows: list[tuple[str, ...]] = [
        (_indicator(code), "" if row["target"] is None else number(row["target"]),
         number(row["mean"], 1)) for code, row in data["indicators"].items()]
    console.print(_table(_("Indicators (expected number in the programme period)"),
                         (_("indicator"), _("target"), _("expected")), rows))

    if by == "municipality":
        rows = []
        for code, m in data["municipalities"].items():
            net = m["net_result"]
            rows.append((f"{code} {m['name']}", number(net["municipality"]["mean"]),
                         number(net["state"]["mean"]),
                         net["municipality"]["break_even_date"] or "–"))
        console.print(_table(_("Net result per municipality (DKK, undiscounted)"),
                             (_("municipality"), _("the municipality"), _("the state"),
                              "break-even"), rows))
    elif by == "month":
        cum = {p: 0.0 for p in ("municipality", "state", "public_total")}
        months = data["months"]
        rows = []
        for t, label in enumerate(months["month"]):
            for p in cum:
                cum[p] += months[p]["net"][t]
            if (t + 1) % 3 == 0 or t == len(months["month"]) - 1:
                rows.append((label, *(number(cum[p]) for p in cum)))
        console.print(_table(_("Cumulative net result, every third month (DKK)"),
                             (_("month"), _(PAYER_LABEL["municipality"]),
                              _(PAYER_LABEL["state"]), _(PAYER_LABEL["public_total"])), rows))
    else:
        rows = [(_(PAYER_LABEL[payer]), number(row["savings"]), number(row["programme_costs"]),
                 number(row["payments"]), number(row["mean"]), number(row["discounted"]))
                for payer, row in data["net_result"].items()]
        console.print(_fitted(console, _("Per payer (DKK, undiscounted; net = savings − "
                                         "programme costs − outcome payments)"),
                              (_("payer"), _("savings"), _("prog. costs"), _("outc. paym."),
                               _("net"), _("discounted")), rows))
        others = {k: v for k, v in data["programme_costs_by_financier"].items()
                  if k not in ("municipality", "state") and v}
        if others:
            console.print(_("The public sector is the municipalities and the state. The "
                            "programme's costs are also paid by {others}: they are not in the "
                            "net results above.").format(others=_(" and ").join(
                                f"{_(FINANCIER_LABEL.get(k, k))} ({kr(v)})"
                                for k, v in others.items())))
    rows = [(_(PARTY_LABEL.get(payer, payer)), _(PARTY_LABEL.get(payee, payee)),
             number(row["mean"]))
            for payer, payees in data["payments"].items() for payee, row in payees.items()]
    console.print(_table(_("Expected outcome payments (DKK)"),
                         (_("payer"), _("payee"), _("amount")), rows, text_columns=2))
    if "investor" in data:
        print_investor(console, data["investor"])
    for note in bc.notes:
        console.print(f"[yellow]{_('Note:')}[/] {note.text(language(), screen=True)}")


#: units kept on the line of their number
_UNITS = (" %", " kr.", " DKK")


def paragraph(console: Console, text: str) -> None:
    """Print ``text`` wrapped to the console's width at ordinary spaces only, a number
    never split from its unit ("6 %", "2.000 kr."): rich's own wrapping breaks at any
    Unicode space, a no-break space too."""
    import textwrap

    for unit in _UNITS:
        text = text.replace(unit, "\u00a0" + unit[1:])
    lines = textwrap.wrap(text, width=console.width, break_long_words=False,
                          break_on_hyphens=False)
    console.print("\n".join(lines).replace("\u00a0", " "), soft_wrap=True, markup=False,
                  highlight=False)


def investor_name(label: str) -> str:
    """"investor Socialinvest", or "the investor" when it has no name."""
    return _("investor {label}").format(label=label) if label else _("the investor")


def print_investor(console: Console, inv: dict[str, Any]) -> None:
    """The scenario's investor at the expected payments (``investor`` of the JSON)."""
    irr = "–" if inv["irr"] is None else percent(inv["irr"], 1)
    rows = [
        (_("invested (drawn by the providers)"), number(inv["invested"])),
        (_("the providers' expected outcome payments"), number(inv["provider_payments"])),
        (_("received (return, principal, success fee)"), number(inv["received"])),
        (_("principal outstanding at the horizon's end"), number(inv["outstanding"])),
        (_("return accrued, not yet paid"), number(inv["accrued_return"])),
        (_("money multiple"), "–" if inv["money_multiple"] is None
         else number(inv["money_multiple"], 2)),
        (_("return a year (IRR)"), irr),
        (_("repaid in full"), inv["repaid_month"] or _("not within the horizon")),
    ]
    who = investor_name(inv["label"])
    console.print(_table(_("{who} at the expected payments (DKK)").format(
        who=who[:1].upper() + who[1:]), (_("item"), _("amount")), rows, text_columns=1))
    console.print(_("The waterfall is not linear: its result at the expected payments is the "
                    "central case, not the expected return (a shortfall in some outcomes is "
                    "not made up by a surplus in others)."))


def print_simulation(console: Console, sim, data: dict[str, Any]) -> None:
    """The decision first: the probability that each municipality gains."""
    from brobygger.simulation.summary import notes

    years = data["horizon_months"] / 12
    years_text = number(years, 0 if float(years).is_integer() else 1)
    kind = _("with parameter uncertainty") if data["parameter_uncertainty"] else \
        _("individual randomness only")
    console.print(f"[bold]{sim.inputs.compiled.scenario.programme.name}[/] — " + _(
        "scenario '{name}', {draws} draws ({kind}), seed {seed}").format(
        name=data["scenario"], draws=number(data["draws"]), kind=kind, seed=data["seed"]))
    for payer in ("municipality", "state"):
        row = data["net_result"][payer]
        console.print("• " + _(
            "Probability of a gain for {payer} within {years} years: {p} (mean {mean}, "
            "p5 {p5} … p95 {p95}; the central case, expect's exact value, {central})"
        ).format(payer=_(PAYER_LABEL[payer]), years=years_text, p=percent(row["p_gain"]),
                 mean=kr(row["mean"]), p5=kr(row["p5"]), p95=kr(row["p95"]),
                 central=kr(data["central_case"][payer])))
    if "investor" in data:  # the investor's decision beside the payers'
        inv = data["investor"]
        irr = inv["irr"]
        central = inv["central_case"]
        console.print("• " + _(
            "Probability that {who} is repaid in full within {years} years: {p} (received "
            "mean {mean}, p5 {p5} … p95 {p95}, of {invested} lent; return a year p5 {irr5}, "
            "median {irr50}, p95 {irr95}; at the expected payments, the central case, "
            "{central} received and {central_irr} a year)").format(
            who=investor_name(inv["label"]), years=years_text, p=percent(inv["p_repaid"]),
            mean=kr(inv["received"]["mean"]), p5=kr(inv["received"]["p5"]),
            p95=kr(inv["received"]["p95"]), invested=kr(inv["invested"]),
            irr5="–" if irr is None else percent(irr["p5"], 1),
            irr50="–" if irr is None else percent(irr["p50"], 1),
            irr95="–" if irr is None else percent(irr["p95"], 1),
            central=kr(central["received"]),
            central_irr="–" if central["irr"] is None else percent(central["irr"], 1)))
    rows: list[tuple[str, ...]] = []
    for code, m in data["municipalities"].items():
        row = m["net_result"]["municipality"]
        be = m["break_even_month"]
        month = (_("not within the horizon") if be["p50"] is None else
                 _("never in deficit") if be["p50"] == 1 else
                 _("month {month}").format(month=be["p50"]))
        rows.append((f"{code} {m['name']}", percent(row["p_gain"]), number(row["p5"]),
                     number(row["mean"]), number(row["p95"]), month))
    # (a gain within the horizon is a break-even within it: one probability says both)
    title = _("Per municipality: the municipality's net result (DKK) and break-even (median)")
    columns = (_("municipality"), _("P(gain)"), "p5", _("mean"), "p95", "break-even")
    table = _table(title, columns, rows)
    if _fits(console, table):
        console.print(table)
    else:  # a narrow terminal: the break-even months in a table of their own, not cut off
        console.print(_table(title, columns[:5], [r[:5] for r in rows]))
        console.print(_table("", (columns[0], columns[5]), [(r[0], r[5]) for r in rows]))
    rows = [(_indicator(code), "" if row["target"] is None else number(row["target"]),
             number(row["mean"], 1), number(row["p5"]), number(row["p95"]))
            for code, row in data["indicators"].items()]
    console.print(_table(_("Indicators"), (_("indicator"), _("target"), _("mean"), "p5",
                                           "p95"), rows))
    for note in notes(sim, data):
        console.print(f"[yellow]{_('Note:')}[/] {note.text(language(), screen=True)}")


def trigger(kind: str, months: int | None = None) -> str:
    """What triggers an outcome payment, in the command line's language."""
    label = TRIGGER_LABEL.get(kind)
    return kind if label is None else _(label).format(months=months)


def indicator(code: str) -> str:
    """An indicator or target by its name (3B.1 with its ESF code)."""
    return _indicator(code) if code in INDICATOR_LABEL else {
        "partnerships": _("partnerships"), "enterprises": _("enterprises")}.get(code, code)


def party(name: str) -> str:
    """Who pays or is paid, in the command line's language."""
    return _(PARTY_LABEL[name]) if name in PARTY_LABEL else name
