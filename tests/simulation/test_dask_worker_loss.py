"""A worker lost in the middle of a run: Dask re-runs its chunks and nothing changes."""

from __future__ import annotations

import os
import signal

import numpy as np
from dask.distributed import Client, LocalCluster

from brobygger.model import compile_scenario
from brobygger.scenario.load import load_scenario
from brobygger.simulation.dask_backend import run_on
from brobygger.simulation.inputs import build_inputs
from brobygger.simulation.run import DrawSummaries, chunks, simulate


def test_a_killed_worker_changes_no_number():
    compiled = compile_scenario(load_scenario())
    expected = simulate(compiled, 48, seed=4, workers=1).summaries
    work = chunks(48, 4)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        pids = list(client.run(os.getpid).values())
        killed = []

        def kill_one_worker(_n: int) -> None:
            if not killed:  # after the first chunk is back, kill a worker outright
                os.kill(pids[0], signal.SIGKILL)
                killed.append(pids[0])

        parts = run_on(client, build_inputs(compiled), 4, work, True, kill_one_worker)
    assert killed
    got = DrawSummaries.concat(parts)
    np.testing.assert_array_equal(got.net, expected.net)
    np.testing.assert_array_equal(got.flows, expected.flows)
    np.testing.assert_array_equal(got.indicators, expected.indicators)
