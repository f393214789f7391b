"""Forecasting from each participant's known history."""

from __future__ import annotations

import numpy as np
import pytest

from brobygger.economics.business_case import expect
from brobygger.errors import BrobyggerError
from brobygger.model import compile_scenario
from brobygger.pathways.states import BENEFIT, JOB_OTHER
from brobygger.scenario.load import load_scenario
from brobygger.simulation.inputs import build_inputs
from brobygger.simulation.run import Histories, simulate
from tests.builders import deterministic_path, scenario, simple_params
from tests.simulation.test_kernel_matches_reference import assert_kernel_matches_reference

RANDOM_JOBS = {"entry_state": "benefit", "periods": [{"from_month": 1, "rows": {
    "benefit": {"benefit": 0.7, "job_other": 0.3},
    "job_other": {"job_other": 0.8, "benefit": 0.2}}}]}


def test_a_fully_known_history_is_followed_exactly():
    """Known: benefit for 4 months, then a job to the horizon's end. The programme world
    is then the deterministic hand case, whatever the transition rows say."""
    random_world = compile_scenario(scenario({"pathways.programme": RANDOM_JOBS}),
                                    simple_params())
    path = [BENEFIT] * 4 + [JOB_OTHER] * (random_world.T - 4)
    history = Histories(np.array([0]), np.array([path]))
    sim = simulate(random_world, 4, seed=1, uncertainty=False, workers=1, history=history)
    known = expect(compile_scenario(scenario({"pathways.programme": deterministic_path(
        ["benefit"] * 4 + ["job_other"])}), simple_params()))
    np.testing.assert_allclose(sim.summaries.net[:, 0], known.total("municipality").net.sum())


def test_a_partial_history_is_followed_then_simulated_like_the_reference():
    compiled = compile_scenario(scenario({
        "pathways.programme": RANDOM_JOBS,
        "municipalities": [{"code": "101", "intake": {"schedule": {"2020-07": 3}}}]}),
        simple_params())
    T = compiled.T
    states = np.full((3, T), -1)
    states[0, :3] = [BENEFIT, JOB_OTHER, JOB_OTHER]
    states[1, :1] = [BENEFIT]
    history = Histories(np.array([0, -1, 0]), states)
    assert_kernel_matches_reference(build_inputs(compiled), 5, 0, 2, history=history)


def test_a_history_that_does_not_fit_is_refused():
    compiled = compile_scenario(scenario({"pathways.programme": RANDOM_JOBS}), simple_params())
    states = np.full((1, compiled.T), -1)
    states[0, 1] = JOB_OTHER  # month 1 known, month 0 not
    with pytest.raises(BrobyggerError, match="a known month follows an unknown one"):
        simulate(compiled, 2, seed=1, history=Histories(np.array([0]), states))


def test_a_profile_or_state_beyond_the_model_is_refused_before_any_draw():
    """The kernel indexes its tables with a history's profile and states unchecked, so a
    number beyond them must be refused first, naming the participant (and the month)."""
    compiled = compile_scenario(scenario({"pathways.programme": RANDOM_JOBS}), simple_params())
    states = np.full((1, compiled.T), -1)
    states[0, 0] = BENEFIT
    with pytest.raises(BrobyggerError, match=r"participant 0.*profile 7 is not one of the 1"):
        simulate(compiled, 2, seed=1, history=Histories(np.array([7]), states))
    states[0, 1] = 99
    with pytest.raises(BrobyggerError, match=r"participant 0, month 1.*state 99 is not one of"):
        simulate(compiled, 2, seed=1, history=Histories(np.array([0]), states))


def test_known_profiles_and_histories_in_a_scenario_of_several_profiles():
    """The default scenario (four profiles): participants whose profile is known, each
    profile in turn (most unlike the one their stream would draw), are costed by their
    known profile's classes, as the reference does."""
    compiled = compile_scenario(load_scenario())
    inputs = build_inputs(compiled)
    n, T = inputs.participants.n, compiled.T
    entry = compiled.transitions["programme"].entry_state
    states = np.full((n, T), -1)
    states[:, 0] = entry
    states[::3, 1:3] = [entry, JOB_OTHER]
    profile = np.where(np.arange(n) % 5 == 4, -1, np.arange(n) % len(compiled.scenario.profiles))
    history = Histories(profile.astype(np.int64), states.astype(np.int64))
    assert_kernel_matches_reference(inputs, 9, 0, 2, history=history)
