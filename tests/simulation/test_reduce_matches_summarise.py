"""The compiled per-draw reduction gives the summaries of the NumPy accounting (assemble)."""

from __future__ import annotations

import numpy as np
import pytest

from brobygger.model import compile_scenario
from brobygger.scenario.load import apply_change, parse_scenario, read_raw, resolve_path
from brobygger.simulation.inputs import build_inputs
from brobygger.simulation.run import DrawSummaries, chunk_outputs, run_chunk, summarise


def same(inputs, seed: int, n: int, paths: bool) -> np.ndarray:
    """The simulation's summaries (each draw reduced as it is drawn) against the NumPy
    accounting of the same draws' monthly arrays."""
    fast = run_chunk(inputs, seed, 0, n, True, paths=paths)
    plain = summarise(inputs, *chunk_outputs(inputs, seed, 0, n, True), paths=paths)
    for field in DrawSummaries.__dataclass_fields__:
        a, b = getattr(fast, field), getattr(plain, field)
        assert a.shape == b.shape, field
        if a.dtype.kind == "f":
            np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-6, err_msg=field)
        else:
            np.testing.assert_array_equal(a, b, err_msg=field)
    return fast.cap_bound


@pytest.mark.parametrize("paths", [False, True])
def test_the_default_scenario_reduces_to_the_same_summaries(paths):
    inputs = build_inputs(compile_scenario(parse_scenario(read_raw(resolve_path("default")))))
    same(inputs, 7, 24, paths)


def test_a_binding_contract_cap_and_no_partnerships_reduce_alike():
    data = read_raw(resolve_path("default"))
    apply_change(data, "contract.caps.per_contract", 10_000_000)
    for m in data["municipalities"]:
        m["partnerships"] = 0  # the enterprise side is then shared equally
    inputs = build_inputs(compile_scenario(parse_scenario(data)))
    bound = same(inputs, 8, 16, True)
    assert bound.any() and not bound.all()  # the cap cut some draws, not others
