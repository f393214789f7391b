"""A municipality's monthly savings and bookings from its participants' counts by cost
class and by booking list."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from brobygger.simulation.inputs import value_periods
from brobygger.simulation.kernel import (
    BOOKED,
    SAVE_MUNI,
    SAVE_STATE,
    account_months,
    bookings_by_list,
    draw_values,
    list_bits,
    savings_by_change,
    savings_by_month,
)


def summed(how, counts, values, value_change, kskat, m=0, M=1):
    """The monthly changes of the savings, summed ``how`` ("by month" or "by change") from
    the net moves into each class in each month ``counts`` (T, value columns) — the second with the
    counts by value period and the values of each month's moves, as the path kernel
    writes them — and whether the scratch is left zeroed."""
    T, PC = counts.shape
    changed = np.any(counts != 0, axis=1)
    acc = np.full((M, BOOKED + 1, T), np.nan)
    period = value_periods(value_change)
    once = values[value_change | (np.arange(T) == 0)]  # the kernel's: once a value period
    if how == "by month":
        left = counts.copy()
        savings_by_month(m, left, once, period, changed, value_change, kskat, acc)
        clean = not left.any()
    else:
        by_period = np.zeros((T, PC), dtype=np.int32)  # the kernel's scratch has T rows
        np.add.at(by_period, period, counts)
        moved = np.einsum("tz,tkz->kt", counts, values).copy()  # whole øre: exact
        steps = np.full((period[-1] + 1, 3, PC), np.nan)
        no_job = np.full(PC, -1)  # no column earns a wage
        draw_values(once, no_job, np.zeros((2, period[-1] + 1, 2)), once.copy(), steps)
        first = np.flatnonzero(value_change | (np.arange(T) == 0))  # each period's
        savings_by_change(m, by_period, moved, changed, steps, first, np.full(PC, np.nan),
                          kskat, acc)
        clean = not by_period.any() and not moved.any()
    assert not changed.any()
    return acc, clean


def monthly(how, counts, values, value_change, kskat, m=0, M=1):
    """The savings as monthly levels (the kernel writes changes)."""
    acc, clean = summed(how, counts, values, value_change, kskat, m, M)
    assert clean  # zeroed for the next municipality
    return np.cumsum(acc[m, SAVE_MUNI]), np.cumsum(acc[m, SAVE_STATE])


HOW = ["by month", "by change"]


@pytest.mark.parametrize("how", HOW)
def test_a_participant_in_a_cheaper_class_saves_the_difference_until_the_worlds_meet(how):
    T, PC = 6, 3
    values = np.zeros((T, 3, PC))  # in øre
    values[:, 0] = [0.0, 1_000_000.0, 400_000.0]  # municipality cost before kommuneskat
    values[:, 1] = [2_000_000.0, 0.0, 100_000.0]  # kommuneskat base (a wage in class 0)
    values[:, 2] = [-500_000.0, 200_000.0, 80_000.0]  # state cost
    values[3:] *= 1.5  # a new year's rates from month 3
    counts = np.zeros((T, PC), dtype=np.int32)
    counts[0, 1] += 1  # counterfactual: referred into class 1
    counts[0, 1] -= 1  # programme world: the same class
    counts[2, 0] -= 1  # the programme world moves to class 0 (a job) in month 2
    counts[2, 1] += 1
    counts[4, 2] += 1  # the counterfactual moves to class 2 in month 4
    counts[4, 1] -= 1
    value_change = np.zeros(T, dtype=bool)
    value_change[[0, 3]] = True
    tax = np.array([[0.25] * 3 + [0.3] * 3])
    mu, st = monthly(how, counts, values, value_change, tax)
    cost = (values[:, 0] - tax[0][:, None] * values[:, 1]) / 100  # kroner
    cf = [1, 1, 1, 1, 2, 2]  # the counterfactual's class per month
    pr = [1, 1, 0, 0, 0, 0]  # the programme world's
    for t in range(T):
        assert abs(mu[t] - (cost[t, cf[t]] - cost[t, pr[t]])) < 1e-6
        assert abs(st[t] - (values[t, 2, cf[t]] - values[t, 2, pr[t]]) / 100) < 1e-6
    assert mu[0] == mu[1] == 0.0  # the same class saves nothing


def random_months(data, M=1):
    """Net moves into each class in each month, months marking new values, the values (whole
    øre, changing only in the marked months) and kommuneskat for M municipalities."""
    T = data.draw(st.integers(1, 40))
    PC = data.draw(st.integers(1, 12))
    rng = np.random.default_rng(data.draw(st.integers(0, 2**32 - 1)))
    counts = (rng.integers(-4, 5, size=(T, PC)) * (rng.random((T, PC)) < 0.3)).astype(np.int32)
    value_change = rng.random(T) < 0.25
    value_change[0] = True
    at = np.maximum.accumulate(np.where(value_change, np.arange(T), 0))
    values = np.round(rng.normal(0, 5_000_000, size=(T, 3, PC)))[at]
    kskat = np.round(rng.uniform(0.2, 0.27, size=(M, T)), 4)[:, at]
    return counts, value_change, values, kskat


@pytest.mark.parametrize("how", HOW)
@settings(max_examples=60, deadline=None)
@given(st.data())
def test_the_savings_are_the_counts_times_the_values(how, data):
    """Against a plain sum: the running counts times every month's values."""
    counts, value_change, values, kskat = random_months(data, M=2)
    running = np.cumsum(counts, axis=0)
    want_mu = (running * (values[:, 0] - kskat[1][:, None] * values[:, 1])).sum(axis=1) / 100
    want_st = (running * values[:, 2]).sum(axis=1) / 100
    mu, st_ = monthly(how, counts, values, value_change, kskat, m=1, M=2)
    np.testing.assert_allclose(mu, want_mu, rtol=0, atol=1e-6)
    np.testing.assert_allclose(st_, want_st, rtol=0, atol=1e-6)


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_by_month_and_by_change_give_the_same_bits(data):
    """Whole øre and whole counts: the sums are exact whichever way they are taken."""
    counts, value_change, values, kskat = random_months(data)
    by_month, _ = summed("by month", counts, values, value_change, kskat)
    by_change, _ = summed("by change", counts, values, value_change, kskat)
    np.testing.assert_array_equal(by_month[0, :BOOKED], by_change[0, :BOOKED])


def test_each_lists_count_is_booked_once_at_the_outcomes_lags():
    T, NS = 5, 3
    # moves 0..2 book lists 0 (nothing), 1 (outcome 0: 100 kr), 2 (outcome 0: 100 kr and
    # outcome 1, an event, 1); outcome 0 is due a month after, the event in the month
    c_ptr = np.array([0, 0, 1, 3])
    c_what = np.array([0, 0, 1])
    c_amount = np.array([100.0, 100.0, 1.0])
    lags = np.array([1, 0])
    sig_move = np.array([0, 1, 2])
    bits = list_bits(NS)
    sigs = np.zeros(T << bits, dtype=np.int32)
    pushed = np.zeros(T << bits, dtype=bool)
    touched = np.empty(T << bits, dtype=np.int64)
    n = 0

    def count(t, g, by):
        nonlocal n
        cell = t << bits | g
        if not pushed[cell]:
            pushed[cell], touched[n] = True, cell
            n += 1
        sigs[cell] += by

    count(0, 1, +1)  # two participants start booking list 1 in month 0
    count(0, 1, +1)
    count(2, 1, -1)  # one of them moves to list 2 in month 2
    count(2, 2, +1)
    count(4, 2, -1)  # and off it in month 4 (its payment's lag falls after the horizon)
    count(3, 1, +1)  # a count that comes and goes in the same month books nothing
    count(3, 1, -1)
    W = account_months(T, lags)  # a month of padding past the horizon for the lag
    acc = np.zeros((2, BOOKED + 2, W))
    bookings_by_list(1, sigs, pushed, touched, n, sig_move, c_ptr, c_what, c_amount, lags,
                     acc)
    due = np.cumsum(acc[1, BOOKED, :T])
    events = np.cumsum(acc[1, BOOKED + 1, :T])
    assert due.tolist() == [0.0, 200.0, 200.0, 200.0, 200.0]
    assert events.tolist() == [0.0, 0.0, 1.0, 1.0, 0.0]
    assert not acc[0].any()  # only municipality 1's accounts
    assert not sigs.any() and not pushed.any()  # left zeroed for the next municipality
