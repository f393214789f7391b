"""Indicators counted from events: hand-made pathways whose counts are known by reading them."""

from __future__ import annotations

import datetime as dt

import pytest

from brobygger.indicators import (
    CODES,
    UNKNOWN,
    against_targets,
    compute_indicators,
    compute_pipeline,
    current_states,
    restrict,
    target_path,
)
from brobygger.pathways.states import INDEX
from brobygger.payments.events import table_from_records
from brobygger.scenario.schema import State

AS_OF = dt.date(2020, 6, 30)
P1 = {"partnership": "p1", "municipality": "101", "other_actor": "oa1", "social_enterprise": "se1"}
P2 = {"partnership": "p2", "municipality": "751", "other_actor": "oa2", "social_enterprise": "se2"}


def ev(participant: str, kind: str, date: str, **extra: object) -> dict[str, object]:
    return {"participant": participant, "type": kind, "date": date, **extra}


def table(records):
    t, problems = table_from_records(records)
    assert problems == []
    return t


# anna: referral, induction, completes, hired at the accelerator enterprise      -> 3B.1-3
# bo: referral, induction, drops out, later a job elsewhere (not a 3B.4: left to benefit)
# cai: referral, induction, completes, job elsewhere, job ends                   -> 3B.1,2,4
# dea (p2): referral, induction started twice (counts once), exit                -> 3B.1
# eva (p2): referral only, in July: after AS_OF, not counted
RECORDS = [
    ev("anna", "referral", "2019-01-15", **P1),
    ev("anna", "induction_start", "2019-02-01"),
    ev("anna", "induction_completed", "2019-06-20"),
    ev("anna", "job_start", "2019-08-01", state="job_accelerator", hours_per_week=30),
    ev("bo", "referral", "2019-01-20", **P1),
    ev("bo", "induction_start", "2019-03-01"),
    ev("bo", "induction_dropout", "2019-04-10"),
    ev("bo", "job_start", "2019-09-01", state="job_other", hours_per_week=20),
    ev("cai", "referral", "2019-02-01", **P1),
    ev("cai", "induction_start", "2019-02-20"),
    ev("cai", "benefit_month", "2019-03-01", amount="9000"),
    ev("cai", "induction_completed", "2019-07-01"),
    ev("cai", "job_start", "2019-08-15", state="job_other", hours_per_week=37),
    ev("cai", "job_end", "2020-01-31"),
    ev("dea", "referral", "2019-03-05", **P2),
    ev("dea", "induction_start", "2019-04-01"),
    ev("dea", "induction_start", "2019-05-01"),
    ev("dea", "exit", "2019-12-01"),
    ev("eva", "referral", "2020-07-02", **P2),
    {"type": "place_created", "date": "2019-06-30", "count": 3, **P1},
    {"type": "place_created", "date": "2020-03-31", "count": 2, **P2},
    {"type": "ordinary_hire", "date": "2019-12-31", "count": 4, **P1},
    {"type": "ordinary_hire", "date": "2019-12-31", "count": 1, "verified": "false", **P2},
]


def test_totals_count_each_participant_once_and_follow_the_esf_definitions():
    ind = compute_indicators(table(RECORDS), as_of=AS_OF)
    assert ind.totals == {
        "referrals": 4, "3B.1": 4, "3B.2": 2, "3B.3": 1, "3B.4": 1,
        "places": 5, "ordinary_hires": 4, "partnerships": 2, "enterprises": 2,
    }


def test_an_event_after_as_of_or_unverified_does_not_count_unless_asked():
    t = table(RECORDS)
    later = compute_indicators(t, as_of=dt.date(2020, 7, 31))
    assert later.totals["referrals"] == 5
    with_unverified = compute_indicators(t, as_of=AS_OF, verified_only=False)
    assert with_unverified.totals["ordinary_hires"] == 5


def test_cumulative_by_month_runs_from_the_first_event_to_as_of():
    ind = compute_indicators(table(RECORDS), as_of=AS_OF)
    assert ind.months[0] == "2019-01" and ind.months[-1] == "2020-06"
    assert len(ind.months) == 18
    start = dict(zip(ind.months, ind.cumulative["3B.1"], strict=True))
    assert start["2019-01"] == 0 and start["2019-02"] == 2  # anna, cai
    assert start["2019-03"] == 3 and start["2019-04"] == 4  # bo, then dea
    places = dict(zip(ind.months, ind.cumulative["places"], strict=True))
    assert places["2019-05"] == 0 and places["2019-06"] == 3 and places["2020-03"] == 5
    for code in CODES:
        assert ind.cumulative[code][-1] == ind.totals[code]


def test_a_start_date_before_the_first_event_pads_with_zeros_and_later_clips():
    t = table(RECORDS)
    early = compute_indicators(t, as_of=AS_OF, start=dt.date(2018, 11, 1))
    assert early.months[:3] == ("2018-11", "2018-12", "2019-01")
    assert early.cumulative["referrals"][:3] == (0, 0, 2)
    late = compute_indicators(t, as_of=AS_OF, start=dt.date(2019, 6, 1))
    assert late.months[0] == "2019-06"
    assert late.cumulative["3B.1"][0] == 4  # earlier starts count in the first month


def test_groups_by_partnership_municipality_and_region():
    ind = compute_indicators(table(RECORDS), as_of=AS_OF)
    p1 = ind.groups["partnership"]["p1"]
    assert (p1["3B.1"], p1["3B.2"], p1["3B.3"], p1["3B.4"], p1["places"]) == (3, 2, 1, 1, 3)
    assert ind.groups["municipality"]["751"]["3B.1"] == 1
    assert ind.groups["municipality"]["751"]["places"] == 2
    assert ind.groups["region"]["Hovedstaden"]["referrals"] == 3  # 101 København
    assert ind.groups["region"]["Midtjylland"]["partnerships"] == 1  # 751 Aarhus
    assert ind.municipality_of == {"p1": "101", "p2": "751"}
    for grouping in ("partnership", "municipality", "region"):
        for code in CODES:
            assert sum(g[code] for g in ind.groups[grouping].values()) == ind.totals[code]


def test_participant_attributes_group_the_citizen_indicators():
    gender = {"anna": "female", "bo": "male", "cai": "male", "dea": "female"}
    ind = compute_indicators(table(RECORDS), as_of=AS_OF, participant_attributes={"gender": gender})
    assert ind.groups["gender"]["female"]["3B.3"] == 1
    assert ind.groups["gender"]["male"]["3B.4"] == 1
    assert ind.groups["gender"]["male"]["3B.2"] == 1
    assert "places" not in ind.groups["gender"]["female"]
    partial = compute_indicators(table(RECORDS), as_of=AS_OF,
                                 participant_attributes={"gender": {"anna": "female"}})
    assert partial.groups["gender"][UNKNOWN]["3B.1"] == 3
    with pytest.raises(ValueError, match="region"):
        compute_indicators(table(RECORDS), as_of=AS_OF, participant_attributes={"region": {}})


def test_leaving_the_programme_is_the_first_move_out_of_it():
    # referred -> job at the accelerator straight away counts as 3B.3; a second job does not
    rows = [ev("x", "referral", "2019-01-01", **P1),
            ev("x", "job_start", "2019-02-01", state="job_accelerator", hours_per_week=30),
            ev("x", "job_end", "2019-03-31"),
            ev("x", "job_start", "2019-05-01", state="job_other", hours_per_week=30),
            ev("y", "referral", "2019-01-01", **P1),
            ev("y", "education_start", "2019-02-01"),
            ev("y", "education_end", "2019-06-30"),
            ev("y", "job_start", "2019-08-01", state="job_accelerator", hours_per_week=30)]
    totals = compute_indicators(table(rows), as_of=AS_OF).totals
    assert (totals["3B.3"], totals["3B.4"]) == (1, 0)


def test_against_targets_gives_share_of_target():
    rows = against_targets({"3B.1": 74, "places": 0}, {"3B.1": 148, "places": 90},
                           ["3B.1", "places", "3B.3"])
    assert [(r.code, r.actual, r.target, r.share) for r in rows] == [
        ("3B.1", 74, 148.0, 0.5), ("places", 0, 90.0, 0.0), ("3B.3", 0, None, None)]
    assert rows[0].label == "Started the induction course"


def test_target_path_rises_evenly_over_the_programme_and_stays():
    months = ("2017-12", "2018-01", "2018-02", "2018-03", "2018-04", "2018-05")
    path = target_path(100, dt.date(2018, 1, 10), dt.date(2018, 4, 30), months)
    assert path == (0, 25, 50, 75, 100, 100)
    with pytest.raises(ValueError, match="end"):
        target_path(1, dt.date(2019, 1, 1), dt.date(2018, 1, 1), months)


def test_current_states_and_pipeline_by_month():
    t = table(RECORDS)
    states = current_states(t, as_of=AS_OF)
    code = {label: i for i, label in enumerate(t.labels["participant"])}
    assert states[code["anna"]] == INDEX[State.job_accelerator]
    assert states[code["bo"]] == INDEX[State.job_other]
    assert states[code["cai"]] == INDEX[State.benefit]
    assert states[code["dea"]] == INDEX[State.exited]
    assert states[code["eva"]] == -1  # referred after AS_OF

    pipe = compute_pipeline(t, as_of=AS_OF)
    assert pipe.total == 4
    assert pipe.counts[State.job_accelerator] == 1 and pipe.counts[State.referred] == 0
    month = dict(zip(pipe.months, range(len(pipe.months)), strict=True))
    at = {s: pipe.by_month[s][month["2019-03"]] for s in State}
    # end of March 2019: anna and cai in induction, bo in induction, dea referred
    assert at[State.induction] == 3 and at[State.referred] == 1
    at = {s: pipe.by_month[s][month["2019-12"]] for s in State}
    assert at[State.job_accelerator] == 1 and at[State.job_other] == 2
    assert at[State.exited] == 1
    for k in range(len(pipe.months)):
        assert sum(pipe.by_month[s][k] for s in State) <= 4
    assert all(pipe.by_month[s][-1] == pipe.counts[s] for s in State)
    assert pipe.groups["partnership"]["p2"][State.exited] == 1
    assert pipe.groups["municipality"]["101"][State.benefit] == 1


def test_restrict_keeps_a_partnership_or_municipality_with_its_participants_events():
    t = table(RECORDS)
    only_p2 = restrict(t, partnerships=["p2"])
    ind = compute_indicators(only_p2, as_of=AS_OF)
    assert ind.totals["3B.1"] == 1 and ind.totals["places"] == 2
    assert ind.totals["partnerships"] == 1
    by_muni = compute_indicators(restrict(t, municipalities=["101"]), as_of=AS_OF)
    assert by_muni.totals == compute_indicators(restrict(t, partnerships=["p1"]),
                                                as_of=AS_OF).totals
    by_region = compute_indicators(restrict(t, regions=["Hovedstaden"]), as_of=AS_OF)
    assert by_region.totals["3B.1"] == 3
    assert len(restrict(t, partnerships=[])) == 0


def test_an_empty_table_gives_zeros():
    t, _ = table_from_records([])
    ind = compute_indicators(t, as_of=AS_OF)
    assert set(ind.totals.values()) == {0}
    assert ind.months == ("2020-06",)
    assert compute_pipeline(t, as_of=AS_OF).total == 0


def test_targets_scale_to_a_share_of_the_partnerships():
    from brobygger.indicators import share_of_targets

    assert share_of_targets({"3B.1": 148, "places": 90}, 3, 18) == {"3B.1": 148 * 3 / 18,
                                                                    "places": 15.0}
    with pytest.raises(ValueError, match="part"):
        share_of_targets({"3B.1": 1}, 19, 18)
