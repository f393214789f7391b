"""How a run's draws are cut into chunks, the unit of work of every backend."""

from __future__ import annotations

import math
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from brobygger.model import compile_scenario
from brobygger.scenario.load import load_scenario
from brobygger.simulation import run
from brobygger.simulation.run import CHUNK_LEAST, CHUNK_MOST, guided_chunks


@given(st.integers(1, 200_000), st.integers(1, 16))
def test_chunks_cover_the_draws_and_shrink_towards_the_end(draws, workers):
    work = guided_chunks(draws, workers)
    assert work[0][0] == 0 and work[-1][1] == draws
    assert all(b == c for (_, b), (c, _) in pairwise(work))
    sizes = [b - a for a, b in work]
    assert all(1 <= s <= CHUNK_MOST for s in sizes)
    assert all(s >= CHUNK_LEAST for s in sizes[:-1])  # only the last may be smaller
    assert all(s >= t for s, t in pairwise(sizes))
    # none holds more than a (2 · workers)-th of what is left to hand out, or the least:
    # the worker that finishes last waits at most for a small chunk
    for a, b in work:
        assert b - a <= max(CHUNK_LEAST, math.ceil((draws - a) / (2 * workers)))


def test_the_default_run_ends_in_small_chunks():
    """4,000 draws on two workers: chunks of 256 while there are over 1,024 left, then
    ever smaller ones, the last few of 32 and fewer."""
    sizes = [b - a for a, b in guided_chunks(4000, 2)]
    assert sizes == [256] * 12 + [232, 174, 131, 98, 74, 55, 41, 32, 32, 32, 27]


def test_the_local_backend_cuts_for_its_threads(monkeypatch):
    """Without ``workers`` the local backend runs a thread per core, and the chunks shrink
    for that many; ``chunk_size`` cuts them all alike."""
    seen = []
    real = run.run_chunk

    def spy(inputs, seed, first, last, *rest):
        seen.append((first, last))
        return real(inputs, seed, first, last, *rest)

    monkeypatch.setattr(run, "run_chunk", spy)
    monkeypatch.setattr(run, "local_workers", lambda: 1)
    compiled = compile_scenario(load_scenario())
    run.simulate(compiled, 100, seed=3)
    assert sorted(seen) == guided_chunks(100, 1)
    seen.clear()
    run.simulate(compiled, 100, seed=3, chunk_size=40)
    assert sorted(seen) == [(0, 40), (40, 80), (80, 100)]
