"""The compiled kernel and the plain reference give the same numbers for the same draws."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from brobygger.model import compile_scenario
from brobygger.scenario.load import load_scenario
from brobygger.simulation import inputs as inputs_module
from brobygger.simulation import kernel, run
from brobygger.simulation.inputs import build_inputs
from brobygger.simulation.reference import reference_draw
from brobygger.simulation.run import NO_HISTORY, chunk_outputs, sample_chunk
from tests.builders import deterministic_path, scenario, simple_params


def assert_same(fast: np.ndarray, plain: np.ndarray) -> None:
    """The kernel counts participants by cost class and booking list and sums the counts
    per municipality; the reference adds each participant month by month. Whole kroner
    and counts come out exact, other amounts up to float rounding (a millionth of a
    krone)."""
    np.testing.assert_allclose(fast, plain, rtol=0, atol=1e-6)


def assert_kernel_matches_reference(inputs, seed: int, first: int, n: int,
                                    uncertainty: bool = True, history=NO_HISTORY):
    """Draws first..first+n-1 from the kernel and from the reference give the same
    savings, payments due and events (:func:`assert_same`); returns the kernel's."""
    out = chunk_outputs(inputs, seed, first, n, uncertainty, history)
    draws = sample_chunk(inputs, seed, first, n, uncertainty)
    for c in range(n):
        ref = reference_draw(inputs, seed, first + c, draws, c, history)
        for fast, plain in zip(out[:3], ref, strict=True):
            assert_same(fast[c], plain)
    return out


CARD = [
    {"id": "start", "label": "s", "trigger": {"type": "job_start"}, "price": 15000,
     "payer": "municipality", "payees": {"other_actor": 1.0}},
    {"id": "six", "label": "6", "price": 30000, "payer": "municipality",
     "trigger": {"type": "job_sustained", "months": 6}, "payees": {"social_enterprise": 1.0}},
    {"id": "off", "label": "o", "trigger": {"type": "off_benefit_month"}, "price": 1000,
     "payer": "municipality", "payees": {"other_actor": 0.5, "social_enterprise": 0.5}},
]


#: run.BY_CHANGE_BELOW for every municipality's accounts kept by month, and by change
SUMMED = {"by month": 0.0, "by change": float("inf")}


@pytest.mark.parametrize("summed", SUMMED)
@pytest.mark.parametrize("uncertainty", [False, True])
def test_the_kernel_and_the_reference_agree_on_the_default_scenario(uncertainty, summed,
                                                                    monkeypatch):
    monkeypatch.setattr(run, "BY_CHANGE_BELOW", SUMMED[summed])
    inputs = build_inputs(compile_scenario(load_scenario()))
    assert run.by_change(inputs).all() == (summed == "by change")
    assert_kernel_matches_reference(inputs, 11, 5, 2, uncertainty)


def test_accounts_summed_by_month_and_by_change_give_the_same_bits(monkeypatch):
    """Whole øre and whole counts: every summary is the same to the bit either way."""
    compiled = compile_scenario(load_scenario())
    runs = {}
    for summed, below in SUMMED.items():
        monkeypatch.setattr(run, "BY_CHANGE_BELOW", below)
        runs[summed] = run.simulate(compiled, 40, seed=8, workers=1, paths=True).summaries
    for field in fields(runs["by month"]):
        np.testing.assert_array_equal(getattr(runs["by month"], field.name),
                                      getattr(runs["by change"], field.name),
                                      err_msg=field.name)
    assert runs["by month"].payments_made.any() and runs["by month"].indicators.any()


def test_a_small_municipality_is_accounted_by_change_and_a_large_one_by_month():
    inputs = build_inputs(compile_scenario(load_scenario()))
    columns = inputs.costs.values.shape[2]
    assert inputs.participants.per_muni.max() < run.BY_CHANGE_BELOW * columns
    assert run.by_change(inputs).all()
    national = build_inputs(compile_scenario(load_scenario("national")))
    assert (national.participants.per_muni.min()
            > run.BY_CHANGE_BELOW * national.costs.values.shape[2])
    assert not run.by_change(national).any()


def test_classes_that_cost_the_same_in_every_profile_share_a_value_column():
    costs = build_inputs(compile_scenario(load_scenario())).costs
    by_class, column = costs.class_values, costs.value_column
    C = costs.class_job.shape[0]
    # every profile class is counted in a column with its own values and wage
    np.testing.assert_array_equal(costs.values[:, :, column], by_class)
    np.testing.assert_array_equal(costs.value_job[column],
                                  np.tile(costs.class_job, by_class.shape[2] // C))
    # and the columns differ from one another: none could be merged further
    keys = {(costs.values[:, :, z].tobytes(), costs.value_job[z])
            for z in range(costs.values.shape[2])}
    assert len(keys) == costs.values.shape[2]
    # the default scenario's profiles share most of their classes' costs
    assert costs.values.shape[2] < by_class.shape[2]


def test_a_change_of_booking_list_books_the_new_list_less_the_old_one():
    inputs = build_inputs(compile_scenario(load_scenario()))
    ch, lc = inputs.chains, inputs.list_changes
    n = ch.c_list_move.shape[0]
    assert lc.tabled and lc.ptr.shape == (n * n + 1,)
    lags = inputs_module.booked_lags(inputs.lags, ch)

    def books(g: int) -> dict[int, float]:  # channel -> amount, from the move's own list
        if g == 0:
            return {}
        z = slice(ch.c_ptr[ch.c_list_move[g]], ch.c_ptr[ch.c_list_move[g] + 1])
        return dict(zip((kernel.BOOKED + ch.c_what[z]).tolist(), ch.c_amount[z].tolist(),
                        strict=True))

    for g in range(n):
        for h in range(n):
            z = slice(lc.ptr[g * n + h], lc.ptr[g * n + h + 1])
            old, new = books(g), books(h)
            expected = {k: new.get(k, 0.0) - old.get(k, 0.0) for k in old.keys() | new.keys()}
            assert dict(zip(lc.channel[z].tolist(), lc.amount[z].tolist(), strict=True)) == \
                {k: v for k, v in expected.items() if v != 0}, (g, h)
            np.testing.assert_array_equal(lc.lag[z], lags[lc.channel[z] - kernel.BOOKED])
    assert lc.ptr[n + 1] > lc.ptr[n]  # list 1 to nothing takes list 1 off


def test_too_many_booking_lists_to_table_keep_the_accounts_by_month(monkeypatch):
    """Above LIST_PAIRS_UP_TO lists no change is tabled; every municipality is then
    accounted by month, with the same bits."""
    compiled = compile_scenario(load_scenario())
    tabled = run.simulate(compiled, 30, seed=4, workers=1).summaries
    monkeypatch.setattr(inputs_module, "LIST_PAIRS_UP_TO", 8)
    inputs = build_inputs(compile_scenario(load_scenario()))
    assert not inputs.list_changes.tabled and not run.by_change(inputs).any()
    compiled = compile_scenario(load_scenario())
    compiled._cache["simulation_inputs"] = inputs
    untabled = run.simulate(compiled, 30, seed=4, workers=1).summaries
    for field in fields(tabled):
        np.testing.assert_array_equal(getattr(tabled, field.name), getattr(untabled, field.name),
                                      err_msg=field.name)


def test_the_kernel_and_the_reference_agree_with_a_binding_cap_and_a_subsidy(monkeypatch):
    model = {"entry_state": "benefit", "concentration": 50, "periods": [{"from_month": 1, "rows": {
        "benefit": {"benefit": 0.8, "job_other": 0.15, "exited": 0.05},
        "job_other": {"job_other": 0.9, "benefit": 0.1}}}]}
    sc = scenario({
        "pathways.programme": model,
        "jobs.other.subsidy": {"type": "fleksjob", "per_hour": 40},
        "municipalities": [{"code": "101", "intake": {"schedule": {"2020-07": 20, "2020-09": 7}}},
                           {"code": "860", "intake": {"schedule": {"2020-08": 9}}}],
        "contract": {"id": "c", "label": "c", "lag_months": 2, "outcomes": CARD,
                     "caps": {"per_participant": 50000}},
    })
    inputs = build_inputs(compile_scenario(sc, simple_params()))
    for below in SUMMED.values():
        monkeypatch.setattr(run, "BY_CHANGE_BELOW", below)
        out = assert_kernel_matches_reference(inputs, 3, 0, 3)
    assert out[1].sum() > 0  # the contract paid something


def test_the_kernel_and_the_reference_agree_on_what_the_entry_books(monkeypatch):
    """A referral paid for, and an entry straight into induction (its start an indicator
    event): the entry's bookings (inputs.entry_rows) are made in the month of referral,
    lagged as the contract says, by month and by change alike."""
    model = {"entry_state": "induction", "concentration": 50, "periods": [{
        "from_month": 1, "rows": {
            "induction": {"induction": 0.7, "benefit": 0.2, "job_other": 0.1},
            "benefit": {"benefit": 0.85, "job_other": 0.1, "exited": 0.05},
            "job_other": {"job_other": 0.9, "benefit": 0.1}}}]}
    card = [*CARD, {"id": "ref", "label": "r", "trigger": {"type": "referral"},
                    "price": 2500, "payer": "municipality", "payees": {"other_actor": 1.0}}]
    sc = scenario({
        "pathways.programme": model,
        "municipalities": [{"code": "101", "intake": {"schedule": {"2020-07": 14, "2021-12": 6}}},
                           {"code": "860", "intake": {"schedule": {"2020-08": 9}}}],
        "contract": {"id": "c", "label": "c", "lag_months": 1, "outcomes": card},
    })
    inputs = build_inputs(compile_scenario(sc, simple_params()))
    books = inputs_module.entry_rows(np.hstack([inputs.chains.c_entry_pay,
                                                inputs.chains.c_entry_ev]))
    assert (books[:, 0] == 2).all()  # the referral's payment and induction's start
    for below in SUMMED.values():
        monkeypatch.setattr(run, "BY_CHANGE_BELOW", below)
        _, due, events, _ = assert_kernel_matches_reference(inputs, 5, 0, 3)
        assert due.sum() >= 29 * 2500  # every referral paid for, within the horizon
        assert events[:, 0].sum(axis=(1, 2)).min() >= 29  # every participant started


def test_with_no_uncertainty_one_participant_follows_the_hand_case():
    """Everything deterministic: the simulated draw equals the exact expectation."""
    from brobygger.economics.business_case import expect
    from brobygger.simulation.run import simulate

    path = deterministic_path(["benefit"] * 4 + ["job_other"])
    sc = scenario({"pathways.programme": path,
                   "contract": {"id": "c", "label": "c", "lag_months": 1, "outcomes": CARD[:2],
                                "caps": {"per_participant": 40000}}})
    compiled = compile_scenario(sc, simple_params())
    sim = simulate(compiled, 3, seed=5, uncertainty=False, workers=1)
    exact = expect(compiled)
    for i, payer in enumerate(("municipality", "state", "public_total")):
        np.testing.assert_allclose(sim.summaries.net[:, i], exact.total(payer).net.sum(),
                                   rtol=1e-12)
    # the hand case of tests/test_business_case_hand.py: 15,000 + 25,000 under the cap
    np.testing.assert_allclose(sim.summaries.flows.sum(axis=1), 40000)


@settings(max_examples=10, deadline=None)
@given(stay=st.floats(0.5, 0.99), find=st.floats(0.0, 0.4), keep=st.floats(0.5, 0.99),
       price=st.integers(0, 3000), cap=st.one_of(st.none(), st.integers(1000, 60000)),
       lag=st.integers(0, 3), seed=st.integers(0, 2**31 - 1))
# a cap of 5,451 paid out a krone at a time: 152,796 contract chain nodes, too many for
# the next node and the booking list to share 32 bits (the kernel's 64-bit rows)
@example(stay=0.5, find=0.0, keep=0.5, price=1, cap=5451, lag=0, seed=0)
def test_the_kernel_and_the_reference_agree_on_random_rules(stay, find, keep, price, cap, lag,
                                                             seed):
    """Random rows, monthly price, cap and lag: the change-based kernel books what the
    month-by-month reference books (holds, caps reached, jobs kept and lost, new years)."""
    # a cap of more than 10,000 monthly prices makes a contract chain of over a quarter of a
    # million keys, seconds to compile, and past the limit a refusal (test_chain_limit.py)
    assume(cap is None or price == 0 or cap <= 10_000 * price)
    exits = max(0.0, 1.0 - stay - find)
    model = {"entry_state": "benefit", "concentration": 50, "periods": [{"from_month": 1, "rows": {
        "benefit": {"benefit": 1.0 - find - exits, "job_other": find, "exited": exits},
        "job_other": {"job_other": keep, "benefit": 1.0 - keep}}}]}
    card = [{**CARD[0]}, {**CARD[1]}, {**CARD[2], "price": price}]
    sc = scenario({
        "pathways.programme": model,
        "municipalities": [{"code": "101", "intake": {"schedule": {"2019-03": 12, "2020-07": 10}}},
                           {"code": "860", "intake": {"schedule": {"2020-01": 10}}}],
        "contract": {"id": "c", "label": "c", "lag_months": lag, "outcomes": card,
                     "caps": {"per_participant": cap}},
    })
    inputs = build_inputs(compile_scenario(sc, simple_params()))
    assert_kernel_matches_reference(inputs, seed, 0, 3)
