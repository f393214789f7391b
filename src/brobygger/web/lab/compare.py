"""Side-by-side rows of several lab results, each against the first (the reference).

Only picks figures out of the core's result JSON (``simulate --json``'s keys); nothing is
computed here but the difference to the reference column.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from brobygger.web.numbers import number
from brobygger.web.pathways.labels import indicator_name


@dataclass
class Cell:
    value: float | None
    diff: float | None = None  # against the reference column (None in it)

    @property
    def differs(self) -> bool:
        return self.diff is not None and abs(self.diff) > 1e-9


@dataclass
class Row:
    section: str
    label: str
    kind: str  # dkk | share | month | count
    cells: list[Cell]

    @property
    def differs(self) -> bool:
        return any(c.differs for c in self.cells)


def _get(result: dict[str, Any] | None, path: tuple[str, ...]) -> float | None:
    node: Any = result
    for part in path:
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, int | float) else None


def payer_label(payer: str) -> str:
    return {"municipality": _("Municipalities"), "state": _("The state"),
            "public_total": _("Public sector in all"), "other_actor": _("other actor"),
            "social_enterprise": _("social-economic enterprise")}.get(payer, payer)


def compare_rows(results: list[dict[str, Any] | None]) -> list[Row]:
    specs: list[tuple[str, str, str, tuple[str, ...]]] = []
    first = next((r for r in results if r), None)
    if first is None:
        return []
    for payer in first["net_result"]:
        section = _("Net result: %(payer)s") % {"payer": payer_label(payer)}
        base = ("net_result", payer)
        specs += [
            (section, _("mean"), "dkk", (*base, "mean")),
            (section, "p5", "dkk", (*base, "p5")),
            (section, "p50", "dkk", (*base, "p50")),
            (section, "p95", "dkk", (*base, "p95")),
            (section, _("probability of a gain"), "share", (*base, "p_gain")),
            (section, _("break-even month (median)"), "month",
             (*base, "break_even_month", "p50")),
            (section, _("savings (mean)"), "dkk", (*base, "savings", "mean")),
            (section, _("payments made (mean)"), "dkk", (*base, "payments", "mean")),
        ]
    for payer, payees in first["payments"].items():
        for payee in payees:
            label = f"{payer_label(payer)} → {payer_label(payee)}"
            specs.append((_("Outcome payments (mean)"), label, "dkk",
                          ("payments", payer, payee, "mean")))
    for code, row in first["indicators"].items():
        target = row.get("target")
        name = indicator_name(code)
        if target is not None:
            name += f" ({_('target')} {number(target, 1 if target % 1 else 0)})"
        specs.append((_("Indicators (mean)"), name, "count", ("indicators", code, "mean")))
    specs.append((_("Indicators (mean)"), _("participants"), "count", ("participants",)))
    rows = []
    for section, label, kind, path in specs:
        values = [_get(r, path) for r in results]
        ref = values[0]
        cells = [Cell(values[0])] + [
            Cell(v, None if v is None or ref is None else v - ref) for v in values[1:]]
        rows.append(Row(section, label, kind, cells))
    return rows
