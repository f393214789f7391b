"""Monthly paths per municipality (for fan charts) add up to the per-draw net results."""

from __future__ import annotations

import numpy as np

from brobygger.model import compile_scenario
from brobygger.scenario.load import parse_scenario, read_raw, resolve_path
from brobygger.simulation.run import simulate


def test_monthly_paths_sum_to_each_municipalitys_net_result_and_do_not_change_it():
    compiled = compile_scenario(parse_scenario(read_raw(resolve_path("default"))))
    plain = simulate(compiled, 12, seed=5, workers=1).summaries
    with_paths = simulate(compiled, 12, seed=5, workers=2, chunk_size=5, paths=True).summaries
    M, T = len(compiled.codes), compiled.T
    assert plain.muni_path.shape == (12, 0, 2, 0)
    assert with_paths.muni_path.shape == (12, M, 2, T)
    np.testing.assert_array_equal(plain.muni_net, with_paths.muni_net)
    np.testing.assert_allclose(with_paths.muni_path.sum(axis=-1), with_paths.muni_net[:, :, :2],
                               rtol=1e-12, atol=1e-6)
    # and month by month they are the programme's net result per payer
    np.testing.assert_allclose(with_paths.muni_path.sum(axis=(1, 3)), with_paths.net[:, :2],
                               rtol=1e-12, atol=1e-6)
    # the savings part of it adds up to each draw's savings per payer
    assert with_paths.muni_savings_path.shape == (12, M, 2, T)
    np.testing.assert_allclose(with_paths.muni_savings_path.sum(axis=(1, 3)),
                               with_paths.savings[:, :2], rtol=1e-12, atol=1e-6)
