"""Small ledgers and event files written as text, for the payment tests."""

from __future__ import annotations

import datetime as dt
import io
import textwrap
from collections.abc import Sequence
from decimal import Decimal

import yaml

from brobygger.payments.contract_file import ContractFile, parse_contract_file
from brobygger.payments.events import EventTable, build_table, read_csv
from brobygger.payments.ledger import Entry, Transaction
from brobygger.payments.period import Period
from brobygger.payments.settle import Settlement, settle

AS_OF = dt.date(2022, 1, 1)

CONTRACT = """
contract:
  id: c1
  label: Test contract
  lag_months: 1
  outcomes:
    - id: start
      label: Job start
      trigger: {type: job_start}
      price: 10000
      payer: municipality
      payees: {other_actor: 0.6, social_enterprise: 0.4}
    - id: sustained6
      label: Job sustained 6 months
      trigger: {type: job_sustained, months: 6, min_hours_per_week: 15}
      price: 30000
      lag_months: 2
      payer: municipality
      payees: {other_actor: 1}
partnerships:
  - {id: p1, municipality: "101", other_actor: aa1, social_enterprise: se1}
"""


def contract(text: str = CONTRACT, source: str = "contract.yaml", **caps: float
             ) -> ContractFile:
    data = yaml.safe_load(textwrap.dedent(text))
    if caps:
        data["contract"]["caps"] = caps
    return parse_contract_file(data, source)


def events(text: str, source: str = "events.csv") -> tuple[EventTable, list]:
    """An events table from CSV text (header row first), read as a file would be."""
    import pathlib
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = pathlib.Path(tmp) / "events.csv"
        path.write_text(textwrap.dedent(text).strip() + "\n", encoding="utf-8")
        cols, rows = read_csv(path)
    return build_table(cols, rows, source)


def run(text: str, period: str, entries: Sequence[Entry] = (), cf: ContractFile | None = None,
        as_of: dt.date = AS_OF) -> Settlement:
    table, problems = events(text)
    return settle(table, cf or contract(), Period.parse(period), entries, as_of=as_of,
                  problems=problems)


def ledger_text(entries: Sequence[Entry]) -> list[str]:
    """Each transaction as text: ``date kind id``, then one ``account amount`` line each."""
    out = []
    for t in entries:
        if isinstance(t, Transaction):
            out.append(f"{t.date} {t.kind} {t.id}")
            out += [f"{p.account} {p.amount}" for p in t.postings]
    return out


def lines(text: str) -> list[str]:
    """Text ledger lines with indentation and column alignment ignored."""
    return [" ".join(line.split()) for line in textwrap.dedent(text).strip().splitlines()
            if line.strip()]


def d(text: str) -> Decimal:
    return Decimal(text)


__all__ = ["AS_OF", "contract", "events", "io", "ledger_text", "lines", "run"]
