"""The stable JSON of ``brobygger expect --json`` (its keys: docs/json.md)."""

from __future__ import annotations

from typing import Any

import numpy as np

from brobygger.economics.business_case import PAYERS, BusinessCase, break_even
from brobygger.economics.investor import expected_position
from brobygger.municipalities import municipalities

NET_PAYERS = (*PAYERS, "public_total")


def _money(x: float) -> float:
    """Simulation figures are float64; reports round to whole øre (2 decimals)."""
    return round(float(x), 2)


def payer_summary(bc: BusinessCase, flows) -> dict[str, Any]:
    net = flows.net
    cumulative = np.cumsum(net)
    month = break_even(cumulative)
    return {
        "mean": _money(net.sum()),
        "se": 0.0,
        "discounted": _money((net * bc.discount).sum()),
        "savings": _money(flows.savings.sum()),
        "programme_costs": _money(flows.programme_costs.sum()),
        "payments": _money(flows.payments.sum()),
        "break_even_month": month,
        "break_even_date": None if month is None else f"{bc.months[month - 1]:%Y-%m}",
    }


def investor_json(result, receipts) -> dict[str, Any]:
    """The investor's waterfall at the expected payments (:mod:`brobygger.economics.
    investor`): its totals to the horizon's end, in kroner to the øre."""
    irr = result.irr
    return {
        "label": result.investor,
        "invested": float(result.invested),
        "provider_payments": float(sum(receipts.values())),
        "received": float(result.received),
        "interest": float(sum(f.interest for f in result.flows)),
        "principal_repaid": float(sum(f.principal for f in result.flows)),
        "success_fee": float(sum(f.success_fee for f in result.flows)),
        "outstanding": float(result.loss),
        "accrued_return": float(result.accrued),
        "money_multiple": None if result.money_multiple is None
        else float(result.money_multiple),
        "irr": None if irr is None else round(irr, 6),
        # the month the last principal came back, when nothing is owed at the end
        "repaid_month": next((f.month for f in reversed(result.flows) if f.principal), None)
        if result.flows and not result.loss and not result.accrued else None,
    }


def business_case_json(bc: BusinessCase, by_month: bool = False) -> dict[str, Any]:
    sc = bc.scenario
    targets = sc.programme.targets
    indicators = {
        code: {"target": targets.get(code), "mean": round(value, 6), "se": 0.0}
        for code, value in bc.indicators().items()
    }
    net = {payer: payer_summary(bc, bc.total(payer)) for payer in NET_PAYERS}
    register = municipalities()
    munis = {
        code: {
            "name": register[code].name,
            "region": register[code].region,
            "net_result": {p: payer_summary(bc, bc.municipality(code, p)) for p in NET_PAYERS},
        }
        for code in bc.codes
    }
    payments: dict[str, dict[str, dict[str, float]]] = {}
    for (payer, payee), series in sorted(bc.payment_flows.items()):
        payments.setdefault(payer, {})[payee] = {"mean": _money(series.sum()), "se": 0.0}
    out: dict[str, Any] = {
        "scenario": sc.name,
        "method": "exact",
        "horizon_start": f"{bc.months[0]:%Y-%m}",
        "horizon_months": bc.T,
        "draws": 0,
        "seed": None,
        "indicators": indicators,
        "net_result": net,
        "break_even_month": {p: net[p]["break_even_month"] for p in NET_PAYERS},
        "municipalities": munis,
        "payments": payments,
        "payments_by_outcome": {k: _money(v.sum()) for k, v in bc.payments_by_outcome.items()},
        "programme_costs_by_financier": {
            k: _money(v.sum()) for k, v in sorted(bc.programme_costs_by_financier.items())
        },
        "notes": [note.text("en") for note in bc.notes],
    }
    position = expected_position(bc)
    if position is not None:
        out["investor"] = investor_json(*position)
    if by_month:
        out["months"] = {
            "month": [f"{m:%Y-%m}" for m in bc.months],
            **{
                p: {
                    "savings": [_money(x) for x in bc.total(p).savings],
                    "programme_costs": [_money(x) for x in bc.total(p).programme_costs],
                    "payments": [_money(x) for x in bc.total(p).payments],
                    "net": [_money(x) for x in bc.total(p).net],
                }
                for p in NET_PAYERS
            },
        }
    return out
