"""The benchmarks and scripts import the project's modules inside their functions too (to
start quickly, or after Django is set up). A module that moves breaks them only when they
run, which the test suite does not do; so every ``from brobygger… import name`` in them,
at any depth, is resolved here."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted([*ROOT.glob("bench/*.py"), *ROOT.glob("scripts/*.py")])


def _imports(path: Path) -> list[tuple[str, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(node.module, alias.name) for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
            and node.module.split(".")[0] == "brobygger" for alias in node.names]


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_from_import_of_the_project_resolves(path):
    missing = []
    for module, name in _imports(path):
        try:
            found = importlib.import_module(module)
        except ImportError:
            missing.append(module)
            continue
        if not hasattr(found, name):
            try:
                importlib.import_module(f"{module}.{name}")
            except ImportError:
                missing.append(f"{module}.{name}")
    assert not missing, f"{path.name} imports what does not exist: {missing}"


def test_the_benchmarks_are_found():
    assert any(p.name == "bench_web.py" for p in FILES)
