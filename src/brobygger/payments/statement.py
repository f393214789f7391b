"""The result statement (resultatopgørelse): what is paid in a period, to whom, and why.

One line per payment due in the period — also those a cap reduced to nothing, which the
ledger never sees — and per correction posted in it, plus totals per outcome and balances
per party. Rendered as a rich table for the terminal and as an Excel workbook.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

import numpy as np

from brobygger.i18n import N_, translation
from brobygger.payments.ledger import ZERO, Entry, Transaction, balances, from_ore, transactions
from brobygger.payments.period import Period, month_index, month_label
from brobygger.payments.settle import CAP_NAMES, Settlement


@dataclass(frozen=True)
class Line:
    kind: str  # payment, reversal, capped (nothing paid)
    date: str
    outcome: str
    participant: str
    partnership: str
    trigger_month: str
    due_month: str
    payer: str
    payees: tuple[tuple[str, Decimal], ...]  # (account, amount received)
    gross: Decimal
    paid: Decimal  # negative for a reversal
    unpaid: Decimal
    cap: str
    id: str


@dataclass(frozen=True)
class Statement:
    period: Period
    contract: str
    lines: tuple[Line, ...]
    balances: dict[str, Decimal]

    def totals_by_outcome(self) -> dict[str, tuple[int, Decimal, Decimal, Decimal]]:
        out: dict[str, list] = defaultdict(lambda: [0, ZERO, ZERO, ZERO])
        for line in self.lines:
            row = out[line.outcome]
            row[0] += 1 if line.kind != "reversal" else -1
            row[1] += line.gross if line.kind != "reversal" else -line.gross
            row[2] += line.paid
            row[3] += line.unpaid if line.kind != "reversal" else -line.unpaid
        return {k: (v[0], v[1], v[2], v[3]) for k, v in sorted(out.items())}

    @property
    def total_gross(self) -> Decimal:
        return sum((v[1] for v in self.totals_by_outcome().values()), ZERO)

    @property
    def total_paid(self) -> Decimal:
        return sum((line.paid for line in self.lines), ZERO)

    @property
    def total_unpaid(self) -> Decimal:
        """Withheld by a cap, as the outcomes' rows count it (a reversal gives back what
        its payment's cap withheld)."""
        return sum((v[3] for v in self.totals_by_outcome().values()), ZERO)


def _line(t: Transaction) -> Line:
    m = t.meta
    sign = -1 if t.kind == "reversal" else 1
    payees = tuple((str(p.account), abs(p.amount)) for p in t.postings if p.amount * sign > 0)
    payer = next((p.account for p in t.postings if p.amount * sign < 0), "")
    return Line(t.kind, t.date.isoformat(), m.outcome, m.participant, m.partnership,
                m.trigger_month, m.due_month, payer, payees, m.gross, sign * t.amount,
                m.unpaid, m.cap, t.id)


def statement(period: Period, entries: Sequence[Entry], settlement: Settlement | None = None,
              contract: str = "") -> Statement:
    """The statement of ``period`` from the ledger (after the settlement was appended)."""
    contract = contract or (settlement.contract.contract.id if settlement else "")
    lines = [_line(t) for t in transactions(entries)
             if period.contains(month_index(t.date)) and t.kind in ("payment", "reversal")
             and (not contract or t.meta.contract == contract)]
    if settlement is not None and settlement.payments is not None:
        due = settlement.due_in_period()
        t = settlement.pathways.table if settlement.pathways else None
        cf = settlement.contract
        # what the caps withheld whole (an outcome priced at nothing is no capped line)
        for i in np.flatnonzero((due.paid == 0) & (due.gross > 0)):
            o = cf.contract.outcomes[due.outcome[i]]
            who = t.labels["participant"][due.participant[i]] if t is not None and \
                due.participant[i] >= 0 else ""
            pid = t.labels["partnership"][due.partnership[i]] if t is not None else ""
            lines.append(Line("capped", "", o.id, who, pid, month_label(int(due.trigger[i])),
                              month_label(int(due.due[i])), o.payer, (), from_ore(
                                  int(due.gross[i])), ZERO, from_ore(int(due.gross[i])),
                              CAP_NAMES[due.cap[i]], ""))
    lines.sort(key=lambda x: (x.due_month, x.outcome, x.participant, x.partnership, x.id))
    # by account (by_period=False), of this contract's transactions only, as the lines are
    mine = [e for e in entries if not contract or not isinstance(e, Transaction)
            or e.meta.contract == contract]
    bal = balances(mine, period)
    return Statement(period, contract, tuple(lines), {str(k): v for k, v in bal.items()})


#: a line's kind and the cap that bound, as the screen says them (in the command line's
#: language, :mod:`brobygger.i18n`); the Excel workbook says them in Danish
KINDS = {"payment": N_("payment"), "reversal": N_("reversal"), "capped": N_("over the cap")}
CAPS = {"": "", "participant": N_("participant"), "partnership": N_("partnership"),
        "contract": N_("contract")}


def rich_tables(st: Statement, max_lines: int = 50) -> list:
    """Summary by outcome, balances by party, and the first lines, as rich tables, in the
    command line's language and its number format."""
    from rich.table import Table

    from brobygger.i18n import _, language
    from brobygger.reports.format import number

    lang = language()

    def kr(x: Decimal) -> str:
        return number(x, 2, lang=lang)

    summary = Table(title=_("Result statement {period}").format(period=st.period)
                    + (_(" — contract {contract}").format(contract=st.contract) if st.contract
                       else _(" — every contract")))
    heads = (_("outcome"), _("payments"), _("gross DKK"), _("paid DKK"),
             _("not paid (cap) DKK"))
    for i, col in enumerate(heads):
        summary.add_column(col, justify="left" if i == 0 else "right")
    for outcome, (n, gross, paid, unpaid) in st.totals_by_outcome().items():
        summary.add_row(outcome, number(n, lang=lang), kr(gross), kr(paid), kr(unpaid))
    summary.add_row(_("total"), "", kr(st.total_gross), kr(st.total_paid),
                    kr(st.total_unpaid), style="bold")
    bal = Table(title=_("Balances {period} (received − paid)").format(period=st.period))
    bal.add_column(_("account"))
    bal.add_column(_("DKK"), justify="right")
    for account, amount in st.balances.items():
        bal.add_row(account, kr(amount))
    lines = Table(title=_("Lines (the first {shown} of {n})").format(
        shown=min(max_lines, len(st.lines)), n=len(st.lines)))
    line_heads = (_("kind"), _("outcome"), _("participant"), _("partnership"), _("achieved"),
                  _("due"), _("paid"), _("not paid"), _("cap"))
    for i, col in enumerate(line_heads):
        lines.add_column(col, justify="right" if i in (6, 7) else "left")
    for line in st.lines[:max_lines]:
        lines.add_row(_(KINDS.get(line.kind, line.kind)), line.outcome, line.participant,
                      line.partnership, line.trigger_month, line.due_month, kr(line.paid),
                      kr(line.unpaid), _(CAPS[line.cap]) if CAPS.get(line.cap) else line.cap)
    return [summary, bal, lines]


def _of_contract(st: Statement) -> str:
    """`` — kontrakt c1``, or nothing for a statement of every contract."""
    return f" — kontrakt {st.contract}" if st.contract else " — alle kontrakter"


def write_excel(st: Statement, path: Path | str | BinaryIO) -> Path | BinaryIO:
    """A workbook a municipality's economist can open: summary, balances, lines, and each
    line's receivers one to a row (to sum by receiver); amounts and dates as numbers and
    dates, not text. ``path``: a file name, or a binary stream."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    danish = translation("da").gettext  # (the workbook is written in Danish)
    money = "#,##0.00"
    wb = Workbook()
    ws = wb.active
    ws.title = "Opgørelse"
    ws.append([f"Resultatopgørelse {st.period}{_of_contract(st)}"])
    ws.append([])
    ws.append(["resultat", "betalinger", "brutto kr.", "betalt kr.", "ikke betalt (loft) kr."])
    for outcome, (n, gross, paid, unpaid) in st.totals_by_outcome().items():
        ws.append([outcome, n, gross, paid, unpaid])
    ws.append(["i alt", None, st.total_gross, st.total_paid, st.total_unpaid])
    bal = wb.create_sheet("Saldi")
    bal.append(["konto", "kr. (modtaget − betalt)"])
    for account, amount in st.balances.items():
        bal.append([account, amount])
    lines = wb.create_sheet("Linjer")
    header = ["art", "dato", "resultat", "deltager", "partnerskab", "opnået (måned)",
              "forfald (måned)", "betaler", "modtagere", "brutto kr.", "betalt kr.",
              "ikke betalt kr.", "loft", "transaktion"]
    lines.append(header)
    receivers = wb.create_sheet("Modtagere")
    receivers.append(["transaktion", "dato", "resultat", "deltager", "partnerskab", "betaler",
                      "modtager", "kr."])
    for line in st.lines:
        day = dt.date.fromisoformat(line.date) if line.date else None
        lines.append([danish(KINDS.get(line.kind, line.kind)), day, line.outcome,
                      line.participant, line.partnership, line.trigger_month, line.due_month,
                      line.payer, ", ".join(account for account, _amount in line.payees),
                      line.gross, line.paid, line.unpaid,
                      danish(CAPS[line.cap]) if CAPS.get(line.cap) else line.cap,
                      line.id])
        sign = -1 if line.kind == "reversal" else 1  # a reversal takes back what it paid
        for account, amount in line.payees:
            receivers.append([line.id, day, line.outcome, line.participant, line.partnership,
                              line.payer, account, sign * amount])
    for sheet in wb.worksheets:
        for cell in sheet[1 if sheet is not ws else 3]:
            cell.font = Font(bold=True)
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, Decimal):
                    cell.number_format = money
                elif isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
        sheet.freeze_panes = "A2" if sheet is not ws else "A4"
    out = Path(path) if isinstance(path, str | Path) else path
    wb.save(out)
    return out
