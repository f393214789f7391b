"""Dated public-finance parameters: ``load_parameters().at(date)``."""

from __future__ import annotations

from brobygger.params.tree import (
    KeyedValue,
    Parameter,
    ParameterTree,
    Snapshot,
    Staircase,
    StaircaseValue,
    as_date,
    default_parameters,
    load_parameters,
)

__all__ = [
    "KeyedValue",
    "Parameter",
    "ParameterTree",
    "Snapshot",
    "Staircase",
    "StaircaseValue",
    "as_date",
    "default_parameters",
    "load_parameters",
]
