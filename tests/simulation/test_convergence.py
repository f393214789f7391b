"""Without parameter uncertainty the Monte Carlo mean converges to the exact expectation.

The bound is computed, not guessed: every headline figure's mean lies within 4 standard
errors (its own sample standard deviation / √draws) of ``expect``'s value. The default
scenario's per-contract cap is removed here, because a cap on a random total makes the
expectation of the capped total differ from the cap applied to the expected flow.
"""

from __future__ import annotations

import numpy as np
import pytest

from brobygger.economics.business_case import expect
from brobygger.model import compile_scenario
from brobygger.scenario.load import apply_change, parse_scenario, read_raw, resolve_path
from brobygger.simulation.run import INDICATORS, NET_PAYERS, _flow_keys, simulate

DRAWS = 3000


@pytest.fixture(scope="module")
def runs():
    data = read_raw(resolve_path("default"))
    apply_change(data, "contract.caps.per_contract", None)
    compiled = compile_scenario(parse_scenario(data))
    return expect(compiled), simulate(compiled, DRAWS, seed=2026, uncertainty=False)


def within(sample: np.ndarray, exact: float, label: str) -> None:
    se = sample.std(ddof=1) / np.sqrt(len(sample))
    assert abs(sample.mean() - exact) <= 4 * se + 1e-9, (label, sample.mean(), exact, se)


def test_net_results_per_payer_converge_to_expect(runs):
    exact, sim = runs
    for i, payer in enumerate(NET_PAYERS):
        within(sim.summaries.net[:, i], exact.total(payer).net.sum(), payer)
        disc = (exact.total(payer).net * exact.discount).sum()
        within(sim.summaries.net_discounted[:, i], disc, f"{payer} discounted")


def test_each_municipality_converges_to_expect(runs):
    exact, sim = runs
    for m, code in enumerate(exact.codes):
        for i, payer in enumerate(NET_PAYERS):
            within(sim.summaries.muni_net[:, m, i],
                   exact.municipality(code, payer).net.sum(), f"{code} {payer}")


def test_payments_and_indicators_converge_to_expect(runs):
    exact, sim = runs
    flows = exact.payment_flows
    for f, key in enumerate(_flow_keys(sim.inputs.compiled)):
        within(sim.summaries.flows[:, f], flows[key].sum(), str(key))
    indicators = exact.indicators()
    for i, code in enumerate(INDICATORS):
        sample = sim.summaries.indicators[:, i]
        if sample.std() == 0:
            assert sample[0] == pytest.approx(indicators[code]), code
        else:
            within(sample, indicators[code], code)
