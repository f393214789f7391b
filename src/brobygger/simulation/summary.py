"""Distributions over draws → the stable JSON of ``brobygger simulate --json``."""

from __future__ import annotations

from typing import Any

import numpy as np

from brobygger.economics.business_case import expect
from brobygger.economics.investor import expected_position, waterfalls
from brobygger.municipalities import municipalities
from brobygger.notes import Note
from brobygger.reports.business_case_json import investor_json
from brobygger.simulation.run import INDICATORS, NET_PAYERS, Simulation, _flow_keys


def stats(x: np.ndarray, *, gain: bool = False, decimals: int = 2) -> dict[str, float]:
    """mean, standard error of the mean, p5, p50, p95 (and the share of draws above 0)."""
    x = np.asarray(x, dtype=float)
    n = len(x)
    p5, p50, p95 = np.percentile(x, [5, 50, 95])  # one sort for the three
    out = {
        "mean": round(float(x.mean()), decimals),
        "se": round(float(x.std(ddof=1) / np.sqrt(n)) if n > 1 else 0.0, decimals),
        "p5": round(float(p5), decimals),
        "p50": round(float(p50), decimals),
        "p95": round(float(p95), decimals),
    }
    if gain:
        out["p_gain"] = round(float((x > 0).mean()), 4)
    return out


def break_even_stats(months: np.ndarray, horizon: int) -> dict[str, Any]:
    """Distribution of the break-even month over all draws.

    A draw that does not break even within the horizon counts as later than every month,
    so the median is "not within the horizon" (None) when fewer than half the draws reach it.
    Month 1 is a draw whose cumulative result is never below zero: never in deficit, with
    nothing to break even (``p_never_in_deficit`` says how often).
    """
    later = np.where(months > 0, months, horizon + 1)
    out: dict[str, Any] = {"p_within_horizon": round(float((months > 0).mean()), 4),
                           "p_never_in_deficit": round(float((months == 1).mean()), 4)}
    for q, found in zip((5, 50, 95), np.percentile(later, [5, 50, 95], method="nearest"),
                        strict=True):
        value = int(found)
        out[f"p{q}"] = value if value <= horizon else None
    return out


def simulation_json(sim: Simulation) -> dict[str, Any]:
    c = sim.inputs.compiled
    sc = c.scenario
    S = sim.summaries
    targets = sc.programme.targets
    start = f"{c.months[0]:%Y-%m}"
    T = c.T
    register = municipalities()
    flows = _flow_keys(c)
    payments: dict[str, dict[str, Any]] = {}
    for f, (payer, payee) in enumerate(flows):
        payments.setdefault(payer, {})[payee] = stats(S.flows[:, f])
    data: dict[str, Any] = {
        "scenario": sc.name,
        "method": "monte_carlo",
        "horizon_start": start,
        "horizon_months": c.T,
        "draws": sim.draws,
        "seed": sim.seed,
        "parameter_uncertainty": sim.uncertainty,
        "participants": sim.inputs.participants.n,
        "indicators": {
            code: {"target": targets.get(code), **stats(S.indicators[:, i], decimals=4)}
            for i, code in enumerate(INDICATORS)
        },
        "net_result": {
            payer: {
                **stats(S.net[:, i], gain=True),
                "discounted": stats(S.net_discounted[:, i], gain=True),
                "savings": stats(S.savings[:, i]),
                "programme_costs": stats(S.programme_costs[:, i]),
                "payments": stats(S.payments_made[:, i]),
                "break_even_month": break_even_stats(S.break_even[:, i], T),
            }
            for i, payer in enumerate(NET_PAYERS)
        },
        "municipalities": {
            code: {
                "name": register[code].name,
                "net_result": {payer: stats(S.muni_net[:, m, i], gain=True)
                               for i, payer in enumerate(NET_PAYERS)},
                "break_even_month": break_even_stats(S.muni_break_even[:, m], T),
            }
            for m, code in enumerate(c.codes)
        },
        "payments": payments,
        "per_contract_cap_bound_share": round(float(S.cap_bound.mean()), 4),
    }
    central = expect(c)
    data["central_case"] = {
        payer: round(float(central.total(payer).net.sum()), 2) for payer in NET_PAYERS
    }
    if sc.investor is not None:
        data["investor"] = investor_stats(sim, central)
    data["notes"] = [note.text("en") for note in notes(sim, data)]
    return data


def investor_stats(sim: Simulation, central) -> dict[str, Any]:
    """The scenario's investor over the draws: the waterfall of each draw's payments to the
    providers (:func:`brobygger.economics.investor.waterfalls`), and at the expected
    payments for comparison."""
    c = sim.inputs.compiled
    plan = c.scenario.investor
    assert plan is not None
    w = waterfalls(plan, c.months, sim.summaries.provider_path)
    position = expected_position(central)
    assert position is not None
    irr = w.irr[~np.isnan(w.irr)]
    return {
        "label": plan.label,
        "invested": round(w.invested, 2),
        "p_repaid": round(float(w.repaid.mean()), 4),
        "received": stats(w.received),
        "outstanding": stats(w.outstanding),
        "accrued_return": stats(w.accrued),
        "money_multiple": stats(w.money_multiple, decimals=4),
        "irr": {f"p{q}": round(float(v), 6) for q, v in
                zip((5, 50, 95), np.percentile(irr, [5, 50, 95]), strict=True)}
        if irr.size else None,
        "central_case": investor_json(*position),
    }


def notes(sim: Simulation, data: dict[str, Any]) -> list[Note]:
    out = []
    for payer in NET_PAYERS:
        row = data["net_result"][payer]
        shift = row["mean"] - data["central_case"][payer]
        z = shift / row["se"] if row["se"] else 0.0
        if sim.uncertainty:
            out.append(Note("mean_moved", {"payer": payer, "shift": shift, "z": z}))
        elif abs(z) > 4:
            out.append(Note("mean_off_exact", {"payer": payer, "z": z}))
    if sim.inputs.compiled.scenario.contract.caps.per_partnership is not None:
        out.append(Note("partnership_cap_in_settlement", {"where": "simulation"}))
    if data["per_contract_cap_bound_share"] > 0:
        out.append(Note("contract_cap_share", {"share": data["per_contract_cap_bound_share"]}))
    return out
