"""Dated parameters as a read-only tree queried by date.

``load_parameters()`` reads every YAML file under ``data/params``; the file's path is the
parameter's dotted name. ``tree.at("2020-03-01")`` gives a snapshot with attribute access::

    >>> params = load_parameters()
    >>> params.at("2020-03-01").taxes.am_bidrag
    0.08

A date before the first value, after a ``null`` (the parameter ended) or after the last
value of a parameter that does not declare ``extend`` raises :class:`ParameterError` naming
the parameter and the date.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import ValidationError

from brobygger.errors import ParameterError, Problem, schema_problems
from brobygger.params.files import Extend, Metadata, ParameterFile
from brobygger.yamlio import load_yaml

DateLike = dt.date | str


def as_date(value: DateLike) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise ParameterError(Problem("", "", f"not an ISO date: {value!r}")) from exc


@dataclass(frozen=True)
class Series:
    """Dated values of one quantity: the value at d is the last one dated on or before d."""

    name: str
    dates: tuple[dt.date, ...]
    values: tuple[Any, ...]
    extend: Extend | None = None

    @classmethod
    def from_mapping(cls, name: str, mapping: Mapping[dt.date, Any], extend: Extend | None):
        items = sorted(mapping.items())
        return cls(name, tuple(d for d, _ in items), tuple(v for _, v in items), extend)

    def locate(self, date: dt.date) -> tuple[dt.date, Any]:
        i = bisect.bisect_right(self.dates, date) - 1
        if i < 0:
            raise ParameterError(
                Problem(self.name, str(date), f"no value before {self.dates[0]} (first known)",
                        "no_value_before", (("first", str(self.dates[0])),))
            )
        if self.values[i] is None:
            raise ParameterError(
                Problem(self.name, str(date), f"the parameter ended on {self.dates[i]}",
                        "parameter_ended", (("ended", str(self.dates[i])),))
            )
        return self.dates[i], self.values[i]


@dataclass(frozen=True)
class Parameter:
    """One dated parameter (a leaf of the tree)."""

    name: str
    source: str
    description: str
    metadata: Metadata
    series: Series
    coverage_end: dt.date | None = None  # last date with a known value, None if open-ended

    @property
    def unit(self) -> str:
        return self.metadata.unit

    def at(self, date: DateLike, tree: ParameterTree | None = None) -> Any:
        date = as_date(date)
        start, value = self.series.locate(date)
        if self.coverage_end is not None and date > self.coverage_end:
            extend = self.metadata.extend
            if extend is None:
                raise ParameterError(
                    Problem(
                        self.name,
                        str(date),
                        f"no value after {self.coverage_end} (last known year) and no 'extend' "
                        "rule in the file",
                    )
                )
            if extend.method == "index":
                if tree is None:
                    raise ParameterError(Problem(self.name, str(date), "indexing needs the tree"))
                for year in range(start.year + 1, date.year + 1):
                    rate = tree.value(extend.parameter or "", dt.date(year, 1, 1))
                    value = _scale(value, 1.0 + float(rate))
        if isinstance(value, dict):
            return KeyedValue(self.name, date, value, self.metadata.fallback)
        return value


def _scale(value: Any, factor: float) -> Any:
    if isinstance(value, dict):
        return {k: v * factor for k, v in value.items()}
    return value * factor


@dataclass(frozen=True)
class KeyedValue(Mapping[str, float]):
    """A parameter's value per key (municipality code) at one date, with its fallback."""

    name: str
    date: dt.date
    by_key: Mapping[str, float]
    fallback: str | None = None

    def __getitem__(self, key: str) -> float:
        if key in self.by_key:
            return self.by_key[key]
        if self.fallback is not None and self.fallback in self.by_key:
            return self.by_key[self.fallback]
        raise ParameterError(Problem(self.name, f"{self.date} [{key}]", "no value for this key"))

    def __iter__(self) -> Iterator[str]:
        return iter(self.by_key)

    def __len__(self) -> int:
        return len(self.by_key)

    def has_own(self, key: str) -> bool:
        return key in self.by_key


@dataclass(frozen=True)
class StaircaseValue:
    """A staircase at one date: ``rate_for(x)`` is the rate of the band holding x."""

    thresholds: tuple[float, ...]
    rates: tuple[float, ...]

    def rate_for(self, amount: float) -> float:
        i = bisect.bisect_right(self.thresholds, amount) - 1
        return self.rates[max(i, 0)]


@dataclass(frozen=True)
class Staircase:
    """A parameter of dated brackets, each with a dated threshold and a dated rate."""

    name: str
    source: str
    description: str
    metadata: Metadata
    thresholds: tuple[Series, ...]
    rates: tuple[Series, ...]

    @property
    def unit(self) -> str:
        return self.metadata.unit

    def at(self, date: DateLike, tree: ParameterTree | None = None) -> StaircaseValue:
        date = as_date(date)
        return StaircaseValue(
            tuple(float(s.locate(date)[1]) for s in self.thresholds),
            tuple(float(s.locate(date)[1]) for s in self.rates),
        )


Leaf = Parameter | Staircase


@dataclass(frozen=True)
class ParameterTree:
    """All parameters by dotted name; ``at(date)`` gives a read-only snapshot."""

    leaves: Mapping[str, Leaf]
    root: str = ""
    _children: dict[str, set[str]] = field(default_factory=dict, compare=False, repr=False)

    def get(self, name: str) -> Leaf:
        try:
            return self.leaves[name]
        except KeyError:
            raise ParameterError(Problem(name, "", "no such parameter",
                                         "unknown_parameter")) from None

    def series(self, name: str, dates: list[dt.date]) -> list[Any]:
        """The values of one parameter on many dates (one search for all of them)."""
        leaf = self.get(name)
        if isinstance(leaf, Parameter) and dates and (
            leaf.coverage_end is None or max(dates) <= leaf.coverage_end
        ) and dates[0] >= leaf.series.dates[0] and None not in leaf.series.values:
            idx = np.searchsorted(np.array(leaf.series.dates, dtype="datetime64[D]"),
                                  np.array(dates, dtype="datetime64[D]"), side="right") - 1
            values = leaf.series.values
            if leaf.metadata.keyed_by is None:
                return [values[i] for i in idx]
        if not isinstance(leaf, Parameter) or leaf.coverage_end is None:
            return [leaf.at(d, self) for d in dates]
        # after the last known value a parameter is extended year by year: one look-up a
        # year, not one a date (each looks up the index rates of every year before it)
        by_year: dict[int, Any] = {}
        out = []
        for d in map(as_date, dates):
            if d <= leaf.coverage_end:
                out.append(leaf.at(d, self))
                continue
            if d.year not in by_year:
                by_year[d.year] = leaf.at(d, self)
            value = by_year[d.year]
            if isinstance(value, KeyedValue):
                value = KeyedValue(value.name, d, value.by_key, value.fallback)
            out.append(value)
        return out

    def value(self, name: str, date: DateLike) -> Any:
        """The value of one parameter at a date (a number, a KeyedValue or a staircase)."""
        return self.get(name).at(date, self)

    def at(self, date: DateLike) -> Snapshot:
        return Snapshot(self, as_date(date), "")

    def names(self, prefix: str = "") -> list[str]:
        dotted = prefix + "." if prefix else ""
        return sorted(n for n in self.leaves if not prefix or n == prefix or n.startswith(dotted))


@dataclass(frozen=True)
class Snapshot:
    """The tree at one date; attributes walk the tree, leaves give their value."""

    tree: ParameterTree
    date: dt.date
    prefix: str

    def __getattr__(self, part: str) -> Any:
        if part.startswith("_"):
            raise AttributeError(part)
        name = f"{self.prefix}.{part}" if self.prefix else part
        if name in self.tree.leaves:
            return self.tree.leaves[name].at(self.date, self.tree)
        if any(n.startswith(name + ".") for n in self.tree.leaves):
            return Snapshot(self.tree, self.date, name)
        raise ParameterError(Problem(name, str(self.date), "no such parameter",
                                     "unknown_parameter"))

    def __getitem__(self, name: str) -> Any:
        full = f"{self.prefix}.{name}" if self.prefix else name
        return self.tree.value(full, self.date)


def _parse_file(path: Path, root: Path) -> tuple[Leaf | None, list[Problem]]:
    name = ".".join(path.relative_to(root).with_suffix("").parts)
    source = str(path)
    raw = load_yaml(path, ParameterError)
    try:
        spec = ParameterFile.model_validate(raw)
    except ValidationError as exc:
        return None, schema_problems(exc, source)
    meta = spec.metadata
    if spec.values is not None:
        series = Series.from_mapping(name, spec.values, meta.extend)
        open_ended = series.values[-1] is not None
        coverage_end = _end_of_year(series.dates[-1]) if open_ended else None
        if meta.extend and not open_ended:
            return None, [Problem(source, "metadata.extend", "an ended parameter cannot extend")]
        return Parameter(name, source, spec.description, meta, series, coverage_end), []
    assert spec.brackets is not None
    problems: list[Problem] = []
    thresholds = tuple(
        Series.from_mapping(name, b.threshold, None) for b in spec.brackets
    )
    rates = tuple(Series.from_mapping(name, b.rate, None) for b in spec.brackets)
    dates = sorted({d for s in thresholds for d in s.dates})
    for date in dates:
        known = [s for s in thresholds if s.dates[0] <= date]
        values = [s.locate(date)[1] for s in known if s.locate(date)[1] is not None]
        if values != sorted(values) or len(set(values)) != len(values):
            problems.append(
                Problem(source, f"brackets (at {date})", "thresholds must strictly ascend")
            )
    staircase = Staircase(name, source, spec.description, meta, thresholds, rates)
    return (None if problems else staircase), problems


def _end_of_year(date: dt.date) -> dt.date:
    """A dated value is taken as known to the end of the calendar year it starts in."""
    return dt.date(date.year, 12, 31)


def load_parameters(directory: Path | str | None = None) -> ParameterTree:
    """Load every parameter file under ``directory`` (default: the shipped parameters).

    Every problem in every file is collected and raised together.
    """
    root = Path(directory) if directory is not None else default_params_dir()
    if not root.is_dir():
        raise ParameterError(Problem(str(root), "", "parameter directory not found"))
    leaves: dict[str, Leaf] = {}
    problems: list[Problem] = []
    for path in sorted(root.rglob("*.yaml")):
        try:
            leaf, found = _parse_file(path, root)
        except ParameterError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(found)
        if leaf is not None:
            leaves[leaf.name] = leaf
    for leaf in leaves.values():
        extend = leaf.metadata.extend
        if extend and extend.parameter and extend.parameter not in leaves:
            problems.append(
                Problem(leaf.source, "metadata.extend.parameter",
                        f"unknown parameter {extend.parameter!r}")
            )
    if problems:
        raise ParameterError(problems)
    return ParameterTree(leaves)


def default_params_dir() -> Path:
    return Path(str(resources.files("brobygger") / "data" / "params"))


@cache
def default_parameters() -> ParameterTree:
    """The shipped parameters, loaded once per process."""
    return load_parameters()
