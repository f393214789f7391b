"""Small scenarios for hand-worked tests, built as data and changed with dotted paths."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from brobygger.params import ParameterTree, load_parameters
from brobygger.scenario.load import apply_change, parse_scenario
from brobygger.scenario.schema import Scenario

FIXTURES = Path(__file__).parent / "fixtures"


def simple_params() -> ParameterTree:
    return load_parameters(FIXTURES / "params_simple")


STAY_ON_BENEFIT: dict[str, Any] = {
    "entry_state": "benefit",
    "periods": [{"from_month": 1, "rows": {"benefit": {"benefit": 1.0}}}],
}

BASE: dict[str, Any] = {
    "name": "hand",
    "programme": {
        "name": "hand-worked",
        "period": {"start": "2020-07-01", "end": "2021-12-31"},
        "eligible_costs": 0,
        "esf_share": 0.5,
        "targets": {},
    },
    "horizon": {"start": "2020-07", "months": 18},
    "discounting": {"parameter": "discount.rate"},
    "municipalities": [{"code": "101", "intake": {"schedule": {"2020-07": 1}}}],
    "profiles": [
        {
            "id": "p",
            "label": "test",
            "benefit": "benefits.test.kth",
            "age_band": "30_to_54",
            "weeks_on_benefit_at_entry": 156,
            "share": 1.0,
        }
    ],
    "pathways": {"programme": STAY_ON_BENEFIT, "counterfactual": STAY_ON_BENEFIT},
    "jobs": {
        "accelerator": {"label": "a", "hours_per_week": 30, "hourly_wage": {"amount": 100}},
        "other": {"label": "o", "hours_per_week": 30, "hourly_wage": {"amount": 100}},
    },
    "education": {"benefit": "benefits.test.su"},
    "accelerator": {"cohorts": []},
    "costs": [],
    "contract": {"id": "c", "label": "c", "outcomes": []},
}


def scenario(changes: dict[str, Any] | None = None, base: dict[str, Any] | None = None
             ) -> Scenario:
    data = copy.deepcopy(base or BASE)
    for path, value in (changes or {}).items():
        apply_change(data, path, value)
    return parse_scenario(data)


def deterministic_path(states: list[str]) -> dict[str, Any]:
    """A world that walks through ``states`` month by month, then stays in the last one.

    ``states[0]`` is the entry state; the transition into month k moves to ``states[k]``.
    """
    distinct = list(dict.fromkeys(states))
    periods = []
    for k in range(1, len(states) + 1):
        rows = {s: {s: 1.0} for s in distinct}
        if k < len(states):
            rows[states[k - 1]] = {states[k]: 1.0}
        periods.append({"from_month": k, "rows": rows})
    return {"entry_state": states[0], "periods": periods}
