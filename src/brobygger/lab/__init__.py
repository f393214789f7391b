"""The scenario lab: a shipped scenario, changed by levers, run by the core's simulation."""

from __future__ import annotations

from brobygger.lab.engine import (
    BACKGROUND_BUDGET,
    INTERACTIVE_BUDGET,
    LabError,
    base_data,
    base_inputs,
    canonical,
    check_base,
    check_lab,
    code_version,
    compile_changes,
    histogram,
    lab_changes,
    run_lab,
)
from brobygger.lab.levers import EXTRA, LabInput, changes_for, field_errors, values_of

__all__ = [
    "BACKGROUND_BUDGET",
    "EXTRA",
    "INTERACTIVE_BUDGET",
    "LabError",
    "LabInput",
    "base_data",
    "base_inputs",
    "canonical",
    "changes_for",
    "check_base",
    "check_lab",
    "code_version",
    "compile_changes",
    "field_errors",
    "histogram",
    "lab_changes",
    "run_lab",
    "values_of",
]
