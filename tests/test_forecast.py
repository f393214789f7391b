"""The live forecast's bridge: registry events → monthly states → live scenario and histories,
and the forecast's figures against ``simulate`` with the same history."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import numpy as np
import pytest

from brobygger.errors import BrobyggerError
from brobygger.model import compile_scenario
from brobygger.pathways.states import (
    BENEFIT,
    EDUCATION,
    EXITED,
    INDUCTION,
    JOB_ACCELERATOR,
    JOB_OTHER,
    JOBSEEKING,
    REFERRED,
)
from brobygger.payments.ledger import Meta, Posting, Transaction, reversal
from brobygger.scenario.load import load_scenario
from brobygger.simulation import forecast as f
from brobygger.simulation.inputs import build_inputs
from brobygger.simulation.run import simulate

DATA_DATE = dt.date(2021, 6, 15)  # last complete month: May 2021


@pytest.fixture(scope="module")
def scenario():
    return load_scenario()


def ev(participant, kind, date, **extra):
    return {"participant": participant, "type": kind, "date": date, **extra}


RECORDS = [
    ev("A", "referral", "2019-03-04", municipality="101"),
    ev("A", "induction_start", "2019-04-10"),
    ev("A", "induction_completed", "2019-10-01"),
    ev("A", "job_start", "2019-12-01", state="job_accelerator", hours_per_week=25),
    ev("B", "referral", "2019-05-20", municipality="751"),
    ev("C", "referral", "2019-05-02", municipality="101"),
    ev("C", "exit", "2019-07-02"),
    {"type": "place_created", "date": "2019-06-01", "partnership": "1", "count": 2},
]


def test_the_referral_month_is_the_entry_state_and_later_months_are_month_end_states():
    states = f.monthly_states(RECORDS[:4], dt.date(2019, 3, 4), DATA_DATE, REFERRED)
    assert states[:11] == (REFERRED, INDUCTION, INDUCTION, INDUCTION, INDUCTION, INDUCTION,
                           INDUCTION, JOBSEEKING, JOBSEEKING, JOB_ACCELERATOR, JOB_ACCELERATOR)
    # March 2019 .. May 2021 are complete at 15 June 2021: 27 months
    assert len(states) == 27


def test_an_end_date_is_the_last_day_in_the_state():
    events = [ev("X", "referral", "2020-01-10"), ev("X", "job_start", "2020-02-01",
                                                    state="job_other"),
              ev("X", "job_end", "2020-03-31"), ev("X", "education_start", "2020-05-31"),
              ev("X", "education_end", "2020-06-29")]
    states = f.monthly_states(events, dt.date(2020, 1, 10), dt.date(2020, 8, 1), REFERRED)
    # a job ending on 31 March still holds at March's end; education ending 29 June does not
    assert states == (REFERRED, JOB_OTHER, JOB_OTHER, BENEFIT, EDUCATION, BENEFIT, BENEFIT)


def test_nothing_follows_an_exit():
    events = [ev("X", "referral", "2020-01-10"), ev("X", "exit", "2020-02-03"),
              ev("X", "job_start", "2020-04-01", state="job_other")]
    states = f.monthly_states(events, dt.date(2020, 1, 10), dt.date(2020, 6, 30), REFERRED)
    assert states == (REFERRED, EXITED, EXITED, EXITED, EXITED, EXITED)


def test_a_referral_in_an_incomplete_month_knows_nothing_yet():
    events = [ev("X", "referral", "2021-06-01")]
    assert f.monthly_states(events, dt.date(2021, 6, 1), DATA_DATE, REFERRED) == ()
    assert f.last_complete_month(dt.date(2021, 6, 30)) == dt.date(2021, 6, 1)


def test_participants_need_one_referral_with_a_municipality():
    with pytest.raises(BrobyggerError) as err:
        f.participants_from_records([ev("Z", "induction_start", "2020-01-01")], DATA_DATE,
                                    REFERRED)
    assert "participant Z" in str(err.value)
    [problem] = err.value.problems  # what a user interface says again in its language
    assert (problem.kind, dict(problem.context)) == ("one_referral", {"participant": "Z"})


def test_profile_matches_benefit_and_age_band_only_when_unique(scenario):
    assert f.profile_index(scenario, "uddannelseshjaelp", "25_to_29") == 2
    assert f.profile_index(scenario, "ressourceforloebsydelse", "30_to_54") == 3
    # two kontanthjælp profiles for 30-54 (provider or not): unknown, drawn by the shares
    assert f.profile_index(scenario, "kontanthjaelp", "30_to_54") == f.UNKNOWN


def test_the_live_scenario_takes_the_actual_referrals_as_intake(scenario):
    people = f.participants_from_records(RECORDS, DATA_DATE, REFERRED)
    live = f.live_scenario(scenario, people, DATA_DATE)
    intake = {m.code: m.intake.monthly() for m in live.municipalities}
    assert intake["101"] == {dt.date(2019, 3, 1): 1, dt.date(2019, 5, 1): 1}
    assert intake["751"] == {dt.date(2019, 5, 1): 1}
    assert sum(sum(v.values()) for v in intake.values()) == 3
    assert [m.code for m in live.municipalities] == [m.code for m in scenario.municipalities]


def test_planned_intake_after_the_data_date_is_kept_on_request(scenario):
    people = f.participants_from_records(RECORDS, dt.date(2019, 12, 10), REFERRED)
    live = f.live_scenario(scenario, people, dt.date(2019, 12, 10), planned_after=True)
    planned = {m.code: m.intake.monthly() for m in scenario.municipalities}
    for m in live.municipalities:
        later = {k: v for k, v in planned[m.code].items() if k > dt.date(2019, 12, 1)}
        got = {k: v for k, v in m.intake.monthly().items() if k > dt.date(2019, 12, 1)}
        assert got == later


def test_a_referral_outside_the_programme_names_the_participant(scenario):
    records = [ev("LATE", "referral", "2023-02-01", municipality="101")]
    people = f.participants_from_records(records, dt.date(2024, 1, 1), REFERRED)
    with pytest.raises(BrobyggerError) as err:
        f.live_scenario(scenario, people, dt.date(2024, 1, 1))
    assert "LATE" in str(err.value) and "intake" in str(err.value)
    [problem] = err.value.problems
    assert problem.kind == "referrals_outside_period"
    assert dict(problem.context) == {"municipality": "101", "month": "2023-02",
                                     "first": "2023-02", "last": "2023-02",
                                     "participants": "LATE"}


def test_late_referrals_in_many_months_are_one_problem_naming_them_all(scenario):
    records = [ev(f"LATE{m}", "referral", f"2023-0{m}-01", municipality="101")
               for m in (2, 5, 7)]
    people = f.participants_from_records(records, dt.date(2024, 1, 1), REFERRED)
    with pytest.raises(BrobyggerError) as err:
        f.live_scenario(scenario, people, dt.date(2024, 1, 1))
    [problem] = err.value.problems
    context = dict(problem.context)
    assert context["month"] == "2023-02 … 2023-07"
    assert context["participants"] == "LATE2, LATE5, LATE7"


def test_a_late_referral_names_only_its_own_municipality_s_participants(scenario):
    records = [ev("LATE", "referral", "2023-02-01", municipality="101"),
               ev("ALSO", "referral", "2023-02-14", municipality="751")]
    people = f.participants_from_records(records, dt.date(2024, 1, 1), REFERRED)
    with pytest.raises(BrobyggerError) as err:
        f.live_scenario(scenario, people, dt.date(2024, 1, 1))
    named = {dict(p.context)["municipality"]: dict(p.context)["participants"]
             for p in err.value.problems}
    assert named == {"101": "LATE", "751": "ALSO"}


def test_more_referrals_in_a_month_than_the_intake_holds_are_named(scenario):
    people = f.participants_from_records(RECORDS, DATA_DATE, REFERRED)
    compiled = compile_scenario(scenario)  # the planned intake, not the actual referrals
    crowded = [dataclasses.replace(people[0], reference=f"P{i}") for i in range(40)]
    with pytest.raises(BrobyggerError) as err:
        f.build_histories(compiled, crowded)
    [problem] = err.value.problems
    month = f"{crowded[0].referral:%Y-%m}"
    context = dict(problem.context)
    assert problem.kind == "over_intake" and context["count"] == 40
    assert context["municipality"] == crowded[0].municipality and context["month"] == month
    assert f"40 participants but an intake of {context['intake']}" == problem.message


def test_histories_align_with_the_simulation_inputs(scenario):
    people = f.participants_from_records(RECORDS, DATA_DATE, REFERRED)
    compiled = compile_scenario(f.live_scenario(scenario, people, DATA_DATE,
                                                planned_after=True))
    h = f.build_histories(compiled, people)
    inputs = build_inputs(compiled)
    assert h.states.shape == (inputs.participants.n, compiled.T)
    known = np.flatnonzero(h.states[:, 0] >= 0)
    assert len(known) == 3  # the planned participants know nothing
    for i in known:
        m = compiled.codes[inputs.participants.muni[i]]
        month = compiled.months[inputs.participants.entry[i]]
        match = [p for p in people if p.municipality == m and
                 p.referral.replace(day=1) == month]
        assert len(match) == 1
        assert tuple(h.states[i, : len(match[0].states)]) == match[0].states
        assert np.all(h.states[i, len(match[0].states):] == f.UNKNOWN)


def test_forecast_paths_add_up_to_simulate_with_the_same_history(scenario):
    people = f.participants_from_records(RECORDS, DATA_DATE, REFERRED)
    compiled = compile_scenario(f.live_scenario(scenario, people, DATA_DATE))
    h = f.build_histories(compiled, people)
    paths = f.forecast_paths(compiled, h, 64, 11)
    sim = simulate(compiled, 64, 11, history=h)
    per_muni = paths.net.sum(axis=-1).transpose(0, 2, 1)  # (D, M, payer)
    np.testing.assert_allclose(per_muni, sim.summaries.muni_net[:, :, :2], rtol=1e-12)
    summary = f.summarise_municipality(paths, "101", DATA_DATE)
    m = compiled.codes.index("101")
    assert summary.payers["municipality"].p_gain == np.mean(sim.summaries.muni_net[:, m, 0] > 0)
    assert summary.payers["municipality"].mean_final == pytest.approx(
        sim.summaries.muni_net[:, m, 0].mean(), rel=1e-12)
    be = sim.summaries.muni_break_even[:, m]
    assert summary.payers["municipality"].p_break_even == np.mean(be > 0)


def fully_known(scenario):
    """One participant whose programme world is known for the whole horizon."""
    months = 120 - 13  # referred March 2019 (month 13 of the horizon)
    states = (REFERRED, INDUCTION, JOBSEEKING) + (JOB_OTHER,) * (months - 3)
    person = f.LiveParticipant("K", "101", dt.date(2019, 3, 4), states, profile=0)
    compiled = compile_scenario(f.live_scenario(scenario, [person], dt.date(2030, 1, 1)))
    h = f.build_histories(compiled, [person])
    assert (h.states >= 0).sum() == months
    return compiled, h


def test_a_fully_known_participant_has_no_randomness_in_the_programme_world(scenario):
    from brobygger.simulation.run import chunk_outputs

    compiled, h = fully_known(scenario)
    inputs = build_inputs(compiled)
    savings, due, events, _ = chunk_outputs(inputs, 5, 0, 40, True, h)
    # payments and indicator events come from the programme world only: identical in all draws
    assert np.all(due == due[:1]) and due.sum() > 0
    assert np.all(events == events[:1])
    # the counterfactual is drawn from referral: savings differ between draws
    assert savings[:, 0].std(axis=0).max() > 0


def test_realised_savings_only_count_months_up_to_the_data_date(scenario):
    people = f.participants_from_records(RECORDS, DATA_DATE, REFERRED)
    compiled = compile_scenario(f.live_scenario(scenario, people, DATA_DATE))
    paths = f.forecast_paths(compiled, f.build_histories(compiled, people), 32, 3)
    s = f.summarise_municipality(paths, "101", DATA_DATE)
    assert compiled.months[s.data_month] == dt.date(2021, 5, 1)
    m = compiled.codes.index("101")
    expected = paths.savings[:, 0, m, : s.data_month + 1].sum(axis=-1).mean()
    assert s.payers["municipality"].realised_savings == pytest.approx(expected)
    fan = s.payers["municipality"].fan
    assert all(fan[5][k] <= fan[50][k] <= fan[95][k] for k in range(compiled.T))


def txn(tid, date, payer, payees, partnership, kind="payment"):
    total = sum(payees.values(), Decimal(0))
    return Transaction(tid, date, kind, "x", (Posting(payer, -total), *(
        Posting(a, v) for a, v in payees.items())), Meta(key=tid, partnership=partnership))


def test_payment_flows_by_payer_payee_month_with_reversals():
    a = txn("a", dt.date(2020, 1, 1), "municipality:101",
            {"other_actor:7": Decimal("500.00"), "social_enterprise:8": Decimal("500.00")}, "1")
    b = txn("b", dt.date(2020, 2, 1), "municipality:101", {"other_actor:7": Decimal("10000")},
            "1")
    c = txn("c", dt.date(2020, 2, 1), "municipality:751", {"other_actor:9": Decimal("99")}, "2")
    entries = [a, b, c, reversal(b, dt.date(2020, 3, 1))]
    flows = f.payment_flows(entries, {"1"})
    assert flows == {
        ("municipality:101", "other_actor:7", "2020-01"): Decimal("500.00"),
        ("municipality:101", "other_actor:7", "2020-02"): Decimal("10000"),
        ("municipality:101", "other_actor:7", "2020-03"): Decimal("-10000"),
        ("municipality:101", "social_enterprise:8", "2020-01"): Decimal("500.00"),
    }
    assert sum(f.payment_flows(entries).values()) == Decimal("1099.00")


def test_forecast_paths_are_simulates_monthly_paths(scenario):
    people = f.participants_from_records(RECORDS, DATA_DATE, REFERRED)
    compiled = compile_scenario(f.live_scenario(scenario, people, DATA_DATE))
    h = f.build_histories(compiled, people)
    paths = f.forecast_paths(compiled, h, 40, 9)
    sim = simulate(compiled, 40, 9, history=h, paths=True)
    # muni_path: (D, M, payer, T); the forecast keeps (D, payer, M, T)
    np.testing.assert_allclose(paths.net.transpose(0, 2, 1, 3), sim.summaries.muni_path,
                               rtol=1e-12, atol=1e-9)


def test_a_data_date_before_the_horizon_knows_nothing(scenario):
    people = f.participants_from_records(RECORDS, DATA_DATE, REFERRED)
    compiled = compile_scenario(f.live_scenario(scenario, people, DATA_DATE))
    paths = f.forecast_paths(compiled, f.build_histories(compiled, people), 8, 1)
    s = f.summarise_municipality(paths, "101", dt.date(2017, 6, 1))
    assert s.data_month == -1
    assert s.payers["municipality"].realised_savings == 0.0
