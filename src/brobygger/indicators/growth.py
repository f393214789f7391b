"""Enterprise growth in the social accelerator: each enterprise's figures by year, and its
cohort's median and middle half (p25–p75) to compare it with.

Growth figures are reported per period (a calendar year or part of one). They are put on
calendar years by the year the period starts in: within a year the flows (revenue, places,
hires) are summed, and the stock (FTE) is the latest period's value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass

import numpy as np

#: the measures of one enterprise-year; ``places`` = education + internship places
MEASURES: tuple[str, ...] = ("revenue", "fte", "places", "ordinary_hires", "vulnerable_hires")
MEASURE_LABELS: dict[str, str] = {
    "revenue": "Revenue (DKK)",
    "fte": "Full-time equivalents",
    "places": "Education and internship places created",
    "ordinary_hires": "Ordinary unemployed hired",
    "vulnerable_hires": "Vulnerable citizens hired",
}
_FLOWS = ("revenue", "places", "ordinary_hires", "vulnerable_hires")


@dataclass(frozen=True)
class GrowthFigure:
    """What one enterprise reported for one period (the web's ``accelerator.GrowthFigure``)."""

    enterprise: str
    period_start: dt.date
    period_end: dt.date
    revenue: float
    fte: float
    education_places: int = 0
    internship_places: int = 0
    ordinary_hires: int = 0
    vulnerable_hires: int = 0


def yearly(figures: Iterable[GrowthFigure]) -> dict[str, dict[int, dict[str, float]]]:
    """enterprise -> year -> measure -> value (years and enterprises in ascending order)."""
    out: dict[str, dict[int, dict[str, float]]] = {}
    latest: dict[tuple[str, int], dt.date] = {}
    for f in sorted(figures, key=lambda f: (f.enterprise, f.period_start)):
        year = f.period_start.year
        row = out.setdefault(f.enterprise, {}).setdefault(year, dict.fromkeys(MEASURES, 0.0))
        row["revenue"] += float(f.revenue)
        row["places"] += f.education_places + f.internship_places
        row["ordinary_hires"] += f.ordinary_hires
        row["vulnerable_hires"] += f.vulnerable_hires
        if (f.enterprise, year) not in latest or f.period_start >= latest[(f.enterprise, year)]:
            latest[(f.enterprise, year)] = f.period_start
            row["fte"] = float(f.fte)
    return out


@dataclass(frozen=True)
class Band:
    """The spread of one measure over a cohort's enterprises in one year."""

    n: int
    p25: float
    median: float
    p75: float


def cohort_bands(years: Mapping[str, Mapping[int, Mapping[str, float]]],
                 enterprises: Collection[str], measure: str) -> dict[int, Band]:
    """year -> Band of ``measure`` over the ``enterprises`` (a cohort) that reported that
    year. Percentiles are NumPy's linear interpolation between the order statistics."""
    if measure not in MEASURES:
        raise ValueError(f"measure: unknown {measure!r} (known: {', '.join(MEASURES)})")
    values: dict[int, list[float]] = {}
    for e in enterprises:
        for year, row in years.get(e, {}).items():
            values.setdefault(year, []).append(row[measure])
    out = {}
    for year in sorted(values):
        p25, med, p75 = np.percentile(values[year], [25, 50, 75])
        out[year] = Band(len(values[year]), float(p25), float(med), float(p75))
    return out


def growth_rate(years: Mapping[int, Mapping[str, float]], measure: str = "revenue") -> float | None:
    """Relative change of ``measure`` from the first to the latest reported year (0.25 is
    25 % growth); None with fewer than two years or a first value of 0."""
    if len(years) < 2:
        return None
    ordered = sorted(years)
    first, last = years[ordered[0]][measure], years[ordered[-1]][measure]
    return (last - first) / first if first else None


def enterprises_grown(years: Mapping[str, Mapping[int, Mapping[str, float]]],
                      measure: str = "revenue") -> list[str]:
    """The enterprises whose ``measure`` grew from their first to their latest year (the
    seed's "vækst hos de 18 virksomheder")."""
    rates = {e: growth_rate(rows, measure) for e, rows in years.items()}
    return [e for e, g in rates.items() if g is not None and g > 0]
