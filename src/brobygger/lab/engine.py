"""Running a lab scenario: a shipped base, named changes, the core's simulation.

What does not change between requests is cached per process: the base scenario's resolved
data, the compiled scenario of a set of changes, and the result of a (changes, draws, seed).
Same base, changes, draws and seed give the same numbers as ``simulate`` itself (common
random numbers: two scenarios run with one seed differ by their inputs, not by noise).
"""

from __future__ import annotations

import copy
import json
import subprocess
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np

import brobygger
from brobygger.errors import BrobyggerError, Problem, ScenarioError
from brobygger.lab.levers import changes_for, lab_inputs
from brobygger.model import CompiledScenario, compile_scenario
from brobygger.params import default_parameters
from brobygger.scenario.check import check_scenario
from brobygger.scenario.load import (
    apply_changes,
    parse_scenario,
    read_raw,
    resolve_path,
    shipped_scenario_names,
)
from brobygger.simulation.run import simulate
from brobygger.simulation.summary import simulation_json

#: participants × draws the lab answers while the browser waits; more goes to a background run
INTERACTIVE_BUDGET = 2_000_000
#: participants × draws of a background run (the national roll-out: 98,000 × 1,000 = 98 M)
BACKGROUND_BUDGET = 500_000_000
MAX_DRAWS = 100_000
HISTOGRAM_BINS = 40


class LabError(BrobyggerError):
    """A lab request the core cannot run; each problem names the lab input at fault."""


def check_base(base: str) -> None:
    if base not in shipped_scenario_names():
        raise LabError(Problem("lab", "base", f"unknown scenario {base!r} (shipped: "
                               f"{', '.join(shipped_scenario_names())})"))


@cache
def _base_data(base: str) -> dict[str, Any]:
    return read_raw(resolve_path(base))


def base_data(base: str) -> dict[str, Any]:
    """A shipped scenario's resolved data (a copy the caller may change)."""
    check_base(base)
    return copy.deepcopy(_base_data(base))


def canonical(changes: list[dict[str, Any]]) -> str:
    """One text per set of changes: the cache key and what a stored run records."""
    return json.dumps(changes, sort_keys=True, separators=(",", ":"), default=str)


def compile_changes(base: str, changes: list[dict[str, Any]]) -> CompiledScenario:
    """The base with the changes applied, validated and checked by the core, compiled.

    Raises :class:`ScenarioError` with every problem (their locations are the schema's).
    """
    check_base(base)
    return _compiled(base, canonical(changes))


@lru_cache(maxsize=32)
def _compiled(base: str, key: str) -> CompiledScenario:
    changes = json.loads(key)
    data = copy.deepcopy(_base_data(base))
    source = f"lab:{base}"
    problems = apply_changes(data, changes, source)
    if problems:
        raise ScenarioError(problems)
    scenario = parse_scenario(data, source=source)
    params = default_parameters()
    problems = check_scenario(scenario, source=source, params=params)
    if problems:
        raise ScenarioError(problems)
    return compile_scenario(scenario, params)


def participants(compiled: CompiledScenario) -> int:
    return int(sum(a.sum() for a in compiled.intake.values()))


def check_size(compiled: CompiledScenario, draws: int, seed: int, budget: int) -> None:
    problems = []
    if not 1 <= draws <= MAX_DRAWS:
        problems.append(Problem("lab", "draws", f"the number of draws must be from 1 to "
                                f"{MAX_DRAWS:,}, got {draws}", "draws_range",
                                (("most", MAX_DRAWS), ("draws", draws))))
    elif participants(compiled) * draws > budget:
        n = participants(compiled)
        problems.append(Problem("lab", "draws", f"{n:,} participants × {draws:,} draws is "
                                f"more than {budget:,} participant-draws; use fewer draws or "
                                "run it in the background", "draws_budget",
                                (("count", n), ("draws", draws), ("budget", budget))))
    if seed < 0:
        problems.append(Problem("lab", "seed", f"the seed must be zero or positive, got {seed}",
                                "negative_seed", (("seed", seed),)))
    if problems:
        raise LabError(problems)


def check_lab(base: str, changes: list[dict[str, Any]], draws: int, seed: int, *,
              budget: int = INTERACTIVE_BUDGET) -> CompiledScenario:
    """Everything :func:`run_lab` checks, without simulating (for saving and queueing)."""
    compiled = compile_changes(base, changes)
    check_size(compiled, draws, seed, budget)
    return compiled


def histogram(x: np.ndarray, bins: int = HISTOGRAM_BINS) -> dict[str, list[float]]:
    """Counts of the draws in equal bins (edges has one more entry than counts)."""
    counts, edges = np.histogram(np.asarray(x, dtype=float), bins=bins)
    return {"edges": [round(float(e), 2) for e in edges], "counts": [int(c) for c in counts]}


def result_of(sim: Any) -> dict[str, Any]:
    """``simulate --json``'s figures plus the histogram of each payer's net result and of
    each municipality's own net result (its municipality payer)."""
    data = simulation_json(sim)
    net = sim.summaries.net
    data["histograms"] = {payer: histogram(net[:, i])
                          for i, payer in enumerate(data["net_result"])}
    data["municipality_histograms"] = {
        code: histogram(sim.summaries.muni_net[:, m, 0])
        for m, code in enumerate(data["municipalities"])}
    return data


def run_lab(base: str, changes: list[dict[str, Any]], draws: int, seed: int, *,
            budget: int = INTERACTIVE_BUDGET,
            progress: Callable[[int], None] | None = None) -> dict[str, Any]:
    """The lab's result for a base and changes: compile (cached), check the size, simulate.

    Without ``progress`` the result is cached per (base, changes, draws, seed).
    """
    compiled = check_lab(base, changes, draws, seed, budget=budget)
    if progress is not None:
        return result_of(simulate(compiled, draws, seed, progress=progress))
    return _cached_result(base, canonical(changes), draws, seed)


@lru_cache(maxsize=64)
def _cached_result(base: str, key: str, draws: int, seed: int) -> dict[str, Any]:
    return result_of(simulate(_compiled(base, key), draws, seed))


def lab_changes(base: str, values: dict[str, float | None],
                extra: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """:func:`brobygger.lab.levers.changes_for` over a shipped base."""
    return changes_for(base_data(base), values, extra)


def base_inputs(base: str) -> list[Any]:
    return lab_inputs(base_data(base))


@cache
def code_version() -> dict[str, str]:
    """brobygger's version and, when run from a git checkout, the commit."""
    commit = ""
    root = Path(brobygger.__file__).resolve().parents[2]
    if (root / ".git").exists():
        try:
            done = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"],
                                  capture_output=True, text=True, timeout=5, check=False)
            commit = done.stdout.strip() if done.returncode == 0 else ""
        except (OSError, subprocess.SubprocessError):
            commit = ""
    return {"version": brobygger.__version__, "commit": commit}
