"""Enterprise growth by year and against its cohort: hand cases."""

from __future__ import annotations

import datetime as dt

import pytest

from brobygger.indicators import GrowthFigure, cohort_bands, enterprises_grown, growth_rate, yearly


def fig(enterprise: str, year: int, revenue: float, fte: float, *, half: int = 0,
        places: int = 0, hires: int = 0) -> GrowthFigure:
    start = dt.date(year, 7 if half == 2 else 1, 1)
    end = dt.date(year, 6, 30) if half == 1 else dt.date(year, 12, 31)
    return GrowthFigure(enterprise, start, end, revenue, fte, education_places=places,
                        internship_places=1 if places else 0, ordinary_hires=hires)


def test_yearly_sums_flows_and_keeps_the_latest_fte():
    years = yearly([fig("a", 2019, 100, 3, half=2, places=1), fig("a", 2019, 50, 2, half=1),
                    fig("a", 2020, 200, 4, hires=2)])
    assert years["a"][2019] == {"revenue": 150, "fte": 3, "places": 2, "ordinary_hires": 0,
                                "vulnerable_hires": 0}
    assert years["a"][2020]["ordinary_hires"] == 2


def test_cohort_bands_are_median_and_quartiles_of_those_reporting():
    years = yearly([fig("a", 2019, 100, 1), fig("b", 2019, 200, 2), fig("c", 2019, 300, 3),
                    fig("d", 2019, 400, 4), fig("e", 2019, 1000, 9), fig("a", 2020, 10, 1)])
    bands = cohort_bands(years, ["a", "b", "c", "d"], "revenue")
    assert bands[2019].n == 4
    assert (bands[2019].p25, bands[2019].median, bands[2019].p75) == (175, 250, 325)
    assert bands[2020].n == 1 and bands[2020].median == 10
    with pytest.raises(ValueError, match="measure"):
        cohort_bands(years, ["a"], "profit")


def test_growth_from_first_to_latest_year():
    years = yearly([fig("a", 2018, 100, 1), fig("a", 2020, 125, 1), fig("b", 2018, 100, 1),
                    fig("b", 2019, 90, 1), fig("c", 2019, 50, 1), fig("z", 2018, 0, 1),
                    fig("z", 2019, 10, 1)])
    assert growth_rate(years["a"]) == 0.25
    assert growth_rate(years["c"]) is None  # one year
    assert growth_rate(years["z"]) is None  # from nothing
    assert enterprises_grown(years) == ["a"]
