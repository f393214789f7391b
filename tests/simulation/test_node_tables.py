"""The chains packed for the kernel: one row per node, holding what the separate arrays
hold, each row starting on a cache line."""

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
    node_tables,
)
from brobygger.simulation.kernel import BOOKED, list_bits


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


def test_list_change_entries_are_offsets_and_whole_amounts(inputs):
    lc, p = inputs.list_changes, inputs.nodes.p_entry
    K = BOOKED + booked_lags(inputs.lags, inputs.chains).shape[0]
    assert p.shape == (lc.amount.shape[0], 2) and lc.amount.shape[0] > 0
    assert np.array_equal(p[:, 0] // K, lc.lag)
    assert np.array_equal(p[:, 0] % K, lc.channel)
    assert np.array_equal(p[:, 1], lc.amount)


def test_every_row_starts_on_a_cache_line(inputs):
    for table in (inputs.nodes.r_node, inputs.nodes.c_node):
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
                    booked_lags(inputs.lags, inputs.chains))
