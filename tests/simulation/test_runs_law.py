"""Drawing a run of months at once gives the law of one shared uniform a month.

The kernel draws how many months both worlds stay put (geometric) and then the month that
ends the run; :func:`brobygger.simulation.reference.walk` samples the same way. The two
worlds' joint state must still follow the chain in which one uniform a month moves both:
from (a, b) to (a', b') with probability the overlap of a's interval for a' and b's for b'.
Here that chain is propagated exactly and compared, month by month, with the sampled
paths: every joint state's count lies within 4 binomial standard deviations of its
expectation, plus 4 for the cells so rare that the normal approximation does not hold
(for an expected count of 0.2, 6 or more has a chance of about 10⁻⁷).
"""

from __future__ import annotations

import numpy as np

from brobygger.model import compile_scenario
from brobygger.simulation.inputs import build_inputs
from brobygger.simulation.reference import walk
from brobygger.simulation.run import sample_chunk
from tests.builders import scenario, simple_params

PROGRAMME = {"entry_state": "induction", "periods": [
    {"from_month": 1, "rows": {
        "induction": {"induction": 0.6, "jobseeking": 0.3, "benefit": 0.1},
        "jobseeking": {"jobseeking": 0.7, "job_other": 0.2, "benefit": 0.1},
        "job_other": {"job_other": 0.85, "benefit": 0.15},
        "benefit": {"benefit": 0.9, "job_other": 0.1}}},
    {"from_month": 5, "rows": {
        "induction": {"jobseeking": 1.0},
        "jobseeking": {"jobseeking": 0.5, "job_other": 0.5},
        "job_other": {"job_other": 0.95, "benefit": 0.05},
        "benefit": {"benefit": 0.8, "job_other": 0.2}}}]}
COUNTERFACTUAL = {"entry_state": "benefit", "periods": [{"from_month": 1, "rows": {
    "benefit": {"benefit": 0.88, "job_other": 0.08, "education": 0.04},
    "job_other": {"job_other": 0.9, "benefit": 0.1},
    "education": {"education": 0.95, "benefit": 0.05}}}]}
PARTICIPANTS, DRAWS = 250, 8


def shared_uniform_step(cum0: np.ndarray, cum1: np.ndarray) -> np.ndarray:
    """(S·S, S·S): one uniform moves both worlds (rows: cumulative bounds)."""
    S = cum0.shape[0]
    lower0 = np.hstack([np.zeros((S, 1)), np.minimum(cum0[:, :-1], 1.0)])
    upper0 = np.minimum(cum0, 1.0)
    lower1 = np.hstack([np.zeros((S, 1)), np.minimum(cum1[:, :-1], 1.0)])
    upper1 = np.minimum(cum1, 1.0)
    step = np.zeros((S, S, S, S))
    for a in range(S):
        for b in range(S):
            lo = np.maximum(lower0[a][:, None], lower1[b][None, :])
            hi = np.minimum(upper0[a][:, None], upper1[b][None, :])
            step[a, b] = np.clip(hi - lo, 0.0, None)
    return step.reshape(S * S, S * S)


def test_the_joint_paths_follow_one_shared_uniform_a_month():
    compiled = compile_scenario(scenario({
        "pathways.programme": PROGRAMME, "pathways.counterfactual": COUNTERFACTUAL,
        "municipalities": [{"code": "101", "intake": {"schedule": {"2020-07": PARTICIPANTS}}}],
    }), simple_params())
    inputs = build_inputs(compiled)
    T, S = compiled.T, inputs.cum.shape[-1]
    counts = np.zeros((T, S * S))
    draws = sample_chunk(inputs, 17, 0, DRAWS, False)
    for d in range(DRAWS):
        for step in walk(inputs, 17, d, draws, d):
            counts[step.k, step.states[0] * S + step.states[1]] += 1
    n = PARTICIPANTS * DRAWS
    assert np.all(counts.sum(axis=1) == n)

    exact = np.zeros(S * S)
    exact[int(compiled.transitions["programme"].entry_state) * S
          + int(compiled.transitions["counterfactual"].entry_state)] = 1.0
    moved_apart = 0.0
    for k in range(T):
        if k > 0:
            cum = [inputs.cum[w, inputs.period_of[w, k]] for w in range(2)]
            exact = exact @ shared_uniform_step(*cum)
        expected = n * exact
        sd = np.sqrt(expected * np.clip(1 - exact, 0.0, None))
        bad = np.flatnonzero(np.abs(counts[k] - expected) > 4 * sd + 4)
        assert bad.size == 0, (k, [(divmod(int(x), S), counts[k, x], expected[x]) for x in bad])
        moved_apart = max(moved_apart, 1 - exact.reshape(S, S).trace())
    assert moved_apart > 0.5  # the worlds really do differ: the law is not trivially met
