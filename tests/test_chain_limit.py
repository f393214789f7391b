"""A contract whose payment histories are too many to enumerate is refused with a clear
error naming the field, before any table is laid out; under the limit it compiles."""

from __future__ import annotations

from collections import OrderedDict

import pytest

from brobygger.errors import ScenarioError
from brobygger.model import compile_scenario
from brobygger.pathways import chains
from tests.builders import scenario, simple_params

LIMIT = 20_000


def krone_a_month(cap: int):
    """A krone for each month off benefit, beside a job start and a sixth month in a job,
    under a per-participant cap: every krone paid so far is a key of the contract chain."""
    card = [
        {"id": "start", "label": "s", "trigger": {"type": "job_start"}, "price": 15000,
         "payer": "municipality", "payees": {"other_actor": 1.0}},
        {"id": "six", "label": "6", "trigger": {"type": "job_sustained", "months": 6},
         "price": 30000, "payer": "municipality", "payees": {"social_enterprise": 1.0}},
        {"id": "off", "label": "o", "trigger": {"type": "off_benefit_month"}, "price": 1,
         "payer": "municipality", "payees": {"other_actor": 1.0}},
    ]
    return scenario({"contract": {"id": "c", "label": "c", "outcomes": card,
                                  "caps": {"per_participant": cap}}})


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(chains, "MAX_CHAIN_KEYS", LIMIT)
    monkeypatch.setattr(chains, "_compiled_chains", OrderedDict())  # compile afresh


def test_a_cap_paid_a_krone_at_a_time_is_refused_with_the_field_and_the_prices(small_limit):
    with pytest.raises(ScenarioError) as raised:
        compile_scenario(krone_a_month(5451), simple_params())
    [problem] = raised.value.problems
    assert problem.location == "contract.caps.per_participant"
    assert "5,451 kr" in problem.message and "from 1 kr" in problem.message
    assert f"more than {LIMIT:,}" in problem.message


def test_under_the_limit_the_same_rate_card_compiles(small_limit):
    compiled = compile_scenario(krone_a_month(600), simple_params())
    sizes = [regime.chain.size for regime in compiled.regimes]
    assert 0 < max(sizes) <= LIMIT


def test_the_refusal_is_said_in_danish_with_danish_numbers(small_limit):
    from brobygger.problem_text import problem_text

    with pytest.raises(ScenarioError) as raised:
        compile_scenario(krone_a_month(5451), simple_params())
    [problem] = raised.value.problems
    assert problem_text(problem, "en") == str(problem)  # the template gives the core's text
    assert "loftet på 5.451 kr. udbetales i priser så små" in problem_text(problem, "da")
    assert "(fra 1 kr.)" in problem_text(problem, "da") and "20.000" in problem_text(problem,
                                                                                    "da")


def test_without_a_cap_too_many_outcomes_are_named_on_the_outcomes(monkeypatch):
    from brobygger.problem_text import problem_text

    monkeypatch.setattr(chains, "_compiled_chains", OrderedDict())
    compile_scenario(krone_a_month(600), simple_params())  # its refund chains, compiled
    card = krone_a_month(600)
    card = card.model_copy(update={"contract": card.contract.model_copy(update={
        "caps": card.contract.caps.model_copy(update={"per_participant": None})})})
    # a limit below this rate card's 172 histories (the refund chains, kept from above,
    # have more: with the real limit no rate card without a cap comes near it)
    monkeypatch.setattr(chains, "MAX_CHAIN_KEYS", 10)
    with pytest.raises(ScenarioError) as raised:
        compile_scenario(card, simple_params())
    [problem] = raised.value.problems
    assert problem.location == "contract.outcomes"
    assert problem.message == ("the rate card's outcomes make more than 10 distinct payment "
                               "histories for a participant")
    assert problem_text(problem, "en") == str(problem)
    assert "takstkortets resultater giver mere end 10 forskellige" in problem_text(problem,
                                                                                   "da")
