"""The schema of one parameter file, validated strictly (a misspelt key is an error)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Unit = Literal[
    "DKK/month", "DKK/week", "DKK/year", "DKK/hour", "/1", "weeks", "months", "years"
]
Number = float | int
KeyedNumbers = dict[str, Number]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Reference(_Strict):
    title: str
    href: str

    @field_validator("href")
    @classmethod
    def _is_address(cls, value: str) -> str:
        if not value.startswith(("https://", "http://")):
            raise ValueError("a reference needs the source's web address (https://…)")
        return value


class Extend(_Strict):
    """How a parameter is carried forward past its last dated value."""

    method: Literal["constant", "index"]
    parameter: str | None = None
    note: str

    @model_validator(mode="after")
    def _index_needs_parameter(self) -> Extend:
        if self.method == "index" and not self.parameter:
            raise ValueError("method 'index' needs 'parameter' (the dotted name of the rate)")
        if self.method == "constant" and self.parameter:
            raise ValueError("method 'constant' takes no 'parameter'")
        return self


class Metadata(_Strict):
    unit: Unit
    label: str | None = None
    reference: list[Reference] = Field(min_length=1)
    note: str | None = None
    extend: Extend | None = None
    keyed_by: Literal["municipality"] | None = None
    fallback: str | None = None
    threshold_unit: Unit | None = None


DatedValues = dict[dt.date, Number | KeyedNumbers | None]


class Bracket(_Strict):
    threshold: dict[dt.date, Number | None]
    rate: dict[dt.date, Number | None]


class ParameterFile(_Strict):
    description: str
    metadata: Metadata
    values: DatedValues | None = None
    brackets: list[Bracket] | None = None

    @model_validator(mode="after")
    def _values_or_brackets(self) -> ParameterFile:
        if (self.values is None) == (self.brackets is None):
            raise ValueError("a parameter has exactly one of 'values' and 'brackets'")
        if self.values is not None and not self.values:
            raise ValueError("'values' is empty")
        keyed = self.metadata.keyed_by is not None
        for date, value in (self.values or {}).items():
            if value is None:
                continue
            if keyed != isinstance(value, dict):
                kind = "a mapping by key" if keyed else "a number"
                raise ValueError(f"value at {date} must be {kind}")
            numbers = value.values() if isinstance(value, dict) else [value]
            for number in numbers:
                if number < 0:
                    raise ValueError(f"value at {date} is negative ({number})")
        if self.metadata.fallback and not keyed:
            raise ValueError("'fallback' is only for keyed parameters")
        if self.brackets is not None and self.metadata.threshold_unit is None:
            raise ValueError("a staircase ('brackets') needs metadata.threshold_unit")
        for index, bracket in enumerate(self.brackets or []):
            for date, rate in bracket.rate.items():
                if rate is not None and rate < 0:
                    raise ValueError(f"brackets[{index}].rate at {date} is negative ({rate})")
        return self
