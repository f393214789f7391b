"""The chains' holds: for how many months of staying put what a node shows stays the same."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from brobygger.simulation.kernel import FOREVER, holds


def computed(succ: list[int], obs: list[int]):
    n = len(succ)
    hold, jump, reach = (np.empty(n, dtype=np.int64) for _ in range(3))
    holds(np.array(succ, dtype=np.int64), np.array(obs, dtype=np.int64), hold, jump, reach)
    return hold, jump, reach


def test_a_staircase_then_a_stop():
    # 0 -> 1 -> 2 -> 3 -> 3; shows a, a, b, b
    hold, jump, reach = computed([1, 2, 3, 3], [5, 5, 7, 7])
    assert list(hold[:2]) == [2, 1] and list(jump[:2]) == [2, 2] and list(reach[:2]) == [2, 1]
    assert hold[2] == hold[3] == FOREVER
    assert jump[2] == jump[3] == 3 and list(reach[2:]) == [1, 0]


def walk(succ, x, h):
    for _ in range(h):
        x = succ[x]
    return x


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_holds_agree_with_walking_the_chain(data):
    n = data.draw(st.integers(1, 12))
    succ = data.draw(st.lists(st.integers(0, n - 1), min_size=n, max_size=n))
    obs = data.draw(st.lists(st.integers(0, 2), min_size=n, max_size=n))
    hold, jump, reach = computed(succ, obs)
    for x in range(n):
        assert hold[x] >= 1
        limit = min(hold[x], 3 * n)  # FOREVER: check a long stretch
        # every month within the hold shows what x shows
        assert all(obs[walk(succ, x, k)] == obs[x] for k in range(limit))
        assert walk(succ, x, reach[x]) == jump[x]
        if hold[x] < FOREVER:
            assert reach[x] == hold[x]
        else:  # for good: the chain ends where it stops
            assert succ[jump[x]] == jump[x]
        # the hold is exact unless a cycle made it cautious
        on_cycle = any(walk(succ, x, k) == walk(succ, x, k + j)
                       for k in range(n + 1) for j in range(1, n + 1)
                       if succ[walk(succ, x, k)] != walk(succ, x, k))
        if not on_cycle and hold[x] < FOREVER:
            assert obs[walk(succ, x, hold[x])] != obs[x]
