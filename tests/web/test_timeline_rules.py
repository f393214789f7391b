"""The rules a new event must obey, with reasons; and the states derived from the events."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from brobygger.scenario.schema import State
from brobygger.web.pathways.timeline import current_state, problems_with, timeline

D = dt.date


@pytest.fixture(autouse=True)
def in_english():
    with translation.override("en"):
        yield


def ev(pk, kind, day, **extra):
    base = dict(pk=pk, kind=kind, occurred_on=day, corrects_id=None, employer_id=None,
                employer=None, hours_per_week=None, monthly_wage=None, subsidy_type="",
                benefit_month=None, benefit_type="")
    return SimpleNamespace(**{**base, **extra})


HISTORY = [ev(1, "referral", D(2019, 1, 10)), ev(2, "induction_start", D(2019, 2, 1)),
           ev(3, "induction_completion", D(2019, 6, 1))]
JOB = dict(employer_id=7, employer=object(), hours_per_week=30, monthly_wage=20000,
           subsidy_type="none")


def test_a_job_end_before_its_start_is_refused_with_the_reason():
    history = [*HISTORY, ev(4, "employment_start", D(2019, 8, 1), **JOB)]
    problems = problems_with(ev(None, "employment_end", D(2019, 7, 1)), history)
    assert "ends before it started" in problems["occurred_on"][0]


def test_a_job_end_without_a_job_is_refused():
    assert "no employment" in problems_with(ev(None, "employment_end", D(2019, 7, 1)),
                                            HISTORY)["kind"][0]


def test_an_employment_start_needs_employer_hours_wage_and_subsidy():
    problems = problems_with(ev(None, "employment_start", D(2019, 8, 1)), HISTORY)
    assert set(problems) == {"employer", "hours_per_week", "monthly_wage", "subsidy_type"}


def test_nothing_happens_before_the_referral():
    problems = problems_with(ev(None, "induction_start", D(2018, 1, 1)), HISTORY[:1])
    assert "before the referral" in problems["occurred_on"][0]


def test_a_completion_needs_a_started_course():
    assert problems_with(ev(None, "induction_completion", D(2019, 3, 1)), HISTORY[:1])


def test_a_future_date_is_refused():
    problems = problems_with(ev(None, "dropout", D(2030, 1, 1)), HISTORY,
                             today=D(2024, 1, 1))
    assert "future" in problems["occurred_on"][0]


def test_a_valid_hire_has_no_problems():
    assert problems_with(ev(None, "employment_start", D(2019, 8, 1), **JOB), HISTORY) == {}


def test_a_correction_replaces_the_wrong_event_in_the_derived_states():
    wrong = ev(4, "employment_start", D(2019, 8, 1), **JOB)
    fixed = ev(5, "employment_start", D(2019, 8, 15), corrects_id=4,
               **{**JOB, "employer_id": 99})
    rows = timeline([*HISTORY, wrong, fixed], enterprise_id=7)
    assert [r.replaced for r in rows] == [False, False, False, True, False]
    assert current_state([*HISTORY, wrong, fixed], enterprise_id=7) == State.job_other


def test_a_cancellation_voids_an_event():
    events = [*HISTORY, ev(4, "cancellation", D(2019, 6, 2), corrects_id=3)]
    assert current_state(events, enterprise_id=7) == State.induction


def test_an_event_can_be_corrected_only_once():
    events = [*HISTORY, ev(4, "cancellation", D(2019, 6, 2), corrects_id=3)]
    problems = problems_with(ev(None, "cancellation", D(2019, 6, 3), corrects_id=3), events)
    assert "already been corrected" in problems["corrects"][0]


def test_a_hire_at_the_partnership_enterprise_is_an_accelerator_job():
    events = [*HISTORY, ev(4, "employment_start", D(2019, 8, 1), **JOB)]
    assert current_state(events, enterprise_id=7) == State.job_accelerator


def test_a_correction_of_another_kind_is_told_once_not_judged_as_that_kind():
    problems = problems_with(ev(None, "dropout", D(2019, 6, 1), corrects_id=3), HISTORY)
    assert problems == {"kind": [
        "A correction must be of the same kind as the event it corrects."]}


@pytest.mark.parametrize("kind", ["cancellation", "referral"])
def test_a_referral_is_neither_cancelled_nor_corrected_and_who_can_mend_it_is_told(kind):
    problems = problems_with(ev(None, kind, D(2019, 1, 20), corrects_id=1), HISTORY)
    assert problems == {"corrects": [
        "A referral cannot be cancelled or corrected. A citizen registered by mistake, or "
        "with a wrong referral date, is for the municipality's manager to erase and register "
        "again."]}


def test_a_cancellation_is_not_cancelled():
    events = [*HISTORY, ev(4, "cancellation", D(2019, 6, 2), corrects_id=3)]
    problems = problems_with(ev(None, "cancellation", D(2019, 6, 3), corrects_id=4), events)
    assert problems == {"corrects": [
        "A cancellation cannot be cancelled or corrected: register the cancelled event "
        "again."]}


WORKING = [*HISTORY, ev(4, "employment_start", D(2019, 11, 4), **JOB)]


@pytest.mark.parametrize("new, later", [
    (ev(None, "exit", D(2019, 5, 1)), "induction course completed (3B.2) on 01/06/2019"),
    (ev(None, "cancellation", D(2019, 12, 1), corrects_id=2),
     "induction course completed (3B.2) on 01/06/2019"),
    (ev(None, "induction_start", D(2019, 10, 15), corrects_id=2),
     "induction course completed (3B.2) on 01/06/2019"),
    (ev(None, "employment_start", D(2019, 6, 1), **JOB), "employment start on 04/11/2019"),
])
def test_an_event_that_would_make_a_later_one_wrong_is_refused_naming_it(new, later):
    reasons = problems_with(new, WORKING)[""]
    assert any(r.startswith("It would make a later event wrong: " + later) for r in reasons), \
        reasons


def test_an_event_before_later_ones_that_it_leaves_right_is_taken():
    assert problems_with(ev(None, "induction_completion", D(2019, 5, 1), corrects_id=3),
                         WORKING) == {}
    assert problems_with(ev(None, "benefit_status", D(2019, 3, 1),
                            benefit_month=D(2019, 3, 1), benefit_type="kth"), WORKING) == {}
    ended = [*WORKING, ev(5, "employment_end", D(2020, 1, 31))]
    assert problems_with(ev(None, "exit", D(2020, 3, 1)), ended) == {}


def test_a_history_wrong_already_does_not_stop_what_does_not_touch_it():
    """Only what the new event makes wrong refuses it: an old contradiction (from before the
    rule) does not block every later registration."""
    broken = [*WORKING, ev(5, "exit", D(2019, 9, 1))]  # before the job start of November
    assert problems_with(ev(None, "benefit_status", D(2019, 3, 1),
                            benefit_month=D(2019, 3, 1), benefit_type="kth"), broken) == {}


def test_a_negative_wage_is_said_once():
    problems = problems_with(ev(None, "employment_start", D(2019, 8, 1),
                                **{**JOB, "monthly_wage": -5}), HISTORY)
    assert problems == {"monthly_wage": ["The amount cannot be negative."]}


JOB_A = dict(JOB, employer_id=7)
JOB_B = dict(JOB, employer_id=8)


@pytest.mark.parametrize("history, new", [
    # a correction of a correction: judged against the history that counts
    ([ev(2, "employment_start", D(2019, 8, 1), **JOB_A),
      ev(3, "employment_start", D(2019, 8, 15), corrects_id=2, **JOB_A)],
     ev(None, "employment_start", D(2019, 8, 20), corrects_id=3, **JOB_A)),
    # an earlier job's end corrected while a later job runs
    ([ev(2, "employment_start", D(2019, 8, 1), **JOB_A),
      ev(3, "employment_end", D(2019, 12, 1)),
      ev(4, "employment_start", D(2020, 3, 1), **JOB_B)],
     ev(None, "employment_end", D(2019, 11, 15), corrects_id=3)),
    # the same for an internship ended before an education
    ([ev(2, "internship_start", D(2019, 8, 1)), ev(3, "education_end", D(2019, 12, 1)),
      ev(4, "education_start", D(2020, 3, 1))],
     ev(None, "education_end", D(2019, 11, 15), corrects_id=3)),
    # a job's wage corrected when the participant left the same day
    ([ev(2, "employment_start", D(2019, 8, 1), **JOB_A), ev(3, "exit", D(2019, 8, 1))],
     ev(None, "employment_start", D(2019, 8, 1), corrects_id=2,
        **dict(JOB_A, monthly_wage=21000))),
    # the benefit of the exit's month, registered after the exit
    ([ev(2, "exit", D(2019, 3, 15))],
     ev(None, "benefit_status", D(2019, 4, 3), benefit_month=D(2019, 3, 1),
        benefit_type="kth")),
    # the benefit of the referral's own month
    ([], ev(None, "benefit_status", D(2019, 1, 20), benefit_month=D(2019, 1, 1),
            benefit_type="kth")),
])
def test_histories_the_core_accepts_are_taken(history, new):
    assert problems_with(new, [HISTORY[0], *history]) == {}


@pytest.mark.parametrize("history, new, field", [
    # a new start on the day an earlier spell ends, before a later start: one open at a time
    ([ev(2, "education_start", D(2019, 1, 10)), ev(3, "education_end", D(2019, 1, 11)),
      ev(4, "education_start", D(2019, 1, 12))],
     ev(None, "education_start", D(2019, 1, 11)), ""),
    ([ev(2, "employment_start", D(2019, 8, 1), **JOB_A), ev(3, "employment_end", D(2019, 11, 1)),
      ev(4, "employment_start", D(2020, 2, 1), **JOB_B)],
     ev(None, "employment_start", D(2019, 11, 1), **JOB_B), ""),
    # a benefit month is of its month: before the referral's, or after the exit
    ([], ev(None, "benefit_status", D(2019, 2, 1), benefit_month=D(2018, 12, 1),
            benefit_type="kth"), "benefit_month"),
    ([ev(2, "exit", D(2019, 3, 15))],
     ev(None, "benefit_status", D(2019, 2, 1), benefit_month=D(2019, 5, 1),
        benefit_type="kth"), "benefit_month"),
    # an exit before a month on benefit registered already
    ([ev(2, "benefit_status", D(2019, 1, 20), benefit_month=D(2019, 5, 1), benefit_type="kth")],
     ev(None, "exit", D(2019, 3, 15)), "occurred_on"),
])
def test_histories_the_core_refuses_are_refused(history, new, field):
    assert field in problems_with(new, [HISTORY[0], *history])


def test_an_internship_beside_a_job_ends_back_in_the_job():
    events = [HISTORY[0], ev(2, "employment_start", D(2019, 8, 1), **JOB),
              ev(3, "internship_start", D(2019, 9, 1)), ev(4, "education_end", D(2019, 10, 1))]
    assert current_state(events, enterprise_id=99) == State.job_other
    assert current_state([*events, ev(5, "employment_end", D(2019, 11, 1))],
                         enterprise_id=99) == State.benefit
    studying = [HISTORY[0], ev(2, "education_start", D(2019, 8, 1)),
                ev(3, "employment_start", D(2019, 9, 1), **JOB),
                ev(4, "employment_end", D(2019, 10, 1))]
    assert current_state(studying, enterprise_id=99) == State.education


# --- every history the rules let through is one the core's settlement accepts -------------

KINDS = ["induction_start", "induction_completion", "dropout", "education_start",
         "internship_start", "education_end", "employment_start", "employment_end",
         "benefit_status", "exit", "cancellation", "correction"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(KINDS), st.integers(0, 900), st.integers(0, 30),
                          st.integers(-2, 30)), max_size=14),
       st.sampled_from([3, 60, 900]))
def test_every_history_the_rules_accept_passes_the_core_s_checks(actions, spread):
    """Random registrations, each judged as the form judges it (not yet saved: no pk), then
    saved; corrections and cancellations aim at recent events as often as at old ones;
    a benefit status's month is drawn apart from its registration day."""
    from brobygger.payments.checks import check_events
    from brobygger.payments.events import table_from_records
    from brobygger.web.pathways.coreevents import event_records

    today = D(2022, 1, 1)
    events = [ev(1, "referral", D(2019, 1, 10))]
    for kind, offset, pick, month_shift in actions:
        day = D(2019, 1, 10) + dt.timedelta(days=offset * spread // 900)
        extra: dict = {}
        if kind in ("cancellation", "correction"):
            target = events[-1 - pick % len(events)] if pick % 2 else events[pick % len(events)]
            extra["corrects_id"] = target.pk
            kind = "cancellation" if kind == "cancellation" else target.kind
            if kind == "employment_start":
                extra.update({f: getattr(target, f) for f in JOB})
        if kind == "employment_start" and "employer_id" not in extra:
            extra.update(JOB, employer_id=7 if pick % 2 else 8)
        if kind == "benefit_status":
            month = day.replace(day=1)
            for _ in range(abs(month_shift)):
                month = (month - dt.timedelta(days=1)).replace(day=1) if month_shift < 0 \
                    else (month + dt.timedelta(days=32)).replace(day=1)
            extra.update(benefit_month=month, benefit_type="kth")
        new = ev(None, kind, day, **extra)
        if not problems_with(new, events, today=today):
            new.pk = len(events) + 1
            events.append(new)
    records = list(event_records(events, "D-1", {
        "partnership": "1", "municipality": "101", "other_actor": "5",
        "social_enterprise": "7"}, enterprise_id=7))
    table, read = table_from_records(records, source="registry")
    _, problems = check_events(table, None, today)
    assert not read and not problems, (problems, [(e.kind, e.occurred_on, e.corrects_id)
                                                  for e in events])
