"""A contract file: the schema's :class:`Contract` plus what settlement needs beside it.

The rate card itself (outcomes, prices, payers, payees, caps, lags) is the scenario schema's
``Contract``; it is not repeated here. A contract file may add:

- ``partnerships``: who is in each partnership (municipality, other actor, social
  enterprise) and, optionally, a partnership's own cap that replaces ``caps.per_partnership``;
- ``investor``: the investor who pre-finances the providers (see ``payments.investor``).

A file is either ``{contract: …, partnerships: …, investor: …}`` or a scenario file
(recognised by its ``programme`` key, or by ``extends`` or ``changes``), whose resolved
``contract`` is used. A scenario's ``investor`` is a plan (drawdowns by month, no
providers), so it is not the file's investor.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from brobygger.errors import BrobyggerError, Problem, schema_problems
from brobygger.scenario.schema import ENTERPRISE_TRIGGERS, Contract
from brobygger.yamlio import load_yaml


class ContractError(BrobyggerError):
    """A contract file does not validate, or its caps contradict each other."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _kommunekode(code: str) -> str:
    from brobygger.municipalities import municipalities

    if code not in municipalities():  # said as the scenario checker says it
        raise PydanticCustomError("unknown_municipality", "unknown kommunekode {code}",
                                  {"code": repr(code)})
    return code


class Partnership(_Strict):
    id: str
    municipality: Annotated[str, AfterValidator(_kommunekode)]  # kommunekode, e.g. "101"
    other_actor: str
    social_enterprise: str
    cap: Annotated[float, Field(ge=0)] | None = None  # replaces caps.per_partnership


def _month(text: str) -> str:
    """``YYYY-MM``, said as the scenario's months are when it is not one."""
    if not re.fullmatch(r"[0-9]{4}-(0[1-9]|1[0-2])", text):
        raise PydanticCustomError("not_a_month", "{value} is not a month (YYYY-MM)",
                                  {"value": repr(text)})
    return text


class Drawdown(_Strict):
    month: Annotated[str, AfterValidator(_month)]  # YYYY-MM
    amount: Annotated[float, Field(gt=0)]
    provider: str  # the account drawing it, e.g. other_actor:aa-1


class Investor(_Strict):
    """Pre-financing and how outcome payments repay it (see ``payments.investor``)."""

    id: str
    drawdowns: list[Drawdown] = []
    share_of_payments: Annotated[float, Field(gt=0, le=1)] = 1.0
    return_rate: Annotated[float, Field(ge=0, lt=1)] = 0.0  # a year, compounded monthly
    success_fee_share: Annotated[float, Field(ge=0, le=1)] = 0.0


class ContractFile(_Strict):
    contract: Contract
    partnerships: list[Partnership] = []
    investor: Investor | None = None
    source: str = ""

    def partnership(self, pid: str) -> Partnership | None:
        return next((p for p in self.partnerships if p.id == pid), None)


def check_contract(cf: ContractFile, source: str = "") -> list[Problem]:
    """Contradictions the models cannot see one field at a time; every problem at once."""
    source = source or cf.source
    problems: list[Problem] = []
    c = cf.contract
    caps = c.caps
    ids = [o.id for o in c.outcomes]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        problems.append(Problem(source, "contract.outcomes", f"outcome id {dup!r} is used twice",
                                "outcome_id_twice", (("id", repr(dup)),)))
    for n, o in enumerate(c.outcomes):
        where = f"contract.outcomes.{n} ({o.id})"
        if o.valid_from and o.valid_to and o.valid_to < o.valid_from:
            problems.append(Problem(source, where, f"valid_to {o.valid_to} is before "
                                    f"valid_from {o.valid_from}", "valid_order",
                                    (("valid_to", str(o.valid_to)),
                                     ("valid_from", str(o.valid_from)))))
        if isinstance(o.price, dict) and not o.price:
            problems.append(Problem(source, f"{where}.price", "no price given", "no_price"))
        if o.payer == "investor" and cf.investor is None:
            problems.append(Problem(source, f"{where}.payer", "the payer is 'investor' but the "
                                    "file has no investor block", "investor_payer"))
        if o.trigger.type in ENTERPRISE_TRIGGERS and set(o.payees) != {"social_enterprise"}:
            problems.append(Problem(source, f"{where}.payees", "an enterprise-side outcome is "
                                    "paid to the social_enterprise", "enterprise_payees"))
    pids = [p.id for p in cf.partnerships]
    for dup in sorted({i for i in pids if pids.count(i) > 1}):
        problems.append(Problem(source, "partnerships", f"partnership {dup!r} is listed twice",
                                "partnership_twice", (("partnership", repr(dup)),)))
    for n, p in enumerate(cf.partnerships):
        if p.cap is None:
            continue
        where = f"partnerships.{n} ({p.id}).cap"
        cap = _plain(p.cap)
        if caps.per_participant is not None and p.cap < caps.per_participant:
            other = _plain(caps.per_participant)
            problems.append(Problem(source, where, f"caps contradict each other: the "
                                    f"partnership cap {cap} is below the per-participant "
                                    f"cap {other}", "partnership_cap_below",
                                    (("cap", cap), ("other_cap", other))))
        if caps.per_contract is not None and p.cap > caps.per_contract:
            other = _plain(caps.per_contract)
            problems.append(Problem(source, where, f"caps contradict each other: the "
                                    f"partnership cap {cap} is above the per-contract cap "
                                    f"{other}", "partnership_cap_above",
                                    (("cap", cap), ("other_cap", other))))
    if cf.investor is not None:
        providers = {f"{kind}:{getattr(p, kind)}" for p in cf.partnerships
                     for kind in ("other_actor", "social_enterprise")}
        for n, d in enumerate(cf.investor.drawdowns):
            kind, _, ident = d.provider.partition(":")
            if kind not in ("other_actor", "social_enterprise") or not ident or (
                    providers and d.provider not in providers):
                problems.append(Problem(
                    source, f"investor.drawdowns.{n}.provider",
                    f"{d.provider!r} is not a provider of the file's partnerships: write "
                    f"other_actor:<id> or social_enterprise:<id>", "drawdown_provider",
                    (("provider", repr(d.provider)),)))
    return problems


def _plain(amount: float) -> str:
    """An amount in kroner as a plain number (2500000, 2500.5): never 2.5e+06."""
    return f"{amount:.2f}".rstrip("0").rstrip(".")


def _problems_of(exc: ValidationError, source: str, prefix: str = "") -> list[Problem]:
    """The schema's problems; an unknown kommunekode names the code given already."""
    return [replace(p, context=tuple(c for c in p.context if c[0] != "input"))
            if p.kind == "unknown_municipality" else p
            for p in schema_problems(exc, source, prefix)]


def parse_contract_file(data: Any, source: str = "<contract>") -> ContractFile:
    if not isinstance(data, dict) or "contract" not in data:
        raise ContractError(Problem(source, "", "a contract file has a top-level 'contract' "
                                    "key (or is a whole scenario file)", "no_contract_key"))
    try:
        cf = ContractFile.model_validate({**data, "source": source})
    except ValidationError as exc:
        raise ContractError(_problems_of(exc, source)) from exc
    problems = check_contract(cf, source)
    if problems:
        raise ContractError(problems)
    return cf


def load_contract_file(path: Path | str) -> ContractFile:
    """Read a contract file or a whole scenario file; every problem is reported at once."""
    path = Path(path)
    data = load_yaml(path, ContractError)
    if is_scenario(data):
        from brobygger.scenario.load import load_scenario

        try:
            scenario = load_scenario(path)
        except BrobyggerError as exc:
            raise ContractError(exc.problems) from exc
        return parse_contract_file({"contract": scenario.contract.model_dump()}, str(path))
    return parse_contract_file(data, str(path))


def is_scenario(data: Any) -> bool:
    """Whether a file's data is a scenario's: a whole one, or one that extends a base or
    lists changes (:mod:`brobygger.scenario.load`)."""
    return isinstance(data, dict) and any(k in data for k in ("programme", "extends",
                                                              "changes"))


def month_of_text(text: str) -> dt.date:
    return dt.date.fromisoformat(text + "-01" if len(text) == 7 else text).replace(day=1)
