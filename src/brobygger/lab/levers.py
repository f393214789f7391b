"""The scenario lab's inputs, each a lever over a base scenario's resolved data.

A set of values for the levers becomes the scenario's own named ``changes``
(``{"name": ..., "set": {dotted path: value}}``, see :mod:`brobygger.scenario.load`), one
change per lever that moved, so the core's loader and checks validate a lab scenario exactly
as they validate a scenario file. The change's name is the lever's key, which is how a
problem the core reports is traced back to the input that caused it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from brobygger.errors import Problem

#: the name of the change that carries free-form ``{dotted path: value}`` settings
EXTRA = "extra"
TOLERANCE = 1e-12


@dataclass(frozen=True)
class RateLever:
    """A multiplier on some transitions out of one state, in every period that has its row.

    The row's first ``absorbers`` state present takes up the difference, so the row still
    sums to one; a multiplier too large for that leaves a negative probability, which the
    core's schema reports.
    """

    key: str
    world: str
    from_state: str
    to_states: tuple[str, ...]
    absorbers: tuple[str, ...]


RATE_LEVERS = (
    RateLever("rate.completion", "programme", "induction", ("jobseeking",),
              ("induction", "benefit")),
    RateLever("rate.job_finding", "programme", "jobseeking", ("job_accelerator", "job_other"),
              ("jobseeking",)),
    RateLever("rate.counterfactual_job_finding", "counterfactual", "benefit", ("job_other",),
              ("benefit",)),
)
_RATES = {lever.key: lever for lever in RATE_LEVERS}


@dataclass(frozen=True)
class LabInput:
    """One input of the lab.

    ``path`` is the dotted path it sets (rate levers set whole rows instead), ``locations``
    where the core reports problems with it (by list index, as the schema does), ``base``
    its value in the base scenario (None: not set, e.g. no cap).
    """

    key: str
    group: str  # rates | prices | caps | intake | wages
    label: str
    base: float | None
    unit: str
    path: str
    locations: tuple[str, ...]
    integer: bool = False
    optional: bool = False  # empty means "none" (a cap), not "as in the base"
    most: float | None = None  # the largest value the scenario can take (a rate lever's)


def lab_inputs(data: dict[str, Any]) -> list[LabInput]:
    """The levers a resolved base scenario offers, in the order the lab shows them."""
    out: list[LabInput] = []
    for lever in RATE_LEVERS:
        periods = _lever_periods(data, lever)
        if periods:
            out.append(LabInput(
                lever.key, "rates", lever.key, 1.0, "×", "",
                tuple(f"pathways.{lever.world}.periods.{n}.rows.{lever.from_state}"
                      for n in periods), most=rate_most(data, lever)))
    contract = data.get("contract", {})
    for outcome in contract.get("outcomes", []):
        if isinstance(outcome.get("price"), int | float):
            out.append(LabInput(
                f"price.{outcome['id']}", "prices", str(outcome.get("label", outcome["id"])),
                float(outcome["price"]), "kr.", f"contract.outcomes.{outcome['id']}.price",
                (f"contract.outcomes.{outcome['id']}",)))
    caps = contract.get("caps")
    if isinstance(caps, dict):
        for name in ("per_participant", "per_contract"):
            value = caps.get(name)
            out.append(LabInput(
                f"cap.{name}", "caps", name, None if value is None else float(value), "kr.",
                f"contract.caps.{name}", ("contract.caps",), optional=True))
    for muni in data.get("municipalities", []):
        intake = muni.get("intake", {})
        if isinstance(intake, dict) and "total" in intake:
            out.append(LabInput(
                f"intake.{muni['code']}", "intake", str(muni["code"]), float(intake["total"]),
                "participants", f"municipalities.{muni['code']}.intake.total",
                (f"municipalities.{muni['code']}",), integer=True))
    for kind, job in data.get("jobs", {}).items():
        wage = job.get("hourly_wage", {})
        if "parameter" in wage:
            out.append(LabInput(
                f"wage.{kind}", "wages", kind, float(wage.get("factor", 1.0)), "× parameter",
                f"jobs.{kind}.hourly_wage.factor", (f"jobs.{kind}.hourly_wage",)))
        elif "amount" in wage:
            out.append(LabInput(
                f"wage.{kind}", "wages", kind, float(wage["amount"]), "kr./hour",
                f"jobs.{kind}.hourly_wage.amount", (f"jobs.{kind}.hourly_wage",)))
        out.append(LabInput(
            f"hours.{kind}", "wages", kind, float(job["hours_per_week"]), "hours/week",
            f"jobs.{kind}.hours_per_week", (f"jobs.{kind}.hours_per_week",)))
    return out


def _lever_periods(data: dict[str, Any], lever: RateLever) -> list[int]:
    """Indices of the periods whose row for the lever's state it can change."""
    model = data.get("pathways", {}).get(lever.world, {})
    found = []
    for n, period in enumerate(model.get("periods", [])):
        row = period.get("rows", {}).get(lever.from_state)
        if isinstance(row, dict) and any(s in row for s in lever.to_states) \
                and any(s in row for s in lever.absorbers):
            found.append(n)
    return found


def rate_most(data: dict[str, Any], lever: RateLever) -> float:
    """The largest multiplier every row of the lever can take (its absorber's probability
    falls to zero), down to the hundredth: a larger one would leave a negative probability.

    >>> lever = RateLever("x", "programme", "a", ("b",), ("a",))
    >>> rate_most({"pathways": {"programme": {"periods": [{"rows": {"a": {"a": 0.9,
    ...     "b": 0.1}}}]}}}, lever)
    10.0
    """
    model = data["pathways"][lever.world]
    most = math.inf
    for n in _lever_periods(data, lever):
        row = model["periods"][n]["rows"][lever.from_state]
        absorber = next(s for s in lever.absorbers if s in row)
        moved = sum(p for s, p in row.items() if s in lever.to_states)
        rest = sum(p for s, p in row.items() if s not in lever.to_states and s != absorber)
        if moved > 0:
            most = min(most, (1.0 - rest) / moved)
    return math.floor(most * 100 + 1e-9) / 100 if math.isfinite(most) else most


def scaled_row(row: dict[str, float], lever: RateLever, factor: float) -> dict[str, float]:
    """The row with the lever's transitions multiplied and the absorber taking the rest.

    >>> lever = RateLever("x", "programme", "a", ("b",), ("a",))
    >>> scaled_row({"a": 0.9, "b": 0.1}, lever, 2.0)
    {'a': 0.8, 'b': 0.2}
    """
    absorber = next(s for s in lever.absorbers if s in row)
    out = {s: (p * factor if s in lever.to_states else p) for s, p in row.items()}
    out[absorber] = round(1.0 - sum(p for s, p in out.items() if s != absorber), 12)
    return out


def changes_for(data: dict[str, Any], values: dict[str, float | None],
                extra: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Named changes for the levers whose value differs from the base, then ``extra``.

    ``values`` maps lever keys to numbers; a missing key (or None for an input that is not
    optional) keeps the base value; None for an optional input removes it (no cap).
    """
    changes: list[dict[str, Any]] = []
    for item in lab_inputs(data):
        if item.key not in values:
            continue
        value = values[item.key]
        if value is None and not item.optional:
            continue
        if _same(value, item.base):
            continue
        if item.key in _RATES:
            assert value is not None
            changes.append({"name": item.key, "set": _rate_set(data, _RATES[item.key], value)})
        else:
            number: Any = None if value is None else (int(value) if item.integer else value)
            changes.append({"name": item.key, "set": {item.path: number}})
    if extra:
        changes.append({"name": EXTRA, "set": dict(extra)})
    return changes


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return abs(a - b) <= TOLERANCE * max(1.0, abs(b))


def _rate_set(data: dict[str, Any], lever: RateLever, factor: float) -> dict[str, Any]:
    model = data["pathways"][lever.world]
    return {
        f"pathways.{lever.world}.periods.{n}.rows.{lever.from_state}":
            scaled_row(model["periods"][n]["rows"][lever.from_state], lever, factor)
        for n in _lever_periods(data, lever)
    }


def values_of(data: dict[str, Any], changes: list[dict[str, Any]]) -> dict[str, Any]:
    """The lever values (and ``extra``) that :func:`changes_for` turned into ``changes``.

    Rate levers are read back as the ratio of the first changed transition to the base.
    """
    inputs = {i.key: i for i in lab_inputs(data)}
    out: dict[str, Any] = {}
    for change in changes:
        name = change.get("name")
        sets = change.get("set", {})
        if name == EXTRA:
            out[EXTRA] = sets
        elif name in _RATES:
            lever = _RATES[name]
            for path, row in sets.items():
                n = int(path.split(".")[3])
                base_row = data["pathways"][lever.world]["periods"][n]["rows"][lever.from_state]
                moved = [s for s in lever.to_states if base_row.get(s)]
                if moved:
                    out[name] = round(row[moved[0]] / base_row[moved[0]], 9)
                    break
        elif name in inputs and len(sets) == 1:
            out[name] = next(iter(sets.values()))
    return out


def field_errors(problems: list[Problem], changes: list[dict[str, Any]],
                 data: dict[str, Any], text: Callable[[Problem], str] = lambda p: p.message
                 ) -> dict[str, list[str]]:
    """Each problem under the lab input it belongs to ('' when it belongs to none), as
    ``text`` says it (the core's English message unless told).

    A change's own problems (a path that does not exist) name the change, hence the lever;
    the schema's and the checks' problems are matched by location, preferring the levers
    that moved.
    """
    inputs = lab_inputs(data)
    moved = {c.get("name") for c in changes}
    found: dict[tuple[str, str], list[Problem]] = {}
    # (a union's branches are already one problem at the file's key: errors.schema_problems)
    for problem in problems:
        where = problem.location
        found.setdefault((_owner(where, inputs, moved), where), []).append(problem)
    most = {i.key: i.most for i in inputs if i.most is not None}
    values = values_of(data, changes)
    for key in {k for k, _where in found if k in most
                and not 0 <= values.get(k, 1.0) <= most[k]}:
        # a rate lever beyond what its rows take: said once, of the multiplier
        for k, where in [kw for kw in found if kw[0] == key]:
            del found[(k, where)]
        found[(key, "")] = [Problem("lab", key, f"the multiplier must be from 0 to "
                                    f"{most[key]:g}: a larger one leaves a negative "
                                    "probability", "rate_lever_range",
                                    (("most", most[key]),))]
    out: dict[str, list[str]] = {}
    for (key, where), listed in found.items():
        # under a lever its label says where; the key path (a transition row's) is for
        # the problems of the free changes and of no lever
        lever = key not in ("", EXTRA)
        out.setdefault(key, []).extend(f"{where}: {text(p)}" if where and not lever
                                       else text(p) for p in listed)
    return out


def _owner(location: str, inputs: list[LabInput], moved: set[Any]) -> str:
    if location.startswith("changes."):
        name = location.partition("(")[2].partition(")")[0]
        return name if name in moved else ""
    owner = _match(location, [i for i in inputs if i.key in moved])
    if not owner and EXTRA in moved:
        return EXTRA
    return owner or _match(location, inputs)


def _match(location: str, inputs: list[LabInput]) -> str:
    """The input with the longest location that contains ``location`` ('' for none)."""
    best, length = "", -1
    for item in inputs:
        for loc in item.locations:
            if (location == loc or location.startswith(loc + ".")) and len(loc) > length:
                best, length = item.key, len(loc)
    return best
