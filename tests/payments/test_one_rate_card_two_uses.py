"""One rate card, two uses: simulated pathways, written out as events and settled, give the
ledger the payments the simulation computed for those same pathways — to the øre.

One draw of a scenario is walked by the reference implementation, which returns the
payments due per citizen-side outcome, municipality and month; the same draw's monthly
states are written as an events file (:mod:`brobygger.simulation.paths`) and every month
of the horizon is settled in turn against the scenario's contract. The ledger's payments
(payments less reversals, by due month) must equal the simulated ones per outcome,
municipality and month, per payer → payee and in total, rounded half-even to øre.

The per-contract cap is left out of the settled contract: the simulation applies it to the
whole payment flow in ``assemble()``, not in the per-participant ``due`` compared here.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import ROUND_HALF_EVEN, Decimal

import numpy as np
import pytest

from brobygger.model import CompiledScenario, compile_scenario
from brobygger.payments.contract_file import parse_contract_file
from brobygger.payments.events import read_events
from brobygger.payments.ledger import Transaction, validate
from brobygger.payments.period import Period, month_index, month_label
from brobygger.payments.settle import settle
from brobygger.scenario.load import load_scenario
from brobygger.simulation.inputs import build_inputs
from brobygger.simulation.paths import (
    NOT_YET,
    last_day,
    path_events,
    record_paths,
    settlement_contract,
    write_events_csv,
)
from brobygger.simulation.reference import reference_draw
from brobygger.simulation.run import sample_chunk
from tests.builders import scenario, simple_params

ORE = Decimal("0.01")
Key = tuple[str, ...]


def kr(x: float | Decimal) -> Decimal:
    """Kroner to øre, half to even: where simulated payments meet the ledger."""
    return Decimal(repr(float(x)) if isinstance(x, float) else x).quantize(ORE, ROUND_HALF_EVEN)


def settle_horizon(c: CompiledScenario, events_path, cf) -> list[Transaction]:
    """Settle every month of the horizon in turn, each onto the ledger so far."""
    table, problems = read_events(events_path)
    assert problems == []
    entries: list[Transaction] = []
    for month in c.months:
        result = settle(table, cf, Period.parse(month.strftime("%Y-%m")), entries,
                        as_of=last_day(c), problems=problems)
        assert result.ok, result.problems[:5]
        entries += result.entries
    assert validate(entries) == []
    settle_again = settle(table, cf, Period.parse(c.months[-1].strftime("%Y-%m")), entries,
                          as_of=last_day(c))
    assert settle_again.ok and settle_again.entries == ()
    return entries


def ledger_totals(entries: list[Transaction]) -> dict[str, dict[Key, Decimal]]:
    by_cell: dict[Key, Decimal] = defaultdict(Decimal)
    by_flow: dict[Key, Decimal] = defaultdict(Decimal)
    for tx in entries:
        sign = 1 if tx.kind == "payment" else -1
        m = tx.meta
        by_cell[(m.outcome, m.partnership, m.due_month)] += sign * tx.amount
        payer = next(p.account for p in tx.postings if (p.amount < 0) == (sign > 0))
        for p in tx.postings:
            if p.account != payer:
                by_flow[(payer, p.account)] += abs(p.amount) * sign
    return {"cell": _nonzero(by_cell), "flow": _nonzero(by_flow)}


def simulated_totals(c: CompiledScenario, due: np.ndarray) -> dict[str, dict[Key, Decimal]]:
    first = month_index(c.months[0])
    by_cell: dict[Key, Decimal] = {}
    by_flow: dict[Key, float] = defaultdict(float)
    for o, outcome in enumerate(c.citizen_outcomes):
        for m, code in enumerate(c.codes):
            for t in np.flatnonzero(due[o, m]):
                by_cell[(outcome.id, f"p{code}", month_label(first + int(t)))] = kr(due[o, m, t])
            payer = {"municipality": f"municipality:{code}"}.get(outcome.payer, outcome.payer)
            for payee, share in outcome.payees.items():
                account = {"other_actor": f"oa{code}", "social_enterprise": f"se{code}"}[payee]
                by_flow[(payer, f"{payee}:{account}")] += float(due[o, m].sum()) * share
    return {"cell": _nonzero(by_cell), "flow": _nonzero({k: kr(v) for k, v in by_flow.items()})}


def _nonzero(d: dict[Key, Decimal]) -> dict[Key, Decimal]:
    return {k: v for k, v in sorted(d.items()) if v}


def by_outcome(cells: dict[Key, Decimal]) -> dict[str, Decimal]:
    out: dict[str, Decimal] = defaultdict(Decimal)
    for (outcome, _, _), amount in cells.items():
        out[outcome] += amount
    return dict(out)


def one_draw(c: CompiledScenario, seed: int, d: int, tmp_path):
    """The reference implementation's payments and the same draw written as an events file."""
    inputs = build_inputs(c)
    draws = sample_chunk(inputs, seed, d, 1, True)
    _, due, _ = reference_draw(inputs, seed, d, draws, 0)
    paths = record_paths(inputs, seed, d, draws, 0)
    path = write_events_csv(tmp_path / "events.csv", path_events(paths))
    return due, paths, path


def assert_the_ledger_pays_what_the_simulation_paid(c, due, entries) -> None:
    ledger, sim = ledger_totals(entries), simulated_totals(c, due)
    assert by_outcome(ledger["cell"]) == by_outcome(sim["cell"])
    assert ledger["flow"] == sim["flow"]
    total = sum(sim["cell"].values(), Decimal(0))
    assert sum(ledger["cell"].values(), Decimal(0)) == total == kr(float(due.sum()))
    assert ledger["cell"] == sim["cell"]  # and month by month, municipality by municipality


def test_the_default_scenario_settles_to_the_simulated_payments(tmp_path):
    c = compile_scenario(load_scenario())
    due, _, events = one_draw(c, seed=7, d=3, tmp_path=tmp_path)
    cf = parse_contract_file(settlement_contract(c, per_contract_cap=False), "contract")
    entries = settle_horizon(c, events, cf)
    assert due.sum() > 0 and len(entries) > 100
    assert_the_ledger_pays_what_the_simulation_paid(c, due, entries)
    assert {tx.kind for tx in entries} == {"payment"}  # nothing settled had to be corrected


CARD = [
    {"id": "referral", "label": "r", "trigger": {"type": "referral"}, "price": 1000.5,
     "payer": "municipality", "payees": {"other_actor": 1.0}},
    {"id": "induction", "label": "i", "trigger": {"type": "induction_start"}, "price": 2000,
     "payer": "municipality", "payees": {"other_actor": 1.0}, "valid_to": "2020-02-20"},
    {"id": "completed", "label": "c", "trigger": {"type": "induction_completed"},
     "price": 4000, "payer": "state", "payees": {"other_actor": 0.6, "social_enterprise": 0.4},
     "lag_months": 0},
    {"id": "start", "label": "s", "trigger": {"type": "job_start"},
     "price": {"2019-01-01": 15000, "2020-02-01": 17000, "2020-03-15": 18000},
     "payer": "municipality", "payees": {"other_actor": 0.5, "social_enterprise": 0.5}},
    {"id": "accelerator", "label": "a", "trigger": {"type": "job_start",
                                                    "states": ["job_accelerator"]},
     "price": 5000, "payer": "municipality", "payees": {"social_enterprise": 1.0},
     "valid_from": "2020-03-10"},
    {"id": "three", "label": "3", "price": 20000, "payer": "municipality", "lag_months": 3,
     "trigger": {"type": "job_sustained", "months": 3, "min_hours_per_week": 20},
     "payees": {"other_actor": 0.5, "social_enterprise": 0.5}},
    {"id": "six", "label": "6", "price": 30000, "payer": "municipality",
     "trigger": {"type": "job_sustained", "months": 6, "states": ["job_other"]},
     "payees": {"social_enterprise": 1.0}},
    {"id": "education", "label": "e", "trigger": {"type": "education_start"}, "price": 7000,
     "payer": "municipality", "payees": {"other_actor": 1.0}, "valid_from": "2020-02-15"},
    {"id": "off", "label": "o", "trigger": {"type": "off_benefit_month"}, "price": 1000,
     "payer": "municipality", "payees": {"other_actor": 0.5, "social_enterprise": 0.5}},
    {"id": "places", "label": "p", "trigger": {"type": "place_created"}, "price": 5000,
     "payer": "municipality", "payees": {"social_enterprise": 1.0}},
]

MOVING = {"entry_state": "referred", "concentration": 40, "periods": [
    {"from_month": 1, "rows": {
        "referred": {"induction": 0.6, "referred": 0.3, "benefit": 0.1},
        "induction": {"induction": 0.5, "jobseeking": 0.2, "job_accelerator": 0.1,
                      "education": 0.05, "benefit": 0.1, "exited": 0.05},
        "jobseeking": {"jobseeking": 0.4, "job_accelerator": 0.25, "job_other": 0.2,
                       "education": 0.1, "benefit": 0.05},
        "job_accelerator": {"job_accelerator": 0.8, "job_other": 0.1, "benefit": 0.07,
                            "exited": 0.03},
        "job_other": {"job_other": 0.85, "job_accelerator": 0.05, "benefit": 0.1},
        "education": {"education": 0.7, "job_other": 0.2, "benefit": 0.1},
        "benefit": {"benefit": 0.6, "induction": 0.2, "job_other": 0.1, "education": 0.1}}},
    {"from_month": 6, "rows": {"induction": {"jobseeking": 0.7, "benefit": 0.3}}},
]}


def small_scenario():
    return scenario({
        "pathways.programme": MOVING,
        "horizon": {"start": "2020-01", "months": 24},
        "jobs.accelerator.hours_per_week": 15,
        "jobs.other.hours_per_week": 30,
        "municipalities": [
            {"code": "101", "intake": {"schedule": {"2020-01": 15, "2020-03": 10}}},
            {"code": "860", "intake": {"schedule": {"2020-02": 12, "2020-04": 6}}}],
        "contract": {"id": "c", "label": "c", "lag_months": 2, "outcomes": CARD,
                     "caps": {"per_participant": 50000, "per_contract": 10000000}},
    })


@pytest.mark.parametrize("seed", [3, 4])
def test_a_binding_participant_cap_lags_and_dated_prices_settle_to_the_simulated_payments(
        tmp_path, seed):
    c = compile_scenario(small_scenario(), simple_params())
    due, paths, events = one_draw(c, seed=seed, d=0, tmp_path=tmp_path)
    cf = parse_contract_file(settlement_contract(c, per_contract_cap=False), "contract")
    entries = settle_horizon(c, events, cf)
    assert_the_ledger_pays_what_the_simulation_paid(c, due, entries)
    # the draw exercises what the comparison is about
    capped = [tx for tx in entries if tx.meta.cap == "participant"]
    assert capped and all(tx.meta.unpaid > 0 for tx in capped)
    visited = set(np.unique(paths.programme()).tolist()) - {NOT_YET}
    assert len(visited) == 8  # every state, exits and re-entries into the course included
    paid = {tx.meta.outcome for tx in entries}
    assert paid == {o.id for o in c.citizen_outcomes}
