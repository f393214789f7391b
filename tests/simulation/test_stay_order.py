"""Chain nodes numbered along the stays: a run's months move a node by adding to its number."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from brobygger.simulation.inputs import stay_order, stay_runs


def renumbered(stay: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The stays in stay_order's numbering, and the new number of each old node."""
    order = stay_order(stay)
    new = np.argsort(order)
    return new[stay[order]], new


def test_a_shuffled_line_becomes_one_run():
    rng = np.random.default_rng(4)
    line = rng.permutation(12)  # line[0] -> line[1] -> ... -> line[11], which stays put
    stay = np.empty(12, dtype=np.int64)
    stay[line[:-1]] = line[1:]
    stay[line[-1]] = line[-1]
    new_stay, new = renumbered(stay)
    runs = stay_runs(new_stay)
    assert new[line].tolist() == list(range(12))
    assert runs.tolist() == list(range(11, -1, -1))  # from node x, 11 - x months along


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_each_node_is_followed_by_the_node_only_it_stays_into(data):
    """Random chains without cycles (a node stays into a later node or stays put): the
    numbering is a permutation, a node whose next node has no other predecessor is
    followed by it, and the runs say how far the numbering follows the stays."""
    n = data.draw(st.integers(1, 60))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    stay = np.array([x if rng.random() < 0.2 or x == n - 1 else rng.integers(x + 1, n)
                     for x in range(n)], dtype=np.int64)
    new_stay, new = renumbered(stay)
    assert sorted(new.tolist()) == list(range(n))
    np.testing.assert_array_equal(new_stay[new], new[stay])  # the same chain
    moved = stay != np.arange(n)
    predecessors = np.bincount(stay[moved], minlength=n)
    for x in np.flatnonzero(moved & (predecessors[stay] == 1)):
        assert new[stay[x]] == new[x] + 1
    runs = stay_runs(new_stay)
    for x in range(n):
        for i in range(runs[x]):
            assert new_stay[x + i] == x + i + 1
        assert x + runs[x] == n - 1 or new_stay[x + runs[x]] != x + runs[x] + 1
