"""How a run's draws are cut into chunks, the unit of work of every backend."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st

from brobygger.simulation.run import even_chunks


@given(st.integers(1, 200_000), st.integers(1, 16))
def test_chunks_cover_the_draws_evenly_at_most_256_each_at_least_four_a_worker(draws,
                                                                                workers):
    work = even_chunks(draws, workers)
    assert work[0][0] == 0 and work[-1][1] == draws
    assert all(b == c for (_, b), (c, _) in pairwise(work))
    sizes = [b - a for a, b in work]
    assert min(sizes) >= 1 and max(sizes) <= 256 and max(sizes) - min(sizes) <= 1
    assert len(work) >= min(draws, 4 * workers)
    assert len(work) % workers == 0 or len(work) == draws  # the same number for each


def test_the_default_run_is_shared_evenly_between_two_workers():
    """4,000 draws on two workers: 16 chunks of 250, not 15 of 256 and one of 160 (which
    left one worker idle for 96 draws at the end)."""
    assert even_chunks(4000, 2) == [(a, a + 250) for a in range(0, 4000, 250)]
    assert {b - a for a, b in even_chunks(10_000, 2)} == {250}
