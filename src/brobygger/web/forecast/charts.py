"""Charts of a cached forecast: Plotly figures (JSON) for the page, matplotlib SVG for the report.

Both draw the numbers the core computed (the cached summaries); nothing is recomputed here.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from brobygger.web.numbers import currency, month, plotly_separators

BAND_OUTER = "rgba(31, 119, 180, 0.18)"
BAND_INNER = "rgba(31, 119, 180, 0.38)"
MEDIAN = "#1f4e79"


def _fan(payer: Mapping[str, Any]) -> dict[str, list[float]]:
    return {str(q): v for q, v in payer["fan"].items()}


def fan_figure(forecast: Mapping[str, Any], payer: str, title: str) -> dict[str, Any]:
    """Cumulative net result: p5–p95 and p25–p75 bands, the median, the data date."""
    months = forecast["months"]
    fan = _fan(forecast["payers"][payer])
    x = [f"{m}-01" for m in months]
    unit = currency()

    def band(lo: str, hi: str, colour: str, name: str) -> list[dict[str, Any]]:
        return [
            {"x": x, "y": fan[hi], "mode": "lines", "line": {"width": 0}, "hoverinfo": "skip",
             "showlegend": False, "type": "scatter"},
            {"x": x, "y": fan[lo], "mode": "lines", "line": {"width": 0}, "fill": "tonexty",
             "fillcolor": colour, "name": name, "hoverinfo": "skip", "type": "scatter"},
        ]

    traces = [
        *band("5", "95", BAND_OUTER, _("5–95 % of draws")),
        *band("25", "75", BAND_INNER, _("25–75 % of draws")),
        {"x": x, "y": fan["50"], "mode": "lines", "line": {"color": MEDIAN, "width": 2},
         "name": _("median"), "type": "scatter",
         # the hover in the page's words: februar 2018: 1.234.567 kr.
         "customdata": [month(m) for m in months],
         "hovertemplate": f"%{{customdata}}: %{{y:,.0f}} {unit}<extra>{_('median')}</extra>"},
    ]
    shapes: list[dict[str, Any]] = [
        {"type": "line", "xref": "paper", "x0": 0, "x1": 1, "y0": 0, "y1": 0,
         "line": {"color": "#666", "width": 1}},
    ]
    annotations = []
    if forecast["data_month"] >= 0:
        at = x[forecast["data_month"]]
        shapes.append({"type": "line", "x0": at, "x1": at, "yref": "paper", "y0": 0, "y1": 1,
                       "line": {"color": "#b00", "width": 1, "dash": "dot"}})
        annotations.append({"x": at, "yref": "paper", "y": 1, "text": _("data date"),
                            "showarrow": False, "xanchor": "right", "font": {"color": "#b00"}})
    return {
        "data": traces,
        "layout": {
            "title": {"text": title}, "height": 380, "margin": {"l": 70, "r": 20, "t": 50,
                                                               "b": 40},
            "yaxis": {"title": {"text": _("cumulative net result (DKK)")},
                      "separatethousands": True, "tickformat": ",.0f"},
            # a tick each January, written as its year: Plotly's own month names are English
            "xaxis": {"type": "date", "dtick": "M12", "tickformat": "%Y"}, "shapes": shapes,
            "annotations": annotations,
            "legend": {"orientation": "h", "y": -0.15}, "separators": plotly_separators(),
        },
    }


def break_even_by_year(forecast: Mapping[str, Any], payer: str) -> list[tuple[str, int]]:
    """Draws breaking even per calendar year, and those that do not within the horizon."""
    counts = forecast["payers"][payer]["break_even_counts"]
    months = forecast["months"]
    years: dict[str, int] = {}
    for k, n in enumerate(counts[1:]):
        if n:
            years[months[k][:4]] = years.get(months[k][:4], 0) + n
    rows = sorted(years.items())
    rows.append((_("not within the horizon"), counts[0]))
    return rows


def break_even_figure(forecast: Mapping[str, Any], payer: str, title: str) -> dict[str, Any]:
    rows = break_even_by_year(forecast, payer)
    total = sum(n for _, n in rows) or 1
    return {
        "data": [{"type": "bar", "x": [r[0] for r in rows],
                  "y": [round(100 * r[1] / total, 1) for r in rows], "marker": {"color": MEDIAN},
                  "hovertemplate": "%{x}: %{y:.1f} %<extra></extra>"}],
        "layout": {"title": {"text": title}, "height": 260,
                   "margin": {"l": 50, "r": 20, "t": 50, "b": 60},
                   "xaxis": {"type": "category"},  # years and "not within the horizon"
                   "yaxis": {"title": {"text": _("% of draws")}},
                   "separators": plotly_separators()},
    }


def fan_svg(forecast: Mapping[str, Any], payer: str, title: str, caption: str) -> str:
    """The fan chart as an SVG data URI (matplotlib, Agg), for the report and the PDF."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.ticker import FuncFormatter

    from brobygger.web.numbers import number

    fan = _fan(forecast["payers"][payer])
    x = np.array([f"{m}-01" for m in forecast["months"]], dtype="datetime64[D]")
    fig, ax = plt.subplots(figsize=(7.5, 3.2), dpi=100)
    ax.fill_between(x, fan["5"], fan["95"], color="#1f77b4", alpha=0.18, linewidth=0,
                    label=_("5–95 % of draws"))
    ax.fill_between(x, fan["25"], fan["75"], color="#1f77b4", alpha=0.38, linewidth=0,
                    label=_("25–75 % of draws"))
    ax.plot(x, fan["50"], color=MEDIAN, linewidth=1.8, label=_("median"))
    ax.axhline(0, color="#666", linewidth=0.8)
    if forecast["data_month"] >= 0:
        ax.axvline(x[forecast["data_month"]], color="#b00", linestyle=":", linewidth=1,
                   label=_("data date"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number(v / 1e6, 1)))
    ax.set_ylabel(_("million DKK, cumulative"))
    ax.set_title(title, fontsize=11)
    ax.legend(fontsize=7, loc="upper left", frameon=False)
    fig.text(0.01, 0.01, caption, fontsize=6, color="#555")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    out = io.BytesIO()
    fig.savefig(out, format="svg")
    plt.close(fig)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()
