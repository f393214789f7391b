"""The ledger's structural checks find each kind of broken ledger, naming the transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from brobygger.payments.ledger import (
    Close,
    Meta,
    Posting,
    Transaction,
    reversal,
    validate,
    validate_caps,
    validate_verified_events,
)
from brobygger.payments.period import Period


def _payment(txn_id: str, date: dt.date, amount: str = "100.00") -> Transaction:
    x = Decimal(amount)
    return Transaction(txn_id, date, "payment", "Job start",
                       (Posting("municipality:101", -x), Posting("other_actor:aa1", x)),
                       Meta(key=txn_id))


JAN, APR = dt.date(2020, 1, 1), dt.date(2020, 4, 1)


def _messages(entries) -> list[tuple[str, str]]:
    return [(p.location, p.message) for p in validate(entries)]


def test_a_sound_ledger_with_a_closed_period_and_a_reversal_has_no_problem():
    a = _payment("a", JAN)
    assert _messages([a, Close(Period.parse("2020-Q1"), APR), reversal(a, APR)]) == []


def test_a_transaction_dated_in_a_period_closed_before_it_is_found():
    late = _payment("late", dt.date(2020, 2, 1))
    assert _messages([_payment("a", JAN), Close(Period.parse("2020-Q1"), APR), late]) == [
        ("transaction late", "dated 2020-02-01 in closed period 2020-Q1")]


def test_reversals_of_nothing_twice_or_of_another_amount_are_found():
    a, b = _payment("a", JAN), _payment("b", JAN)
    unknown = reversal(_payment("ghost", JAN), APR)
    twice = reversal(a, APR)._replace(id="reverse:a#2")
    wrong = reversal(b, APR)._replace(postings=reversal(_payment("b", JAN, "99.00"), APR)
                                      .postings)
    found = _messages([a, b, reversal(a, APR), unknown, twice, wrong])
    assert ("transaction reverse:ghost",
            "reverses 'ghost', which is not an earlier transaction") in found
    assert ("transaction reverse:a#2", "a is reversed twice") in found
    assert ("transaction reverse:b", "does not mirror the transaction it reverses") in found
    assert len(found) == 3


def test_unbalanced_postings_and_a_reused_id_are_found():
    a = _payment("a", JAN)
    lopsided = a._replace(id="c", postings=(a.postings[0], Posting("other_actor:aa1",
                                                                   Decimal("99.00"))))
    found = _messages([a, _payment("a", APR), lopsided])
    assert ("transaction c", "does not balance: sums to -1.00") in found
    assert ("transaction a", "idempotency key used twice") in found


def test_a_payment_with_one_posting_or_a_part_of_an_ore_is_found():
    a = _payment("a", JAN)
    alone = a._replace(id="alone", postings=())
    fraction = a._replace(id="fraction", postings=(Posting("municipality:101", Decimal("-1.005")),
                                                   Posting("other_actor:aa1", Decimal("1.005"))))
    found = _messages([alone, fraction])
    assert ("transaction alone", "needs at least two postings") in found
    assert ("transaction fraction", "municipality:101: -1.005 is not whole øre") in found
    assert ("transaction fraction", "other_actor:aa1: 1.005 is not whole øre") in found


def _paid(txn_id: str, participant: str, partnership: str, amount: str) -> Transaction:
    txn = _payment(txn_id, JAN, amount)
    return txn._replace(meta=txn.meta._replace(contract="c1", outcome="start",
                                               participant=participant,
                                               partnership=partnership,
                                               events=(f"{participant}/job_start/2020-01-06",)))


def test_payments_past_a_cap_are_found_per_participant_partnership_and_contract():
    ledger = [_paid("a", "anna", "p1", "600.00"), _paid("b", "anna", "p1", "500.00"),
              _paid("c", "bo", "p2", "900.00")]
    problems = validate_caps(ledger, per_participant=Decimal("1000"),
                             per_partnership={"p1": Decimal("1000"), "p2": Decimal("5000")},
                             per_contract=Decimal("1999"))
    assert [(p.location, p.message) for p in problems] == [
        ("participant anna", "paid 1100.00, past the cap of 1000 per participant"),
        ("partnership p1", "paid 1100.00, past the cap of 1000 per partnership"),
        ("contract c1", "paid 2000.00, past the cap of 1999 per contract")]
    # a reversed payment no longer counts
    assert validate_caps([*ledger, reversal(ledger[1], APR)], per_participant=Decimal("1000"),
                         per_contract=Decimal("2000")) == []


def test_a_payment_for_no_event_or_an_unverified_one_is_found():
    traced = _paid("a", "anna", "p1", "100.00")
    untraced = traced._replace(id="b", meta=traced.meta._replace(events=()))
    problems = validate_verified_events([traced, untraced], verified=set())
    assert [(p.location, p.message) for p in problems] == [
        ("transaction a", "pays for unverified or unknown event(s) anna/job_start/2020-01-06"),
        ("transaction b", "names no event that caused it")]
    assert validate_verified_events([traced], verified={"anna/job_start/2020-01-06"}) == []
