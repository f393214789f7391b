"""Invariants of the business case, as property tests over random transition rows."""

from __future__ import annotations

import shutil

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from brobygger.economics.business_case import expect
from brobygger.params import load_parameters
from tests.builders import FIXTURES, scenario, simple_params

PARAMS = simple_params()
STATES = ["benefit", "job_other", "education", "exited"]


@st.composite
def rows(draw):
    """A counterfactual-style pathway model with random rows over four states."""
    out = {}
    for state in STATES[:3]:
        weights = [draw(st.integers(min_value=0, max_value=20)) for _ in STATES]
        weights[STATES.index(state)] += 1  # never an empty row
        total = sum(weights)
        probs = [w / total for w in weights]
        # the last takes the rest, never below zero (with no weight it can round to -2e-16,
        # which the schema rightly refuses as a probability)
        probs[-1] = max(0.0, 1.0 - sum(probs[:-1]))
        out[state] = dict(zip(STATES, probs, strict=True))
    return {"entry_state": "benefit", "periods": [{"from_month": 1, "rows": out}]}


SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


@SETTINGS
@given(model=rows(), weeks=st.integers(min_value=0, max_value=300))
def test_with_the_programme_equal_to_the_counterfactual_and_no_costs_nothing_changes(model, weeks):
    sc = scenario({"pathways.programme": model, "pathways.counterfactual": model,
                   "profiles.p.weeks_on_benefit_at_entry": weeks})
    bc = expect(sc, PARAMS)
    for payer in ("municipality", "state", "public_total"):
        assert np.all(bc.total(payer).net == 0.0)


@SETTINGS
@given(model=rows())
def test_the_payers_add_up_to_the_public_total_and_municipalities_to_the_whole(model):
    sc = scenario({
        "pathways.programme": model,
        "municipalities": [
            {"code": "101", "intake": {"schedule": {"2020-07": 3, "2020-09": 1}}},
            {"code": "860", "intake": {"schedule": {"2020-08": 2}}},
        ],
    })
    bc = expect(sc, PARAMS)
    total = bc.total("public_total").net
    np.testing.assert_allclose(total, bc.total("municipality").net + bc.total("state").net)
    parts = sum(bc.municipality(code, "public_total").net for code in ("101", "860"))
    np.testing.assert_allclose(total, parts, atol=1e-6)


@SETTINGS
@given(model=rows())
def test_discounting_at_zero_percent_equals_the_undiscounted_sum(model):
    sc = scenario({"pathways.programme": model, "discounting": {"rate": 0.0, "parameter": None}})
    bc = expect(sc, PARAMS)
    net = bc.total("municipality").net
    assert np.all(bc.discount == 1.0)
    assert (net * bc.discount).sum() == net.sum()


def test_raising_a_benefit_rate_never_lowers_the_saving_from_a_job(tmp_path):
    job = {"entry_state": "benefit", "periods": [{"from_month": 1, "rows": {
        "benefit": {"benefit": 0.7, "job_other": 0.3},
        "job_other": {"job_other": 0.95, "benefit": 0.05}}}]}
    sc = scenario({"pathways.programme": job})
    base = expect(sc, PARAMS).total("public_total").savings.sum()
    previous = base
    for rise in (1.05, 1.25, 2.0):
        root = tmp_path / f"p{rise}"
        shutil.copytree(FIXTURES / "params_simple", root)
        kth = root / "benefits" / "test" / "kth.yaml"
        kth.write_text(kth.read_text().replace("10000", str(10000 * rise))
                       .replace("12000", str(12000 * rise)))
        saving = expect(sc, load_parameters(root)).total("public_total").savings.sum()
        assert saving > previous
        previous = saving
