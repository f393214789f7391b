"""The rules a new event must obey, with reasons; and the states derived from the events."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.utils import translation

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
    problems = problems_with(ev(None, "induction_start", D(2019, 2, 1), corrects_id=1),
                             HISTORY)
    assert problems == {"kind": [
        "A correction must be of the same kind as the event it corrects."]}


def test_a_cancelled_referral_is_told_who_can_mend_it():
    problems = problems_with(ev(None, "cancellation", D(2019, 2, 1), corrects_id=1), HISTORY)
    assert problems == {"corrects": [
        "A referral cannot be cancelled. A citizen registered by mistake, or with a wrong "
        "referral date, is for the municipality's manager to erase and register again."]}


def test_a_negative_wage_is_said_once():
    problems = problems_with(ev(None, "employment_start", D(2019, 8, 1),
                                **{**JOB, "monthly_wage": -5}), HISTORY)
    assert problems == {"monthly_wage": ["The amount cannot be negative."]}
