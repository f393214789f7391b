"""The dated parameter tree: look-ups on date boundaries, and one broken file per error kind."""

from __future__ import annotations

import datetime as dt
import re
import textwrap
from pathlib import Path

import pytest

from brobygger.errors import ParameterError
from brobygger.params import default_parameters, load_parameters

GOOD = """\
description: a benefit
metadata:
  unit: DKK/month
  reference: [{title: source, href: "https://example.org/satser"}]
values:
  2019-01-01: 100
  2020-01-01: 110
"""


def write(root: Path, name: str, text: str) -> Path:
    path = root / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def errors_of(root: Path) -> str:
    with pytest.raises(ParameterError) as info:
        load_parameters(root)
    return str(info.value)


def test_a_value_applies_from_its_date_to_the_day_before_the_next(tmp_path):
    write(tmp_path, "benefits/x", GOOD)
    tree = load_parameters(tmp_path)
    assert tree.at("2019-12-31").benefits.x == 100
    assert tree.at("2020-01-01").benefits.x == 110
    assert tree.value("benefits.x", dt.date(2020, 12, 31)) == 110


def test_a_date_before_the_first_value_names_the_parameter_and_the_date(tmp_path):
    write(tmp_path, "benefits/x", GOOD)
    with pytest.raises(ParameterError, match=r"benefits\.x: 2018-12-31: no value before"):
        _ = load_parameters(tmp_path).at("2018-12-31").benefits.x


def test_a_date_past_the_last_known_year_is_an_error_without_an_extend_rule(tmp_path):
    write(tmp_path, "benefits/x", GOOD)
    with pytest.raises(ParameterError, match=r"benefits\.x: 2021-01-01: no value after 2020-12-31"):
        load_parameters(tmp_path).value("benefits.x", "2021-01-01")


def test_an_indexed_parameter_grows_by_the_cited_rate_each_new_year(tmp_path):
    write(tmp_path, "benefits/x", GOOD.replace(
        "values:", "  extend: {method: index, parameter: indexation.rate, note: satsregulering}"
                   "\nvalues:"))
    write(tmp_path, "indexation/rate", """\
        description: yearly rate
        metadata:
          unit: /1
          reference: [{title: s, href: "https://example.org/r"}]
          extend: {method: constant, note: last published}
        values: {2020-01-01: 0.02, 2021-01-01: 0.05}
        """)
    tree = load_parameters(tmp_path)
    assert tree.value("benefits.x", "2021-06-01") == pytest.approx(110 * 1.05)
    assert tree.value("benefits.x", "2022-06-01") == pytest.approx(110 * 1.05 * 1.05)


def test_a_null_value_ends_the_parameter(tmp_path):
    write(tmp_path, "benefits/x", GOOD + "  2021-07-01: null\n")
    tree = load_parameters(tmp_path)
    assert tree.value("benefits.x", "2021-06-30") == 110
    with pytest.raises(ParameterError, match="ended on 2021-07-01"):
        tree.value("benefits.x", "2021-07-01")


def test_a_keyed_parameter_falls_back_to_the_average_only_when_the_file_says_so(tmp_path):
    text = """\
        description: kommuneskat
        metadata:
          unit: /1
          keyed_by: municipality
          fallback: average
          reference: [{title: s, href: "https://example.org/k"}]
        values: {2020-01-01: {"101": 0.236, average: 0.25}}
        """
    write(tmp_path, "taxes/kommuneskat", text)
    value = load_parameters(tmp_path).at("2020-05-01").taxes.kommuneskat
    assert value["101"] == 0.236
    assert value["860"] == 0.25
    write(tmp_path, "taxes/kommuneskat", textwrap.dedent(text).replace("  fallback: average\n", ""))
    with pytest.raises(ParameterError, match=r"\[860\]: no value for this key"):
        _ = load_parameters(tmp_path).at("2020-05-01").taxes.kommuneskat["860"]


def test_the_staircase_gives_the_rate_of_the_band(tmp_path):
    write(tmp_path, "refund/staircase", """\
        description: refusionstrappe
        metadata:
          unit: /1
          threshold_unit: weeks
          reference: [{title: s, href: "https://example.org/r"}]
        brackets:
          - {threshold: {2016-01-04: 0}, rate: {2016-01-04: 0.8}}
          - {threshold: {2016-01-04: 4}, rate: {2016-01-04: 0.4}}
        """)
    stairs = load_parameters(tmp_path).at("2020-01-01").refund.staircase
    assert stairs.rate_for(3) == 0.8
    assert stairs.rate_for(4) == 0.4


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("malformed YAML", "description: [unclosed\n", r"x\.yaml: line \d+.*malformed YAML"),
        ("misspelt key", GOOD.replace("metadata:", "metdata:"), r"metdata: Extra inputs"),
        ("unknown unit", GOOD.replace("DKK/month", "DKK/fortnight"), r"metadata\.unit"),
        ("negative rate", GOOD.replace("110", "-110"), r"negative \(-110\)"),
        ("duplicate date", GOOD + "  2020-01-01: 120\n", r"duplicate key.*2020, 1, 1"),
        ("no source", GOOD.replace(
            '  reference: [{title: source, href: "https://example.org/satser"}]\n', ""),
         r"metadata\.reference"),
        ("source without address", GOOD.replace("https://example.org/satser", "bm.dk"),
         r"reference\.0\.href"),
        ("extend without rate", GOOD.replace(
            "values:", "  extend: {method: index, note: x}\nvalues:"), r"needs 'parameter'"),
        ("both values and brackets", GOOD + "brackets: []\n", r"exactly one of"),
        ("no values", GOOD.split("values:")[0] + "values: {}\n", r"'values' is empty"),
        ("a mapping where a number is due", GOOD.replace("110", "{'101': 110}"),
         r"value at 2020-01-01 must be a number"),
        ("a number where a mapping is due", GOOD.replace(
            "  unit: DKK/month", "  unit: DKK/month\n  keyed_by: municipality"),
         r"value at 2019-01-01 must be a mapping by key"),
        ("a fallback for a single value", GOOD.replace(
            "  unit: DKK/month", "  unit: DKK/month\n  fallback: average"),
         r"'fallback' is only for keyed parameters"),
        ("a staircase without its threshold unit", GOOD.split("values:")[0]
         + "brackets:\n  - {threshold: {2016-01-04: 0}, rate: {2016-01-04: 0.8}}\n",
         r"a staircase \('brackets'\) needs metadata\.threshold_unit"),
        ("a negative staircase rate", GOOD.split("values:")[0].replace(
            "  unit: DKK/month", "  unit: /1\n  threshold_unit: weeks")
         + "brackets:\n  - {threshold: {2016-01-04: 0}, rate: {2016-01-04: -0.8}}\n",
         r"brackets\[0\]\.rate at 2016-01-04 is negative \(-0\.8\)"),
    ],
)
def test_a_broken_file_is_refused_with_its_name_and_key_path(tmp_path, kind, text, expected):
    write(tmp_path, "benefits/x", text)
    message = errors_of(tmp_path)
    assert "x.yaml" in message, kind
    assert re.search(expected, message), message
    assert "Value error" not in message  # a check's own words, not pydantic's wrapping


def test_every_broken_file_is_reported_at_once(tmp_path):
    write(tmp_path, "a", GOOD.replace("metadata:", "metdata:"))
    write(tmp_path, "b", GOOD.replace("110", "-110"))
    message = errors_of(tmp_path)
    assert "a.yaml" in message and "b.yaml" in message


def test_thresholds_must_ascend(tmp_path):
    write(tmp_path, "refund/staircase", """\
        description: broken
        metadata:
          unit: /1
          threshold_unit: weeks
          reference: [{title: s, href: "https://example.org/r"}]
        brackets:
          - {threshold: {2016-01-04: 4}, rate: {2016-01-04: 0.8}}
          - {threshold: {2016-01-04: 0}, rate: {2016-01-04: 0.4}}
        """)
    assert "thresholds must strictly ascend" in errors_of(tmp_path)


def test_the_shipped_parameters_cover_the_programme_and_horizon():
    tree = default_parameters()
    for year in range(2018, 2028):
        snap = tree.at(dt.date(year, 6, 1))
        assert 0.07 < snap.taxes.am_bidrag < 0.09
        assert snap.benefits.kontanthjaelp.over_30_other > 10000
        assert snap.refund.staircase.rates == (0.8, 0.4, 0.3, 0.2)
        assert 0.2 < snap.taxes.kommuneskat["101"] < 0.3
    assert tree.value("discount.rate", "2020-12-31") == 0.04
    assert tree.value("discount.rate", "2021-01-07") == 0.035
    for name in tree.names():
        assert tree.get(name).metadata.reference[0].href.startswith("http")


def test_a_series_over_a_horizon_past_the_known_years_is_each_date_s_value():
    """series() extends a parameter once a year past its last known value; every date still
    gets exactly the value at() gives it (keyed values carry their own date)."""
    tree = default_parameters()
    months = [dt.date(2018 + k // 12, 1 + k % 12, 1) for k in range(12 * 14)]  # to 2031
    extended = [n for n in tree.names() if getattr(tree.get(n), "coverage_end", None)
                and tree.get(n).metadata.extend is not None]
    assert extended, "the shipped parameters have some extended past their known years"
    for name in extended:
        series = tree.series(name, months)
        for d, value in zip(months, series, strict=True):
            expected = tree.value(name, d)
            if hasattr(expected, "by_key"):
                assert (value.by_key, value.date) == (expected.by_key, d), (name, d)
            else:
                assert value == expected, (name, d)
