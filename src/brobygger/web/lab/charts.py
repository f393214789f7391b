"""Plotly figures as plain dicts, built on the server from the core's figures."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

from django.utils.translation import gettext as _

from brobygger.web.numbers import plotly_separators

MIO = 1_000_000
LAYOUT: dict[str, Any] = {
    "margin": {"l": 50, "r": 20, "t": 30, "b": 50},
    "height": 320,
    "bargap": 0.05,
    "showlegend": False,
}


def histogram_figure(hist: dict[str, list[float]], stats: dict[str, Any],
                     name: str | None = None) -> dict[str, Any]:
    """The draws' net result as bars (millions of kroner), with p5, p50, p95 and zero marked; for
    the municipalities together, or for the one called ``name``."""
    title = (_("Net result for %(name)s (DKK million)") % {"name": name} if name
             else _("Net result for the municipalities (DKK million)"))
    edges = [e / MIO for e in hist["edges"]]
    centres = [(a + b) / 2 for a, b in pairwise(edges)]
    widths = [b - a for a, b in pairwise(edges)]
    colours = ["#2e7d32" if c > 0 else "#c62828" for c in centres]
    lines = [(stats["p5"], "p5"), (stats["p50"], "p50"), (stats["p95"], "p95"), (0.0, "0")]
    return {
        "data": [{"type": "bar", "x": centres, "y": hist["counts"], "width": widths,
                  "marker": {"color": colours},
                  "hovertemplate": f"%{{x:,.1f}} {_('DKK million')}: %{{y}}<extra></extra>"}],
        "layout": {
            **LAYOUT, "separators": plotly_separators(),
            "xaxis": {"title": {"text": title},
                      "tickformat": ",.0f"},
            "yaxis": {"title": {"text": _("Draws")}},
            "shapes": [{"type": "line", "x0": v / MIO, "x1": v / MIO, "yref": "paper",
                        "y0": 0, "y1": 1,
                        "line": {"dash": "solid" if name == "0" else "dot",
                                 "color": "#333", "width": 1}}
                       for v, name in lines],
            "annotations": [{"x": v / MIO, "y": 1, "yref": "paper", "text": name,
                             "showarrow": False, "yanchor": "bottom"}
                            for v, name in lines if name != "0"],
        },
    }


def compare_figure(names: list[str], stats: list[dict[str, Any] | None]) -> dict[str, Any]:
    """Each scenario's median net result for the municipalities, with p5–p95 as a bar."""
    shown = [(n, s) for n, s in zip(names, stats, strict=True) if s]
    return {
        "data": [{
            "type": "scatter", "mode": "markers", "x": [n for n, _s in shown],
            "y": [s["p50"] / MIO for _n, s in shown],
            "error_y": {"type": "data", "symmetric": False,
                        "array": [(s["p95"] - s["p50"]) / MIO for _n, s in shown],
                        "arrayminus": [(s["p50"] - s["p5"]) / MIO for _n, s in shown]},
            "marker": {"size": 12, "color": "#1565c0"},
        }],
        "layout": {**LAYOUT, "separators": plotly_separators(), "yaxis": {"title": {"text": _(
            "Net result for the municipalities, p5–p50–p95 (DKK million)")}, "zeroline": True}},
    }
