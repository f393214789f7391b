"""Scenario files: the shipped default validates; broken files name file and key path."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from brobygger.errors import ScenarioError
from brobygger.scenario.load import load_scenario, read_raw, resolve_path


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return str(info.value)


def test_the_shipped_default_scenario_validates():
    sc = load_scenario()
    assert sc.name == "default"
    assert len(sc.municipalities) == 12
    assert sum(m.partnerships for m in sc.municipalities) == 18
    assert sum(sum(m.intake.monthly().values()) for m in sc.municipalities) == 148
    assert sc.programme.eligible_costs == 34152809
    assert sc.accelerator.enterprises == 18


def test_every_number_of_the_default_scenario_is_explained_in_its_assumptions():
    sc = load_scenario()
    text = resolve_path("default").read_text(encoding="utf-8")
    used = set(re.findall(r"\[(A\d+)\]", text))
    assert used <= set(sc.assumptions), used - set(sc.assumptions)


def test_a_scenario_that_extends_another_changes_only_what_it_names(tmp_path):
    path = write(tmp_path, """\
        extends: default
        name: dearer-jobs
        contract:
          outcomes:
            - {id: job_start, price: 20000}
        """)
    base, child = load_scenario(), load_scenario(path)
    assert child.name == "dearer-jobs"
    prices = {o.id: o.price for o in child.contract.outcomes}
    assert prices["job_start"] == 20000
    assert [o.id for o in child.contract.outcomes] == [o.id for o in base.contract.outcomes]
    same = base.model_dump(exclude={"name", "contract"})
    assert child.model_dump(exclude={"name", "contract"}) == same
    for a, b in zip(base.contract.outcomes, child.contract.outcomes, strict=True):
        if a.id != "job_start":
            assert a == b


def test_named_changes_move_many_inputs_together(tmp_path):
    path = write(tmp_path, """\
        extends: default
        name: bigger
        changes:
          - name: larger intake and a higher completion price
            set:
              municipalities.101.intake.total: 26
              contract.outcomes.induction_completed.price: 12000
        """)
    sc = load_scenario(path)
    kbh = next(m for m in sc.municipalities if m.code == "101")
    assert kbh.intake.total == 26
    assert next(o for o in sc.contract.outcomes if o.id == "induction_completed").price == 12000


def test_a_change_to_a_key_that_does_not_exist_is_an_error(tmp_path):
    path = write(tmp_path, """\
        extends: default
        changes:
          - name: typo
            set:
              contract.outcomes.job_strat.price: 1
        """)
    assert "changes.0 (typo).set.contract.outcomes.job_strat.price" in problems_of(path)


BROKEN = {
    "misspelt key": ("horizon: {start: 2018-02, monts: 120}", r"horizon\.monts: Extra inputs"),
    "row not summing to one": (
        "pathways:\n  programme:\n    periods:\n      - from_month: 1\n        rows:\n"
        "          referred: {induction: 0.5, referred: 0.4}",
        r"pathways\.programme\.periods\.0\.rows\.referred: probabilities sum to 0\.9"),
    "unknown municipality": (
        'municipalities:\n  - {code: "999", intake: {start: 2019-01, end: 2019-02, total: 2}}',
        r"municipalities\.12\.code: unknown kommunekode '999'"),
    "unknown trigger": (
        "contract:\n  outcomes:\n    - {id: job_start, trigger: {type: job_begins}}",
        r"contract\.outcomes\.1\.trigger\.type"),
    "unknown payee": (
        "contract:\n  outcomes:\n    - {id: job_start, payees: {landlord: 1.0}}",
        r"contract\.outcomes\.1\.payees\.landlord"),
    "horizon before the programme": (
        "horizon: {start: 2010-01, months: 24}", r"horizon: the horizon .* ends before"),
    "benefit without a rate": (
        "profiles:\n  - {id: kth_30_other, benefit: benefits.kontanthjaelp.over_99}",
        r"profiles\.0\.benefit: benefits\.kontanthjaelp\.over_99: no such parameter"),
    "contradicting caps": (
        "contract:\n  caps: {per_participant: 200000, per_contract: 100000}",
        r"contract\.caps: Value error, caps contradict"),
    "negative price": (
        "contract:\n  outcomes:\n    - {id: job_start, price: -5}",
        r"contract\.outcomes\.1\.price"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_a_broken_scenario_is_refused_with_file_and_key_path(tmp_path, kind):
    body, expected = BROKEN[kind]
    path = write(tmp_path, "extends: default\n" + body + "\n")
    message = problems_of(path)
    assert str(path) in message, kind
    assert re.search(expected, message), message


def test_all_problems_are_reported_at_once(tmp_path):
    path = write(tmp_path, """\
        extends: default
        horizon: {start: 2018-02, monts: 120}
        contract:
          caps: {per_participant: 200000, per_contract: 100000}
        """)
    message = problems_of(path)
    assert "monts" in message and "caps contradict" in message


def test_a_malformed_file_names_its_line(tmp_path):
    path = write(tmp_path, "name: [broken\n")
    assert re.search(r"s\.yaml: line \d+, column \d+: malformed YAML", problems_of(path))


def test_scenarios_cannot_extend_in_a_circle(tmp_path):
    write(tmp_path, "extends: b.yaml\n", "a.yaml")
    write(tmp_path, "extends: a.yaml\n", "b.yaml")
    with pytest.raises(ScenarioError, match="extend in a circle"):
        read_raw(tmp_path / "a.yaml")


def test_an_outcome_needs_a_price_only_where_it_is_offered(tmp_path):
    path = write(tmp_path, """\
        extends: default
        contract:
          outcomes:
            - {id: job_start, price: {2019-06-01: 15000}, valid_from: 2019-06-01}
        """)
    sc = load_scenario(path)
    assert next(o for o in sc.contract.outcomes if o.id == "job_start").valid_from is not None
    path = write(tmp_path, """\
        extends: default
        contract:
          outcomes:
            - {id: job_start, price: {2019-06-01: 15000}}
        """, "b.yaml")
    # 2018-10 holds the first referrals
    message = "contract.outcomes.1.price: outcome 'job_start' has no price on 2018-10-01"
    assert message in problems_of(path)


def test_an_even_spread_places_referrals_across_the_whole_period():
    sc = load_scenario()
    monthly = next(m for m in sc.municipalities if m.code == "147").intake.monthly()
    assert sum(monthly.values()) == 12
    assert min(monthly).strftime("%Y-%m") == "2018-10"
    assert max(monthly).strftime("%Y-%m") == "2020-08"  # one every other month
    assert set(monthly.values()) == {1}


MORE_BROKEN = {
    "two schedule keys in one month": (
        'changes:\n  - name: by date\n    set:\n      municipalities.101.intake: '
        '{schedule: {"2018-09-01": 5, "2018-09-20": 8}}',
        r"'2018-09-01' and '2018-09-20' are the same month"),
    "a horizon start that is not a month": (
        'horizon: {start: "Feb 2018", months: 120}', r"horizon\.start: .*not a month"),
    "a cohort start that is not a month": (
        'accelerator:\n  cohorts:\n    - {start: "2018-6x", months: 12, enterprises: 9}',
        r"accelerator\.cohorts\.0\.start"),
    "an enterprise price missing in some months": (
        "contract:\n  outcomes:\n    - {id: place_created, price: {2018-09-01: 5000}}",
        r"contract\.outcomes\.4\.price: outcome 'place_created' has no price on 2018-02-01"),
    "a benefit that is not an amount per period": (
        "profiles:\n  - {id: kth_30_other, benefit: wages.minimum_hourly_wage}",
        r"profiles\.0\.benefit: wages\.minimum_hourly_wage is in DKK/hour"),
    "a wage that is not an hourly amount": (
        "jobs:\n  other:\n    hourly_wage: {parameter: benefits.kontanthjaelp.over_30_other}",
        r"jobs\.other\.hourly_wage\.parameter: .* is in DKK/month, expected DKK/hour"),
    "an indicator window before the programme": (
        "programme:\n  indicator_window_end: 2017-12-31",
        r"programme\.indicator_window_end: the indicators' window ends 2017-12-31"),
}


@pytest.mark.parametrize("kind", sorted(MORE_BROKEN))
def test_more_broken_scenarios_are_refused_before_any_computation(tmp_path, kind):
    body, expected = MORE_BROKEN[kind]
    message = problems_of(write(tmp_path, "extends: default\n" + body + "\n"))
    assert re.search(expected, message), message
