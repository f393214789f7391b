"""The contract and its results as a GO Lab INDIGO project record (JSON).

INDIGO wraps each value as ``{"value": …}``. We fill the parts a rate card and a ledger
know: ``organisations``, ``outcome_metrics`` (one per contract outcome), ``outcome_pricings``
(price per unit, dated price changes described), ``outcome_payment_commitments`` (each payer's
maximum potential outcome payment: the contract cap, when there is one), ``results``
(achieved count per outcome metric) and ``transactions`` (every standing outcome payment,
investment and repayment, with ``transaction_type`` from INDIGO's codelist) — of this
contract only: a ledger shared by several contracts gives each its own project.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from brobygger.payments.contract_file import ContractFile
from brobygger.payments.ledger import CURRENCY, Entry, Transaction, live_payments, transactions
from brobygger.scenario.schema import ENTERPRISE_TRIGGERS, Outcome

_TYPES = {"payment": "Outcome Payment", "drawdown": "Debt", "repayment": "Capital Repayment"}


def _v(value: Any) -> dict[str, Any]:
    return {"value": value}


def _num(amount: Decimal) -> float | int:
    return int(amount) if amount == amount.to_integral_value() else float(amount)


def indigo_project(cf: ContractFile, entries: Sequence[Entry] = ()) -> dict[str, Any]:
    c = cf.contract
    # the ledger may hold several contracts' payments: this project is this contract's
    live = [t for t in live_payments(entries).values() if t.meta.contract == c.id]
    other = [t for t in transactions(entries)  # (one without a contract is this one's)
             if t.kind in ("drawdown", "repayment") and t.meta.contract in ("", c.id)]
    orgs: set[str] = set()
    for t in [*live, *other]:
        orgs.update(p.account for p in t.postings)
    outcomes = {o.id: o for o in c.outcomes}
    achieved: Counter[str] = Counter()
    for t in live:
        achieved[t.meta.outcome] += _units(t, outcomes.get(t.meta.outcome))
    paid_by_payer: dict[str, Decimal] = defaultdict(Decimal)
    for t in live:
        paid_by_payer[t.payer] += t.amount
    pricings = []
    for o in c.outcomes:
        lag = o.lag_months if o.lag_months is not None else c.lag_months
        if isinstance(o.price, dict):
            prices: dict | None = o.price
            first = o.price_at(min(o.price))
        else:
            prices = None
            first = float(o.price)
        changes = "; ".join(f"{d}: {p:g}" for d, p in sorted(prices.items())) if prices else ""
        pricings.append({
            "outcome_metric_id": _v(o.id),
            "currency": _v(CURRENCY),
            "price_per_unit": {"amount": _v(first)},
            "contracted_increases_to_outcome_pricing": _v(changes),
            "price_description": _v(f"{o.kind}; paid by {o.payer} to "
                                    + ", ".join(f"{k} {v:.0%}" for k, v in o.payees.items())
                                    + f"; lag {lag} months"),
        })
    payers = sorted({t.payer for t in live}
                    | {o.payer for o in c.outcomes if o.payer != "municipality"})
    return {
        "name": _v(c.label),
        "id": c.id,
        "organisations": [{"id": org, "name": _v(org)} for org in sorted(orgs)],
        "outcome_metrics": [
            {
                "id": o.id,
                "name": _v(o.label),
                "definition": _v(_definition(o.trigger.model_dump(exclude_none=True))),
                "unit_type_of_service_user_or_beneficiaries": _v(
                    "Other" if o.trigger.type in ("ordinary_hire", "place_created")
                    else "Individual"),
            }
            for o in c.outcomes
        ],
        "outcome_pricings": pricings,
        "outcome_payment_commitments": [
            {
                "organisation_id": _v(payer),
                "maximum_potential_outcome_payment": {
                    "currency": _v(CURRENCY),
                    "amount": _v(c.caps.per_contract),
                },
                "total_outcome_payments_made": {"currency": _v(CURRENCY),
                                                "amount": _v(_num(paid_by_payer[payer]))},
            }
            for payer in payers
        ],
        "results": [
            {"outcome_metric_id": _v(o.id), "achieved": _v(achieved.get(o.id, 0))}
            for o in c.outcomes
        ],
        "transactions": [
            {
                # one record per receiver: a payment shared by two has one id each
                "id": t.id if sum(q.amount > 0 for q in t.postings) == 1 else
                f"{t.id}/{p.account}",
                "outcome_metric_id": _v(t.meta.outcome) if t.meta.outcome else None,
                "date": _v(t.date.isoformat()),
                "sending_organisation_id": _v(t.payer),
                "receiving_organisation_id": _v(p.account),
                "transaction_type": _v(_TYPES[t.kind]),
                "money": {"currency": _v(CURRENCY), "amount": _v(_num(p.amount))},
            }
            for t in [*live, *other]
            for p in t.postings
            if p.amount > 0
        ],
    }


def _units(t: Transaction, o: Outcome | None) -> int:
    """The units of an outcome a payment pays for: one a citizen; an enterprise event's
    count (its gross over the price on the event's day, the day its id names)."""
    if o is None or o.trigger.type not in ENTERPRISE_TRIGGERS or not t.meta.events:
        return 1
    day = dt.date.fromisoformat(t.meta.events[0].split("/")[2])
    price = Decimal(repr(o.price_at(day))).quantize(Decimal("0.01"))
    return int((t.meta.gross / price).to_integral_value()) if price else 1


def _definition(trigger: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in trigger.items())
