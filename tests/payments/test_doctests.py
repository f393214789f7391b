"""Run the examples in the payments package's docstrings (period, ledger, investor, …) and
in the screen's number format and the CPR numbers."""

import doctest
import importlib
import pkgutil

import pytest

import brobygger.payments

MODULES = [*sorted(m.name for m in pkgutil.iter_modules(brobygger.payments.__path__,
                                                       "brobygger.payments.")),
           "brobygger.reports.format", "brobygger.cpr"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctests failed in {name}"
