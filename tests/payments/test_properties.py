"""Properties over random small event logs: balance, zero sum, caps, order independence."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from brobygger.payments.events import table_from_records
from brobygger.payments.ledger import ZERO, validate, validate_caps
from brobygger.payments.period import Period
from brobygger.payments.settle import settle

from .helpers import contract

RATE_CARD = """
contract:
  id: c1
  label: Random
  lag_months: 1
  outcomes:
    - {id: referral, label: Referral, kind: fixed, trigger: {type: referral}, price: 1000.01,
       payer: municipality, payees: {other_actor: 1}}
    - {id: start, label: Job start, trigger: {type: job_start}, price: 7000.33,
       payer: municipality, payees: {other_actor: 0.35, social_enterprise: 0.65}}
    - {id: sustained3, label: Job 3 months, lag_months: 2,
       trigger: {type: job_sustained, months: 3, min_hours_per_week: 15}, price: 12000,
       payer: municipality, payees: {other_actor: 0.5, social_enterprise: 0.5}}
    - {id: off_benefit, label: Off benefit, trigger: {type: off_benefit_month}, price: 999.99,
       payer: municipality, payees: {other_actor: 0.7, social_enterprise: 0.3}}
    - {id: place, label: Place, trigger: {type: place_created}, price: 4000,
       payer: municipality, payees: {social_enterprise: 1}}
partnerships:
  - {id: p1, municipality: "101", other_actor: aa1, social_enterprise: se1}
  - {id: p2, municipality: "147", other_actor: aa2, social_enterprise: se2}
"""
BASE = dt.date(2020, 1, 1)


@st.composite
def event_logs(draw):
    records = []
    for n in range(draw(st.integers(1, 8))):
        who = f"x{n}"
        ref = BASE + dt.timedelta(days=draw(st.integers(0, 200)))
        records.append({"participant": who, "type": "referral", "date": ref.isoformat(),
                        "partnership": draw(st.sampled_from(["p1", "p2"]))})
        day = ref
        for _ in range(draw(st.integers(0, 3))):
            day += dt.timedelta(days=draw(st.integers(1, 90)))
            kind = draw(st.sampled_from(["job", "education"]))
            records.append({"participant": who, "type": f"{kind}_start", "date": day.isoformat(),
                            **({"state": draw(st.sampled_from(["job_accelerator", "job_other"])),
                                "hours_per_week": draw(st.sampled_from([10, 20, 37]))}
                               if kind == "job" else {})})
            day += dt.timedelta(days=draw(st.integers(0, 300)))
            records.append({"participant": who, "type": f"{kind}_end", "date": day.isoformat()})
    for k in range(draw(st.integers(0, 3))):
        records.append({"type": "place_created", "partnership": "p1",
                        "date": (BASE + dt.timedelta(days=30 * k)).isoformat(),
                        "count": draw(st.integers(1, 3))})
    return records


def caps():
    return st.fixed_dictionaries({}, optional={
        "per_participant": st.sampled_from([5000, 20000, 40000]),
        "per_contract": st.sampled_from([100000, 1000000]),
    })


def _settle(records, cap_values, period="2021"):
    cf = contract(RATE_CARD, **cap_values)
    table, problems = table_from_records(records)
    result = settle(table, cf, Period.parse(period), as_of=dt.date(2030, 1, 1),
                    problems=problems)
    assert result.ok, result.problems
    return cf, result


@settings(max_examples=60, deadline=None)
@given(event_logs(), caps())
def test_every_transaction_balances_and_all_postings_sum_to_zero(records, cap_values):
    _, result = _settle(records, cap_values)
    for txn in result.entries:
        assert sum((p.amount for p in txn.postings), ZERO) == 0
        assert all(p.amount == p.amount.quantize(Decimal("0.01")) for p in txn.postings)
    assert sum((p.amount for t in result.entries for p in t.postings), ZERO) == 0
    assert validate(result.entries) == []


@settings(max_examples=60, deadline=None)
@given(event_logs(), caps())
def test_payments_never_pass_the_caps(records, cap_values):
    cf, result = _settle(records, cap_values)
    per_participant: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for txn in result.entries:
        if txn.meta.participant:
            per_participant[txn.meta.participant] += txn.amount
    if "per_participant" in cap_values:
        assert max(per_participant.values(), default=ZERO) <= cap_values["per_participant"]
    c = cf.contract.caps
    assert validate_caps(result.entries, per_participant=None if c.per_participant is None
                         else Decimal(c.per_participant), per_contract=None
                         if c.per_contract is None else Decimal(c.per_contract)) == []


@settings(max_examples=40, deadline=None)
@given(event_logs(), caps(), st.randoms(use_true_random=False))
def test_reordering_the_event_file_changes_nothing(records, cap_values, rnd):
    _, first = _settle(records, cap_values)
    shuffled = list(records)
    rnd.shuffle(shuffled)
    _, second = _settle(shuffled, cap_values)
    assert first.entries == second.entries


@settings(max_examples=30, deadline=None)
@given(event_logs(), caps())
def test_settling_quarter_by_quarter_adds_up_to_settling_the_year(records, cap_values):
    cf = contract(RATE_CARD, **cap_values)
    table, _ = table_from_records(records)
    ledger: list = []
    for q in ("2020-Q1", "2020-Q2", "2020-Q3", "2020-Q4"):
        result = settle(table, cf, Period.parse(q), ledger, as_of=dt.date(2030, 1, 1))
        ledger += result.entries
    whole = settle(table, cf, Period.parse("2020"), as_of=dt.date(2030, 1, 1))
    assert sorted(ledger) == sorted(whole.entries)
