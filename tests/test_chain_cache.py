"""Compiled chains are reused for the same rules, and only for the same rules."""

from __future__ import annotations

from dataclasses import fields

import numpy as np
import pytest

from brobygger.economics.business_case import expect
from brobygger.economics.rates import WEEKS_PER_MONTH
from brobygger.model import compile_scenario
from brobygger.pathways import chains
from brobygger.pathways.chains import (
    ContractRules,
    OutcomeRule,
    compile_contract_chain,
    compile_refund_chain,
)
from brobygger.pathways.states import BENEFIT, JOB_OTHER, N_STATES
from brobygger.scenario.load import load_scenario


def job_states() -> np.ndarray:
    m = np.zeros(N_STATES, dtype=bool)
    m[JOB_OTHER] = True
    return m


def rules(price_ore: int = 1_500_000, cap_ore: int | None = 5_000_000) -> ContractRules:
    return ContractRules.build([OutcomeRule("job_start", price_ore, job_states()),
                                OutcomeRule("job_sustained", 3_000_000, job_states(), 6)],
                               cap_ore)


def test_the_same_rules_give_the_same_compiled_chain_and_its_arrays_are_read_only():
    first = compile_contract_chain(rules(), BENEFIT)
    again = compile_contract_chain(rules(), BENEFIT)  # equal rules, new objects
    assert again is first
    with pytest.raises(ValueError, match="read-only"):
        first.next_index[0, 0] = 1
    assert first.payment is not None
    with pytest.raises(ValueError, match="read-only"):
        first.payment[0, 0, 0] = 1.0


@pytest.mark.parametrize("changed", [{"price_ore": 1_600_000}, {"cap_ore": None},
                                     {"cap_ore": 4_000_000}])
def test_other_rules_compile_their_own_chain(changed):
    base = compile_contract_chain(rules(), BENEFIT)
    other = compile_contract_chain(rules(**changed), BENEFIT)
    assert other is not base
    fresh = chains._compile_contract_chain(rules(**changed), BENEFIT)
    np.testing.assert_array_equal(other.keys, fresh.keys)
    np.testing.assert_array_equal(other.payment, fresh.payment)
    assert compile_contract_chain(rules(), JOB_OTHER) is not base  # another entry state


def test_a_refund_chain_is_kept_by_its_rules_and_the_profiles_months():
    compiled = compile_scenario(load_scenario())
    chain = compiled.refund_chains["programme"]
    entry = compiled.transitions["programme"].entry_state
    months = [round(p.weeks_on_benefit_at_entry / WEEKS_PER_MONTH)
              for p in compiled.scenario.profiles]
    assert compile_refund_chain(compiled.refund_rules, entry, months) is chain
    assert any(m > 0 for m in months)
    other = compile_refund_chain(compiled.refund_rules, entry, [0] * len(months))
    assert other is not chain
    assert not np.array_equal(other.keys[other.initial], chain.keys[chain.initial])


def test_the_cache_keeps_only_the_last_chains(monkeypatch):
    monkeypatch.setattr(chains, "KEEP_COMPILED", 2)
    kept = [compile_contract_chain(rules(price_ore=p), BENEFIT) for p in (100, 200, 300)]
    assert len(chains._compiled_chains) <= 2
    assert compile_contract_chain(rules(price_ore=300), BENEFIT) is kept[2]
    assert compile_contract_chain(rules(price_ore=100), BENEFIT) is not kept[0]


def test_a_business_case_is_the_same_with_the_chains_compiled_afresh(monkeypatch):
    scenario = load_scenario()
    cached = expect(scenario)
    monkeypatch.setattr(chains, "_compiled_chains", chains.OrderedDict())
    afresh = expect(scenario)
    assert len(chains._compiled_chains) == 3  # two refund chains, one contract chain
    for f in fields(cached.assembled):
        a, b = getattr(cached.assembled, f.name), getattr(afresh.assembled, f.name)
        if isinstance(a, np.ndarray):
            np.testing.assert_array_equal(a, b, err_msg=f.name)
