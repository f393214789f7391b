"""The 98 Danish municipalities (kommuner) with official code, name and region."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from brobygger.errors import BrobyggerError, Problem, schema_problems
from brobygger.yamlio import load_yaml

Region = Literal["Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland"]


class Municipality(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    code: str
    name: str
    region: Region

    @field_validator("code")
    @classmethod
    def _three_digits(cls, value: str) -> str:
        if len(value) != 3 or not value.isdigit():
            raise ValueError("a kommunekode has three digits, e.g. '101'")
        return value


class _Source(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    title: str
    href: str


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    source: _Source
    valid_from: dt.date | None = None
    municipalities: list[Municipality]


@dataclass(frozen=True)
class MunicipalityRegister:
    by_code: dict[str, Municipality]
    source_title: str
    source_href: str

    def __getitem__(self, code: str) -> Municipality:
        try:
            return self.by_code[code]
        except KeyError:
            raise BrobyggerError(Problem("municipalities", code, "unknown kommunekode")) from None

    def __contains__(self, code: object) -> bool:
        return code in self.by_code

    def __len__(self) -> int:
        return len(self.by_code)

    def __iter__(self):
        return iter(self.by_code.values())


def load_municipalities(path: Path | str | None = None) -> MunicipalityRegister:
    default = resources.files("brobygger") / "data" / "municipalities.yaml"
    path = Path(path) if path else Path(str(default))
    raw = load_yaml(path)
    try:
        spec = _File.model_validate(raw)
    except ValidationError as exc:
        raise BrobyggerError(schema_problems(exc, str(path))) from exc
    by_code: dict[str, Municipality] = {}
    problems = []
    for i, m in enumerate(spec.municipalities):
        if m.code in by_code:
            problems.append(Problem(str(path), f"municipalities.{i}.code", f"duplicate {m.code}"))
        by_code[m.code] = m
    if problems:
        raise BrobyggerError(problems)
    return MunicipalityRegister(by_code, spec.source.title, spec.source.href)


@cache
def municipalities() -> MunicipalityRegister:
    """The shipped register, loaded once per process."""
    return load_municipalities()
