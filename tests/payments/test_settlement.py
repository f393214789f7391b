"""Small ledgers written as text: what a settlement posts, entry by entry."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from brobygger.payments.ledger import Close, balances, validate
from brobygger.payments.period import Period
from brobygger.payments.settle import CAP_NAMES
from brobygger.payments.statement import statement

from .helpers import contract, events, ledger_text, lines, run

ANNA = """
    participant,type,date,partnership,state,hours_per_week
    anna,referral,2020-01-06,p1,,
    anna,job_start,2020-02-10,,job_other,30
"""


def test_a_job_sustained_six_months_is_paid_after_its_lag():
    q1 = run(ANNA, "2020-Q1")
    assert ledger_text(q1.entries) == lines("""
        2020-03-01 payment c1:start:anna:2020-02
            municipality:101         -10000.00
            other_actor:aa1            6000.00
            social_enterprise:se1      4000.00
    """)
    # the sixth month in the job is July 2020; the lag of two months makes it due in September
    q2 = run(ANNA, "2020-Q2", q1.entries)
    assert q2.ok and q2.entries == ()
    q3 = run(ANNA, "2020-Q3", q1.entries)
    assert ledger_text(q3.entries) == lines("""
        2020-09-01 payment c1:sustained6:anna:2020-07
            municipality:101         -30000.00
            other_actor:aa1           30000.00
    """)
    assert q3.entries[0].meta.events == ("anna/referral/2020-01-06", "anna/job_start/2020-02-10")


def test_a_binding_cap_pays_what_is_left_and_records_the_excess():
    capped = contract(per_participant=35000)
    result = run(ANNA, "2020", cf=capped)
    assert ledger_text(result.entries) == lines("""
        2020-03-01 payment c1:start:anna:2020-02
            municipality:101         -10000.00
            other_actor:aa1            6000.00
            social_enterprise:se1      4000.00
        2020-09-01 payment c1:sustained6:anna:2020-07
            municipality:101         -25000.00
            other_actor:aa1           25000.00
    """)
    sustained = result.entries[1]
    assert (sustained.meta.gross, sustained.meta.unpaid, sustained.meta.cap) == (
        Decimal("30000.00"), Decimal("5000.00"), "participant")
    st = statement(Period.parse("2020"), result.entries, result)
    assert st.total_unpaid == Decimal("5000.00")
    assert st.total_paid == Decimal("35000.00")


def test_a_cap_that_leaves_nothing_shows_in_the_statement_but_not_in_the_ledger():
    capped = contract(per_participant=10000)
    result = run(ANNA, "2020", cf=capped)
    assert [t.meta.outcome for t in result.entries] == ["start"]
    st = statement(Period.parse("2020"), result.entries, result)
    assert [(x.kind, x.outcome, x.unpaid, x.cap) for x in st.lines if x.kind == "capped"] == [
        ("capped", "sustained6", Decimal("30000.00"), "participant")]


def test_a_job_that_ends_after_two_months_pays_only_the_start():
    result = run("""
        participant,type,date,partnership,state,hours_per_week
        bo,referral,2020-01-10,p1,,
        bo,job_start,2020-02-01,,job_accelerator,20
        bo,job_end,2020-03-31,,,
    """, "2020")
    assert ledger_text(result.entries) == lines("""
        2020-03-01 payment c1:start:bo:2020-02
            municipality:101         -10000.00
            other_actor:aa1            6000.00
            social_enterprise:se1      4000.00
    """)


def test_a_job_below_the_minimum_hours_is_not_sustained():
    result = run(ANNA.replace("job_other,30", "job_other,10"), "2020")
    assert [t.meta.outcome for t in result.entries] == ["start"]


def test_a_corrected_event_after_closing_is_reversed_in_the_next_open_period():
    q1 = run(ANNA, "2020-Q1")
    ledger = [*q1.entries, Close(Period.parse("2020-Q1"), q1.entries[0].date)]
    corrected = ANNA.replace("2020-02-10", "2020-04-14")  # the job really started in April
    q2 = run(corrected, "2020-Q2", ledger)
    assert ledger_text(q2.entries) == lines("""
        2020-04-01 reversal reverse:c1:start:anna:2020-02
            municipality:101          10000.00
            other_actor:aa1           -6000.00
            social_enterprise:se1     -4000.00
        2020-05-01 payment c1:start:anna:2020-04
            municipality:101         -10000.00
            other_actor:aa1            6000.00
            social_enterprise:se1      4000.00
    """)
    assert validate([*ledger, *q2.entries]) == []
    # the closed quarter still shows what was paid in it
    assert balances([*ledger, *q2.entries], Period.parse("2020-Q1"))["municipality:101"] == \
        Decimal("-10000.00")


def test_a_withdrawn_event_after_closing_is_reversed_and_not_paid_again():
    q1 = run(ANNA, "2020-Q1")
    ledger = [*q1.entries, Close(Period.parse("2020-Q1"), q1.entries[0].date)]
    withdrawn = "\n".join(ANNA.strip().splitlines()[:2])
    q2 = run(withdrawn, "2020-Q2", ledger)
    assert [(t.kind, t.id, str(t.date)) for t in q2.entries] == [
        ("reversal", "reverse:c1:start:anna:2020-02", "2020-04-01")]


def test_settling_the_same_period_twice_adds_nothing():
    first = run(ANNA, "2020")
    second = run(ANNA, "2020", first.entries)
    assert first.entries and second.ok and second.entries == ()


def test_settling_a_closed_period_is_refused():
    q1 = run(ANNA, "2020-Q1")
    ledger = [*q1.entries, Close(Period.parse("2020-Q1"), q1.entries[0].date)]
    again = run(ANNA, "2020-03", ledger)
    assert again.entries == ()
    assert "closed period 2020-Q1" in str(again.problems[0])


def test_prices_follow_the_referral_date_not_the_job_date():
    dated = contract().contract.model_dump()
    dated["outcomes"][0]["price"] = {"2019-01-01": 10000, "2020-02-01": 12000}
    cf = contract()
    cf = cf.model_copy(update={"contract": type(cf.contract).model_validate(dated)})
    result = run(ANNA, "2020-Q1", cf=cf)  # referred 6 January: the old price
    assert result.entries[0].amount == Decimal("10000.00")


def test_an_enterprise_event_pays_the_social_enterprise_per_place():
    result = run("""
        participant,type,date,partnership,count
        ,place_created,2020-02-15,p1,3
    """, "2020-Q1", cf=contract(ENTERPRISE_PLACES))
    assert [(str(t.date), [(p.account, str(p.amount)) for p in t.postings])
            for t in result.entries] == [
        ("2020-02-01", [("municipality:101", "-15000.00"), ("social_enterprise:se1", "15000.00")])]


def test_events_named_at_once_are_named_as_one_at_a_time():
    table, problems = events("""
        id,participant,type,date,partnership,count,employer
        ,anna,referral,2020-01-06,p1,,
        e-17,anna,job_start,2020-02-10,,,
        ,,place_created,2020-02-15,p1,3,
        ,,ordinary_hire,2020-02-15,p1,1,Bager Jensen
        ,bo,referral,2020-03-02,p1,,
    """)
    assert not problems
    order = np.array([4, 0, 2, 3, 1, 0])  # any order, repeats too
    names = table.event_ids(order)
    assert names == [table.event_id(int(i)) for i in order]
    assert names[:2] == ["bo/referral/2020-03-02", "anna/referral/2020-01-06"]
    assert names[4] == "e-17" and names[2].startswith("p1/place_created/2020-02-15/")
    assert names[2] != names[3]


def test_an_enterprise_payment_is_keyed_and_traced_by_its_event():
    result = run("""
        participant,type,date,partnership,count
        ,place_created,2020-02-15,p1,3
    """, "2020-Q1", cf=contract(ENTERPRISE_PLACES))
    (txn,) = result.entries
    (event,) = txn.meta.events
    assert event.startswith("p1/place_created/2020-02-15/")
    assert txn.id == txn.meta.key == f"c1:place:{event}:2020-02"


ENTERPRISE_PLACES = """
contract:
  id: c1
  label: Enterprise side
  outcomes:
    - id: place
      label: Place created
      trigger: {type: place_created}
      price: 5000
      payer: municipality
      payees: {social_enterprise: 1}
partnerships:
  - {id: p1, municipality: "101", other_actor: aa1, social_enterprise: se1}
"""


def test_shares_round_half_to_even_and_the_last_payee_takes_the_remainder():
    cf = contract(CONTRACT_THIRDS)
    result = run(ANNA, "2020-Q1", cf=cf)
    assert [(p.account, str(p.amount)) for p in result.entries[0].postings] == [
        ("municipality:101", "-100.01"), ("other_actor:aa1", "33.34"),
        ("social_enterprise:se1", "66.67")]


CONTRACT_THIRDS = """
contract:
  id: c1
  label: thirds
  outcomes:
    - id: start
      label: Job start
      trigger: {type: job_start}
      price: 100.01
      payer: municipality
      payees: {other_actor: 0.3333333333333333, social_enterprise: 0.6666666666666667}
partnerships:
  - {id: p1, municipality: "101", other_actor: aa1, social_enterprise: se1}
"""


def test_a_fault_in_the_capping_is_caught_before_anything_is_posted(monkeypatch):
    from brobygger.payments import settle as settle_module

    capped = contract(per_participant=35000, per_contract=38000)
    assert run(ANNA, "2020", cf=capped).ok  # the capping as it is: within every cap

    def no_caps(cf, pw, cols):  # a capping that lets everything through
        return cols["gross"].copy(), np.zeros(len(cols["gross"]), np.int8)

    monkeypatch.setattr(settle_module, "apply_caps", no_caps)
    result = run(ANNA, "2020", cf=capped)
    assert not result.ok and result.entries == ()
    assert [(p.location, p.message) for p in result.problems] == [
        ("participant anna", "paid 40000.00, past the cap of 35000.00 per participant"),
        ("contract c1", "paid 40000.00, past the cap of 38000.00 per contract")]


def test_every_settled_payment_cites_verified_events_only():
    from brobygger.payments.ledger import validate_verified_events
    from brobygger.payments.settle import verified_event_ids

    result = run(ANNA, "2020")
    assert result.ok and len(result.entries) == 2
    verified = verified_event_ids(result.pathways)
    assert verified == {"anna/referral/2020-01-06", "anna/job_start/2020-02-10"}
    assert validate_verified_events(result.entries, verified) == []


def test_a_period_before_one_already_settled_is_refused_not_reversed_after_itself():
    """Settling Q2 pays what fell due in Q1 too (dated in Q2); settling Q1 afterwards would
    date its corrections in Q2. Periods are settled in order."""
    q2 = run(EVENTS_FOR_ORDER, "2020-Q2")
    assert q2.entries and not q2.problems
    moved = EVENTS_FOR_ORDER.replace("anna,job_start,2020-01-20", "anna,job_start,2020-02-20")
    q1 = run(moved, "2020-Q1", q2.entries)
    assert q1.entries == ()
    [problem] = q1.problems
    assert problem.kind == "settled_later"
    assert dict(problem.context) == {"date": "2020-04-01"}
    again = run(EVENTS_FOR_ORDER, "2020-Q2", q2.entries)  # the same period again: fine
    assert not again.problems and again.entries == ()


EVENTS_FOR_ORDER = """\
participant,type,date,partnership,state,hours_per_week
anna,referral,2020-01-10,p1,,
anna,job_start,2020-01-20,,job_other,37
"""


OFF_BENEFIT = """
contract:
  id: c3
  label: Months off benefit
  lag_months: 0
  outcomes:
    - id: obm
      label: Month off benefit
      trigger: {type: off_benefit_month}
      price: 1000
      payer: municipality
      payees: {other_actor: 1}
  caps: {per_participant: 3000, per_partnership: 3000}
partnerships:
  - {id: p1, municipality: "101", other_actor: aa1, social_enterprise: se1}
"""


def test_a_payment_cut_short_names_the_cap_that_bound_it_not_one_with_room_left():
    events = ("participant,type,date,partnership,state,hours_per_week\n"
              "a,referral,2020-01-02,p1,,\n"
              "b,referral,2020-01-02,p1,,\n"
              "a,job_start,2020-01-05,,job_other,37\n"
              "b,job_start,2020-01-05,,job_other,37\n")
    result = run(events, "2020-H1", cf=contract(OFF_BENEFIT))
    assert not result.problems
    pay = result.payments
    b = result.pathways.table.labels["participant"].index("b")
    rows = np.flatnonzero(pay.participant == b)
    paid_b = int(pay.paid[rows].sum())
    assert paid_b < 300_000  # b got less than its own cap of 3,000 kr.: the partnership's
    for i in rows[pay.paid[rows] < pay.gross[rows]]:  # bound, not b's own
        assert CAP_NAMES[pay.cap[i]] == "partnership"
