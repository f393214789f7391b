"""The chains packed for the kernel: one row per node, holding what the separate arrays
hold, and one row per change of booking list, each row starting on a cache line."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from brobygger.model import compile_scenario
from brobygger.scenario.load import load_scenario
from brobygger.simulation.inputs import (
    C_HOLD,
    C_JUMP,
    C_MOVE,
    C_REACH,
    C_RUN,
    C_STAY,
    ENTRY_AMOUNT_LIMIT,
    HOLD_LIMIT,
    LINE,
    R_CLS,
    R_HOLD,
    R_JUMP,
    R_NEXT,
    R_OBS,
    R_REACH,
    R_RUN,
    R_STATE,
    R_STAY,
    aligned,
    booked_lags,
    build_inputs,
    change_rows,
    entry_rows,
    list_changes,
    node_tables,
)
from brobygger.simulation.kernel import (
    BOOKED,
    OFFSET_BITS,
    OFFSET_MASK,
    account_months,
    list_bits,
)


@pytest.fixture(scope="module")
def inputs():
    return build_inputs(compile_scenario(load_scenario()))


def test_refund_nodes_hold_the_chains_fields(inputs):
    ch, st, r = inputs.chains, inputs.stays, inputs.nodes.r_node
    S = ch.r_next.shape[2]
    assert np.array_equal(r[:, :, R_NEXT: R_NEXT + S], ch.r_next)
    for field, values in ((R_CLS, ch.r_cls), (R_OBS, st.r_obs), (R_JUMP, st.r_jump),
                          (R_REACH, st.r_reach), (R_RUN, st.r_run), (R_STAY, st.r_stay),
                          (R_STATE, ch.r_state)):
        assert np.array_equal(r[:, :, field], values), field
    # a hold for good is cut to a limit longer than any horizon
    assert np.array_equal(r[:, :, R_HOLD], np.minimum(st.r_hold, HOLD_LIMIT))
    assert HOLD_LIMIT > inputs.compiled.T
    assert (st.r_hold > HOLD_LIMIT).any()


def test_contract_moves_decode_to_the_next_node_and_its_list(inputs):
    ch, st, c = inputs.chains, inputs.stays, inputs.nodes.c_node
    nC, S = ch.c_next.shape
    bits = list_bits(ch.c_list_move.shape[0])
    moves = c[:, C_MOVE: C_MOVE + S].astype(np.int64)
    assert np.array_equal(moves >> bits, ch.c_next)
    assert np.array_equal(moves & ((1 << bits) - 1), ch.c_sig.reshape(nC, S))
    for field, values in ((C_STAY, st.c_stay), (C_JUMP, st.c_jump), (C_REACH, st.c_reach),
                          (C_RUN, st.c_run), (C_HOLD, np.minimum(st.c_hold, HOLD_LIMIT))):
        assert np.array_equal(c[:, field], values), field


def test_each_list_change_is_a_row_of_its_count_and_packed_entries(inputs):
    lc, p = inputs.list_changes, inputs.nodes.p_entry
    T = inputs.compiled.T
    W = account_months(T, booked_lags(inputs.lags, inputs.chains))
    pairs = lc.ptr.shape[0] - 1
    assert p.shape[0] == pairs and lc.amount.shape[0] > 0
    assert np.array_equal(p[:, 0], np.diff(lc.ptr))
    assert p.shape[1] % (LINE // 8) == 0 and p.shape[1] > p[:, 0].max()
    for g in range(pairs):
        z = slice(lc.ptr[g], lc.ptr[g + 1])
        packed = p[g, 1: 1 + p[g, 0]]
        assert np.array_equal(packed & OFFSET_MASK, lc.channel[z] * W + lc.lag[z])
        assert np.array_equal(packed >> OFFSET_BITS, lc.amount[z])
        assert not p[g, 1 + p[g, 0]:].any()
    assert (lc.amount < 0).any()  # negative amounts come back through the shift


def test_an_entry_too_large_for_its_bits_is_refused(inputs):
    lc = inputs.list_changes
    T = inputs.compiled.T
    W = account_months(T, booked_lags(inputs.lags, inputs.chains))
    change_rows(lc, T, W)  # as built
    with pytest.raises(ValueError, match="too large"):  # past the offset's bits
        change_rows(lc, T, OFFSET_MASK)
    with pytest.raises(ValueError, match="too large"):  # past the months' padding
        change_rows(replace(lc, lag=lc.lag + (W - T)), T, W)
    with pytest.raises(ValueError, match="too large"):
        change_rows(replace(lc, amount=lc.amount * 0 + ENTRY_AMOUNT_LIMIT), T, W)


def test_changes_too_far_into_the_accounts_for_their_bits_are_not_tabled(inputs):
    """An entry's offset names its channel's months and its lag in OFFSET_BITS: with more
    channels and months than that, the changes are not tabled (every municipality is then
    accounted by month), rather than the scenario refused."""
    lags = booked_lags(inputs.lags, inputs.chains)
    T = inputs.compiled.T
    assert list_changes(inputs.chains, lags, T).tabled
    K = BOOKED + lags.shape[0]
    too_long = OFFSET_MASK // (K - 1) + 1  # the last channel's months start past the bits
    untabled = list_changes(inputs.chains, lags, too_long)
    assert not untabled.tabled
    assert node_tables(inputs.chains, inputs.stays, untabled, lags, too_long).p_entry.size == 0


def test_every_row_starts_on_a_cache_line(inputs):
    for table in (inputs.nodes.r_node, inputs.nodes.c_node, inputs.nodes.p_entry):
        assert table.ctypes.data % LINE == 0
        assert table.strides[-2] % LINE == 0
    for shape in ((3,), (5, 7), (2, 3, 16)):
        a = aligned(shape, np.int32)
        assert a.shape == shape and a.ctypes.data % LINE == 0 and not a.any()


def test_an_amount_that_is_not_whole_is_refused(inputs):
    lc = inputs.list_changes
    broken = replace(lc, amount=lc.amount + 0.25)
    with pytest.raises(ValueError, match="whole øre"):
        node_tables(inputs.chains, inputs.stays, broken,
                    booked_lags(inputs.lags, inputs.chains), inputs.compiled.T)


def test_a_negative_field_is_refused(inputs):
    """The kernel indexes with the nodes' fields unchecked: a negative one would read
    outside the tables, so the tables refuse it."""
    ch = inputs.chains
    for broken in (replace(ch, r_cls=ch.r_cls - ch.r_cls.max() - 1),
                   replace(ch, c_next=ch.c_next - ch.c_next.max() - 1),
                   replace(ch, r_init=ch.r_init - ch.r_init.max() - 1),
                   replace(ch, c_init=ch.c_init - ch.c_init.max() - 1)):
        with pytest.raises(ValueError, match="negative field"):
            node_tables(broken, inputs.stays, inputs.list_changes,
                        booked_lags(inputs.lags, broken), inputs.compiled.T)


def test_each_regime_books_only_its_entrys_channels(inputs):
    """The entry's bookings per price regime: how many channels it books, then each one's
    channel and amount; the zeros are left out, and expanded the rows give the table back
    (the default scenario's entry books nothing; a table of three regimes books some)."""
    ch = inputs.chains
    scenario = np.hstack([ch.c_entry_pay, ch.c_entry_ev])
    some = np.array([[0.0, 1_250_000.0, 0.0, 1.0], [0.0] * 4, [-300.0, 0.0, 2.0, 0.0]])
    for books in (scenario, some):
        rows = entry_rows(books)
        back = np.zeros_like(books)
        for g, row in enumerate(rows):
            n = row[0]
            channels, amounts = row[1: 1 + 2 * n: 2], row[2: 2 + 2 * n: 2]
            assert (amounts != 0).all()
            back[g, channels] = amounts
        assert np.array_equal(back, books)
    assert entry_rows(some)[:, 0].tolist() == [2, 0, 2]


def test_an_entry_amount_not_whole_is_refused():
    assert entry_rows(np.array([[0.0, 250_000.0, 1.0]])).tolist() == [[2, 1, 250_000, 2, 1, 0, 0]]
    with pytest.raises(ValueError, match="not whole øre"):
        entry_rows(np.array([[0.0, 0.5]]))
