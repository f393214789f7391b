"""A saved scenario's or a run's changes on screen: by the lab's labels, their values in
the page's number format."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from brobygger.errors import BrobyggerError
from brobygger.lab import base_inputs
from brobygger.lab.levers import EXTRA
from brobygger.web.lab.forms import label_for
from brobygger.web.numbers import number, separators


def change_labels(base: str) -> dict[str, str]:
    """Each change's name (a lever's key, ``extra``) → its label in the lab."""
    try:
        labels = {item.key: label_for(item) for item in base_inputs(base)}
    except BrobyggerError:  # a base no longer shipped: the changes by their names
        labels = {}
    labels[EXTRA] = _("Other changes")
    return labels


def _label(labels: dict[str, str], change: dict[str, Any]) -> str:
    name = str(change.get("name", ""))
    return labels.get(name, name)


def change_names(base: str, changes: list[dict[str, Any]]) -> list[str]:
    """The labels of a scenario's or a run's changes, in order."""
    labels = change_labels(base)
    return [_label(labels, c) for c in changes]


def change_rows(scenario: Any) -> list[tuple[str, str, str]]:
    """(what, path, value) for each value a saved scenario sets: a lever by its label in
    the lab, a value in the page's format without the noise of binary fractions."""
    labels = change_labels(scenario.base)
    return [(_label(labels, c), path, shown_value(value))
            for c in scenario.changes for path, value in c.get("set", {}).items()]


def shown_value(value: Any) -> str:
    """A value of a scenario file on screen: 0,3 for 0.30000000000000004, 0,184534 for a
    scaled probability, 12.000 for 12000, “none” for an empty value, a row of a table as
    its entries."""
    if value is None:
        return _("none")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int):
        return number(value)
    if isinstance(value, float):  # a share to 6 significant digits, an amount to 4 decimals
        if value != 0 and abs(value) < 1:
            value = float(f"{value:.6g}")
        text = f"{value:,.6f}" if abs(value) < 1 else f"{value:,.4f}"
        text = text.rstrip("0").rstrip(".")
        return separators("0" if text in ("-0", "") else text)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {shown_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(shown_value(v) for v in value)
    return str(value)
