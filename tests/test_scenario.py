"""Scenario files: the shipped default validates; broken files name file and key path."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest

from brobygger.errors import ScenarioError
from brobygger.scenario.load import load_scenario, read_raw, resolve_path
from brobygger.scenario.schema import LANGUAGES, assumption_texts, in_language


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
        r"municipalities\.999\.code: unknown kommunekode '999'"),
    "unknown trigger": (
        "contract:\n  outcomes:\n    - {id: job_start, trigger: {type: job_begins}}",
        r"contract\.outcomes\.job_start\.trigger\.type"),
    "unknown payee": (
        "contract:\n  outcomes:\n    - {id: job_start, payees: {landlord: 1.0}}",
        r"contract\.outcomes\.job_start\.payees\.landlord"),
    "horizon before the programme": (
        "horizon: {start: 2010-01, months: 24}", r"horizon: the horizon .* ends before"),
    "benefit without a rate": (
        "profiles:\n  - {id: kth_30_other, benefit: benefits.kontanthjaelp.over_99}",
        r"profiles\.kth_30_other\.benefit: benefits\.kontanthjaelp\.over_99: no such parameter"),
    "contradicting caps": (
        "contract:\n  caps: {per_participant: 200000, per_contract: 100000}",
        r"contract\.caps: caps contradict"),
    "negative price": (
        "contract:\n  outcomes:\n    - {id: job_start, price: -5}",
        r"contract\.outcomes\.job_start\.price"),
    "infinite price": (
        "contract:\n  outcomes:\n    - {id: job_start, price: .inf}",
        r"contract\.outcomes\.job_start\.price\S*: Input should be a finite number"),
    "price beyond any budget": (
        "contract:\n  outcomes:\n    - {id: job_start, price: 1.0e+308}",
        r"contract\.outcomes\.job_start\.price\S*: Input should be less than or equal to"),
    "horizon past the calendar": (
        "horizon: {start: 9999-02, months: 120}", r"horizon: the horizon ends after the year"),
    "changes not a list": ("changes: 5", r"changes: a list of changes"),
    "a cohort starting on a list": (
        "accelerator:\n  cohorts:\n    - {start: [2019, 1], months: 12, enterprises: 2}",
        r"accelerator\.cohorts\.0\.start: Input should be a valid string"),

    "impossible date": (
        "programme:\n  period: {start: 2018-02-30, end: 2022-12-31}",
        r"line 3, column \d+: malformed YAML: '2018-02-30' is not a valid date"),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_a_broken_scenario_is_refused_with_file_and_key_path(tmp_path, kind):
    body, expected = BROKEN[kind]
    path = write(tmp_path, "extends: default\n" + body + "\n")
    message = problems_of(path)
    assert str(path) in message, kind
    assert re.search(expected, message), message


def test_a_month_written_as_a_date_is_the_month_that_holds_it(tmp_path):
    """YAML reads 2018-02-01 unquoted as a date: a month may be written so, as the lab's
    text field may, and both give the scenario a month written 2018-02 gives."""
    plain = load_scenario(write(tmp_path, "extends: default\nhorizon: {start: 2018-02, "
                                          "months: 60}\n"))
    for text in ("2018-02-01", "'2018-02-01'", "2018-02-17"):
        (tmp_path / "d.yaml").write_text(f"extends: default\nhorizon: {{start: {text}, "
                                         "months: 60}\n", encoding="utf-8")
        dated = load_scenario(tmp_path / "d.yaml")
        assert dated.horizon_start == plain.horizon_start, text


def test_an_intake_schedule_s_months_may_be_written_as_dates_too(tmp_path):
    def plan(schedule: str, name: str):
        return load_scenario(write(tmp_path, "extends: default\nchanges:\n  - name: dated\n"
                                             "    set:\n      municipalities.101.intake: "
                                             f"{{schedule: {schedule}}}\n", name))

    quoted = plan("{'2018-09': 5, '2019-03': 8}", "q.yaml")
    dated = plan("{2018-09-01: 5, 2019-03-15: 8}", "d.yaml")
    spread = load_scenario(write(tmp_path, "extends: default\nmunicipalities:\n  - code: '101'"
                                           "\n    intake: {start: 2018-09-01, end: 2019-03-31, "
                                           "total: 13}\n", "e.yaml"))

    def intake(sc):
        return next(m.intake for m in sc.municipalities if m.code == "101")

    assert intake(dated).monthly() == intake(quoted).monthly() == {
        dt.date(2018, 9, 1): 5, dt.date(2019, 3, 1): 8}
    assert sum(intake(spread).monthly().values()) == 13


def test_a_date_given_where_it_does_not_belong_is_quoted_as_the_file_writes_it(tmp_path):
    from brobygger.problem_text import problem_text

    path = write(tmp_path, "extends: default\nhorizon: {start: 2018-02, months: 2018-02-01}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    [problem] = info.value.problems
    assert dict(problem.context)["input"] == "2018-02-01"  # not datetime.date(2018, 2, 1)
    assert problem_text(problem, "da").endswith("horizon.months: skal være et helt tal "
                                                "(angivet: 2018-02-01)")


@pytest.mark.parametrize(("price", "said"), [
    ("abc", ["contract.outcomes.job_start.price: Input should be a valid number"]),
    ("{2019-01-01: abc}",
     ["contract.outcomes.job_start.price.2019-01-01: Input should be a valid number"]),
])
def test_a_price_that_is_neither_a_number_nor_dated_numbers_is_said_once(tmp_path, price,
                                                                         said):
    path = write(tmp_path, "extends: default\ncontract:\n  outcomes:\n"
                           f"    - {{id: job_start, price: {price}}}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert [f"{p.location}: {p.message}".split(", unable")[0].split(" (got")[0]
            for p in info.value.problems] == said


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


def test_a_file_that_is_not_utf8_is_refused_with_where(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_bytes("extends: default\nname: Køge\n".encode("cp1252"))
    assert re.search(r"s\.yaml: byte 24: not UTF-8 text", problems_of(path))


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
    message = "contract.outcomes.job_start.price: outcome 'job_start' has no price on 2018-10-01"
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
        r"contract\.outcomes\.place_created\.price: outcome 'place_created' has no price on "
        r"2018-02-01"),
    "a benefit that is not an amount per period": (
        "profiles:\n  - {id: kth_30_other, benefit: wages.minimum_hourly_wage}",
        r"profiles\.kth_30_other\.benefit: wages\.minimum_hourly_wage is in DKK/hour"),
    "a wage that is not an hourly amount": (
        "jobs:\n  other:\n    hourly_wage: {parameter: benefits.kontanthjaelp.over_30_other}",
        r"jobs\.other\.hourly_wage\.parameter: .* is in DKK/month, expected DKK/hour"),
    "an indicator window before the programme": (
        "programme:\n  indicator_window_end: 2017-12-31",
        r"programme\.indicator_window_end: the indicators' window ends 2017-12-31"),
    "profile shares that are not the whole": (
        "profiles:\n  - {id: kth_30_other, share: 0.9}",
        r"profiles: profile shares sum to 1\.4, not 1"),
    "a counterfactual that enters the programme": (
        "pathways:\n  counterfactual:\n    periods:\n      - rows:\n"
        "          benefit: {benefit: 0.9, induction: 0.1}",
        r"pathways\.counterfactual\.periods\.0\.rows\.benefit: the counterfactual cannot move "
        r"into programme states \['induction'\]"),
    "an exit that can be left": (
        "pathways:\n  programme:\n    periods:\n      - rows:\n"
        "          exited: {exited: 0.5, benefit: 0.5}",
        r"rows\.exited: 'exited' is absorbing: its row must be \{exited: 1\}"),
    "costs financed past the whole, from an unknown budget line": (
        "costs:\n  - {id: evaluation, financing: {esf: 0.5, municipality: 0.4}, "
        "budget_line: nothing}",
        r"costs\.evaluation\.financing: financing shares sum to 1\.15, not 1(.|\n)*"
        r"costs\.evaluation\.budget_line: unknown budget line 'nothing'"),
    "an EU share that the costs do not follow": (
        "programme:\n  esf_share: 0.2",
        r"costs\.accelerator\.financing\.esf: the EU Social Fund finances 50\.00% of this "
        r"cost, but the programme's share is 20\.00% \(0 for a cost that is not eligible\)"),
    "eligible costs that the budget lines do not add up to": (
        "programme:\n  eligible_costs: 1000",
        r"programme\.eligible_costs: the budget lines sum to 34,152,809\.00 kr, not the "
        r"eligible costs 1,000\.00 kr"),
    "a negative dated price, said once at its date": (
        "contract:\n  outcomes:\n    - {id: job_start, price: {2019-01-01: -5}}",
        r"^[^\n]*contract\.outcomes\.job_start\.price\.2019-01-01: Input should be greater than or "
        r"equal to 0 \(got -5\)$"),
    "a negative price, said once": (
        "contract:\n  outcomes:\n    - {id: job_start, price: -5}",
        r"^[^\n]*contract\.outcomes\.job_start\.price: Input should be greater than or equal to 0 "
        r"\(got -5\)$"),
    "an unknown target": (
        "programme:\n  targets:\n    jobs: 5", r"programme\.targets\.jobs: unknown target"),
    "a horizon that starts after the programme": (
        "horizon: {start: 2019-01, months: 120}",
        r"horizon\.start: the horizon starts \(2019-01\) after the programme starts"),
    "an outcome that ends before it starts": (
        "contract:\n  outcomes:\n    - {id: job_start, valid_from: 2020-01-01, "
        "valid_to: 2019-01-01}", r"contract\.outcomes\.job_start\.valid_to: ends before it starts"),
}


@pytest.mark.parametrize("kind", sorted(MORE_BROKEN))
def test_more_broken_scenarios_are_refused_before_any_computation(tmp_path, kind):
    body, expected = MORE_BROKEN[kind]
    message = problems_of(write(tmp_path, "extends: default\n" + body + "\n"))
    assert re.search(expected, message), message


# ------------------------------------------------------------------- assumptions in languages


def test_an_assumption_is_a_plain_text_or_a_text_per_language(tmp_path):
    path = write(tmp_path, """\
        extends: default
        name: texts
        assumptions:
          A1: The same text in every language.
          A2: {da: Kun på dansk.}
          A3: {en: English only.}
          A4:
            da: Dansk tekst.
            en: English text.
        """)
    sc = load_scenario(path)
    assert sc.assumptions["A1"] == "The same text in every language."
    assert sc.assumptions["A4"] == {"da": "Dansk tekst.", "en": "English text."}
    danish, english = assumption_texts(sc.assumptions, "da"), assumption_texts(sc.assumptions, "en")
    assert danish["A1"] == english["A1"] == "The same text in every language."
    assert danish["A2"] == english["A2"] == "Kun på dansk."
    assert danish["A3"] == english["A3"] == "English only."
    assert (danish["A4"], english["A4"]) == ("Dansk tekst.", "English text.")
    assert set(danish) == set(load_scenario().assumptions)  # the others are the default's


@pytest.mark.parametrize(("body", "expected"), [
    ("A3: {da: Dansk., fr: Français.}", r"assumptions\.A3: unknown language 'fr'"),
    ("A3: {dk: Dansk.}", r"assumptions\.A3: unknown language 'dk'.* da, en"),
    ("A3: {}", r"assumptions\.A3: give the text in at least one language \(da, en\)"),
    ("A3: {da: '', en: English.}", r"assumptions\.A3: the 'da' text is empty"),
    ("A3: [not, a, text]", r"assumptions\.A3: give a text, or a mapping of languages"),
])
def test_an_assumption_in_an_unknown_language_is_refused_naming_it(tmp_path, body, expected):
    message = problems_of(write(tmp_path, f"extends: default\nassumptions:\n  {body}\n"))
    assert re.search(expected, message), message


def test_a_restated_assumption_replaces_the_bases_text_in_every_language(tmp_path):
    path = write(tmp_path, """\
        extends: default
        name: longer
        assumptions:
          A1: {en: A 20-year horizon.}
          A15: A new assumption.
        """)
    sc, base = load_scenario(path), load_scenario()
    assert sc.assumptions["A1"] == {"en": "A 20-year horizon."}  # no stale Danish 10 years
    assert assumption_texts(sc.assumptions, "da")["A1"] == "A 20-year horizon."
    assert sc.assumptions["A15"] == "A new assumption."
    assert {k: v for k, v in sc.assumptions.items() if k not in ("A1", "A15")} == {
        k: v for k, v in base.assumptions.items() if k != "A1"}


def test_a_named_change_may_set_one_language_of_an_assumption(tmp_path):
    path = write(tmp_path, """\
        extends: default
        changes:
          - name: sharper Danish
            set:
              assumptions.A5.da: Borgeren starter efter godt en måned.
              assumptions.A1: One text for all.
        """)
    sc = load_scenario(path)
    assert sc.assumptions["A5"]["da"] == "Borgeren starter efter godt en måned."
    assert sc.assumptions["A5"]["en"] == load_scenario().assumptions["A5"]["en"]
    assert sc.assumptions["A1"] == "One text for all."


def test_a_text_falls_back_to_danish_then_english_then_any():
    both = {"da": "dansk", "en": "english"}
    assert in_language(both, "en") == "english"
    assert in_language(both, "en-gb") == "english"
    assert in_language(both, "da-DK") == "dansk"
    assert in_language(both, "de") == "dansk"
    assert in_language(both, None) == "dansk"
    assert in_language({"en": "english"}, "da") == "english"
    assert in_language({"da": "dansk"}, "en") == "dansk"
    assert in_language({"xx": "other"}, "en") == "other"  # whatever exists, last
    assert in_language("same", "en") == in_language("same", "da") == "same"
    texts = assumption_texts({"A1": both, "A2": "same", "A3": {"en": "only"}}, "da")
    assert texts == {"A1": "dansk", "A2": "same", "A3": "only"}


@pytest.mark.parametrize("name", ["default", "national"])
def test_every_shipped_assumption_is_written_in_danish_and_english(name):
    sc = load_scenario(name)
    assert sc.assumptions
    for key, text in sc.assumptions.items():
        assert isinstance(text, dict) and set(text) == set(LANGUAGES), key
        assert text["da"] != text["en"], key
    assert "1¼ måned" in assumption_texts(sc.assumptions, "da")["A5"]
    assert "1¼ months" in assumption_texts(sc.assumptions, "en")["A5"]


def test_the_national_roll_out_s_citizen_targets_are_the_seed_s_rates_at_its_intake():
    seed, national = load_scenario(), load_scenario("national")

    def intake(sc) -> int:
        return sum(sum(m.intake.monthly().values()) for m in sc.municipalities)

    scale = intake(national) / intake(seed)
    for code in ("3B.1", "3B.2", "3B.3", "3B.4"):
        assert national.programme.targets[code] == round(seed.programme.targets[code] * scale)
    assert national.programme.targets["partnerships"] == sum(
        m.partnerships for m in national.municipalities)


def test_a_short_horizon_gives_one_problem_a_municipality_not_one_a_month(tmp_path):
    path = write(tmp_path, "extends: default\nhorizon: {start: 2018-02, months: 12}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    intake = [p for p in info.value.problems if p.location.endswith(".intake")]
    assert len(intake) == 12  # the default's municipalities
    assert intake[0].message == "referrals in 2019-02 … 2020-08 fall outside the horizon"


def test_a_problem_s_key_path_names_list_items_by_their_id_or_code():
    from brobygger.scenario.load import named_location

    data = {"municipalities": [{"code": "101", "intake": {}}, {"code": "147"}],
            "contract": {"outcomes": [{"id": "start", "price": {"2019-01-01": -5}}]},
            "periods": [{"rows": {}}, {"rows": {}}], "mixed": [{"id": "a"}, {"x": 1}]}
    assert named_location("municipalities.1.intake", data) == "municipalities.147.intake"
    assert named_location("contract.outcomes.0.price.2019-01-01", data) == \
        "contract.outcomes.start.price.2019-01-01"
    assert named_location("periods.1.rows", data) == "periods.1.rows"  # no ids: positions
    assert named_location("mixed.0", data) == "mixed.0"  # not every item has one
    assert named_location("municipalities.5.code", data) == "municipalities.5.code"
    assert named_location("nothing.0", data) == "nothing.0"
