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
