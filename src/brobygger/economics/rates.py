"""Dated parameters turned into monthly arrays over a horizon.

Every public-finance figure comes from the parameter tree (dated, sourced YAML); this module
only converts units and evaluates them month by month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from brobygger.errors import ParameterError, Problem
from brobygger.params import ParameterTree, StaircaseValue

WEEKS_PER_YEAR = 52.0
MONTHS_PER_YEAR = 12.0
WEEKS_PER_MONTH = WEEKS_PER_YEAR / MONTHS_PER_YEAR

#: how a value in each unit becomes an amount per month
_PER_MONTH = {
    "DKK/month": 1.0,
    "DKK/week": WEEKS_PER_MONTH,
    "DKK/year": 1.0 / MONTHS_PER_YEAR,
}

P_AM = "taxes.am_bidrag"
P_BUNDSKAT = "taxes.bundskat"
P_SUNDHEDSBIDRAG = "taxes.sundhedsbidrag"
P_PERSONFRADRAG = "taxes.personfradrag"
P_BESKF_RATE = "taxes.beskaeftigelsesfradrag.rate"
P_BESKF_MAX = "taxes.beskaeftigelsesfradrag.max"
P_JOBF_RATE = "taxes.jobfradrag.rate"
P_JOBF_MAX = "taxes.jobfradrag.max"
P_JOBF_THRESHOLD = "taxes.jobfradrag.threshold"
P_KOMMUNESKAT = "taxes.kommuneskat"
P_STAIRCASE = "refund.staircase"
P_RESET_WEEKS = "refund.reset_selfsupport_weeks"


def monthly_amounts(params: ParameterTree, name: str, months: Sequence[dt.date]) -> np.ndarray:
    """A money parameter as DKK per month for each month."""
    leaf = params.get(name)
    factor = _PER_MONTH.get(leaf.unit)
    if factor is None:
        raise ParameterError(
            Problem(name, "", f"unit {leaf.unit!r} is not an amount per period")
        )
    return np.array(params.series(name, list(months)), dtype=float) * factor


def rates(params: ParameterTree, name: str, months: Sequence[dt.date]) -> np.ndarray:
    leaf = params.get(name)
    if leaf.unit != "/1":
        raise ParameterError(Problem(name, "", f"expected a rate (unit /1), got {leaf.unit!r}"))
    return np.array(params.series(name, list(months)), dtype=float)


def keyed_rates(
    params: ParameterTree, name: str, keys: Sequence[str], months: Sequence[dt.date]
) -> dict[str, np.ndarray]:
    """A keyed rate (e.g. kommuneskat by kommunekode) for each key and month: the
    parameter is looked up once a month, not once a month for every key."""
    values = [params.value(name, m) for m in months]
    return {key: np.array([float(v[key]) for v in values]) for key in keys}


def refund_rate_by_month_on_support(staircase: StaircaseValue, months_cap: int) -> np.ndarray:
    """The state's refund share for the (b+1)-th month on support, b = 0..months_cap.

    The staircase is written in weeks; month b+1 covers weeks (b·52/12, (b+1)·52/12], so its
    rate is the staircase averaged over that interval (e.g. the first month: 4 weeks at 80 %
    and a third of a week at 40 %).
    """
    thresholds = np.array(staircase.thresholds)
    rate = np.array(staircase.rates)
    if thresholds[-1] > months_cap * WEEKS_PER_MONTH:
        raise ParameterError(Problem(P_STAIRCASE, "", f"a band starts after week "
                                     f"{months_cap * WEEKS_PER_MONTH:g}; the refund chain "
                                     f"counts only {months_cap} months on support"))
    upper = np.append(thresholds[1:], np.inf)
    out = np.empty(months_cap + 1)
    for b in range(months_cap + 1):
        lo, hi = b * WEEKS_PER_MONTH, (b + 1) * WEEKS_PER_MONTH
        overlap = np.clip(np.minimum(hi, upper) - np.maximum(lo, thresholds), 0, None)
        out[b] = float(overlap @ rate) / WEEKS_PER_MONTH
    return out


def refund_rates(
    params: ParameterTree, months: Sequence[dt.date], months_cap: int
) -> np.ndarray:
    """(T, months_cap+1): the refund share per calendar month and months on support."""
    leaf = params.get(P_STAIRCASE)
    cache: dict[StaircaseValue, np.ndarray] = {}
    out = np.empty((len(months), months_cap + 1))
    for t, m in enumerate(months):
        value = leaf.at(m, params)
        assert isinstance(value, StaircaseValue)
        if value not in cache:
            cache[value] = refund_rate_by_month_on_support(value, months_cap)
        out[t] = cache[value]
    return out


def reset_months(params: ParameterTree, date: dt.date) -> int:
    """Months of self-support after which the staircase count starts again (52 weeks → 12)."""
    weeks = float(params.value(P_RESET_WEEKS, date))
    return round(weeks / WEEKS_PER_MONTH)


@dataclass(frozen=True)
class TaxRates:
    """Monthly tax rules over the horizon (all arrays of length T)."""

    am: np.ndarray
    bundskat: np.ndarray
    sundhedsbidrag: np.ndarray
    personfradrag: np.ndarray  # DKK per month
    beskf_rate: np.ndarray
    beskf_max: np.ndarray  # DKK per month
    jobf_rate: np.ndarray
    jobf_max: np.ndarray  # DKK per month
    jobf_threshold: np.ndarray  # DKK per month

    @classmethod
    def load(cls, params: ParameterTree, months: Sequence[dt.date]) -> TaxRates:
        return cls(
            am=rates(params, P_AM, months),
            bundskat=rates(params, P_BUNDSKAT, months),
            sundhedsbidrag=rates(params, P_SUNDHEDSBIDRAG, months),
            personfradrag=monthly_amounts(params, P_PERSONFRADRAG, months),
            beskf_rate=rates(params, P_BESKF_RATE, months),
            beskf_max=monthly_amounts(params, P_BESKF_MAX, months),
            jobf_rate=rates(params, P_JOBF_RATE, months),
            jobf_max=monthly_amounts(params, P_JOBF_MAX, months),
            jobf_threshold=monthly_amounts(params, P_JOBF_THRESHOLD, months),
        )
