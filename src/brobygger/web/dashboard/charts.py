"""Plotly figures as plain dicts, built from the core's results (never recomputed here).

Each function takes what the core returned and the labels in the active language, and gives
``{"data": [...], "layout": {...}}`` for ``Plotly.newPlot``. Numbers show in the page's
language (``separators``: in Danish a decimal comma and a thousands point).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from brobygger.indicators import Band, Pipeline, TargetRow
from brobygger.web.numbers import month, plotly_separators

COLOURS = ("#0b5cad", "#1e7a3c", "#9a5b00", "#b3261e", "#6a3d9a", "#00838f", "#5b6478",
           "#c2185b")
STATE_COLOURS = {"referred": "#9aa5b8", "induction": "#0b5cad", "jobseeking": "#00838f",
                 "job_accelerator": "#1e7a3c", "job_other": "#66a36f", "education": "#6a3d9a",
                 "benefit": "#9a5b00", "exited": "#5b6478"}


def _layout(**extra: object) -> dict[str, object]:
    layout: dict[str, object] = {
        "separators": plotly_separators(), "margin": {"l": 60, "r": 20, "t": 30, "b": 50},
        "font": {"family": "system-ui, sans-serif", "size": 13},
        "legend": {"orientation": "h", "y": -0.2}, "height": 380,
        "paper_bgcolor": "#fff", "plot_bgcolor": "#fff",
    }
    layout.update(extra)
    return layout


def month_axis(months: Sequence[str]) -> dict[str, object]:
    """A category axis of the model's months (``2018-02``) with its ticks in the page's
    words: over two years or more each January as its year, over less every third month
    by name (februar 2018)."""
    if len(months) >= 24:
        ticks = [m for m in months if m.endswith("-01")]
        return {"type": "category", "tickvals": ticks, "ticktext": [m[:4] for m in ticks]}
    ticks = list(months[::3])
    return {"type": "category", "tickvals": ticks, "ticktext": [month(m) for m in ticks]}


def _month_hover(months: Sequence[str], number: str) -> dict[str, object]:
    """A line's hover in the page's words: februar 2018: 1.234."""
    return {"customdata": [month(m) for m in months],
            "hovertemplate": f"%{{customdata}}: %{{y:{number}}}"}


def target_bars(rows: Sequence[TargetRow], labels: Mapping[str, str]) -> dict[str, object]:
    """Actual as % of target, one horizontal bar per indicator that has a target."""
    rows = [r for r in rows if r.share is not None][::-1]
    return {
        "data": [{
            "type": "bar", "orientation": "h",
            "x": [round(100 * (r.share or 0), 1) for r in rows],
            "y": [labels[r.code] for r in rows], "ids": [r.code for r in rows],
            "customdata": [[r.actual, r.target] for r in rows],
            "text": [f"{round(100 * (r.share or 0))} %" for r in rows], "textposition": "auto",
            "hovertemplate": "%{customdata[0]:,.0f} / %{customdata[1]:,.0f}<extra></extra>",
            "marker": {"color": [COLOURS[1] if (r.share or 0) >= 1 else COLOURS[0]
                                 for r in rows]},
        }],
        "layout": _layout(
            xaxis={"title": {"text": "%"}, "ticksuffix": " %", "rangemode": "tozero"},
            yaxis={"automargin": True}, showlegend=False,
            shapes=[{"type": "line", "x0": 100, "x1": 100, "yref": "paper", "y0": 0, "y1": 1,
                     "line": {"color": "#1d2433", "dash": "dot"}}],
        ),
    }


def over_time(months: Sequence[str], actual: Mapping[str, Sequence[int]],
              targets: Mapping[str, Sequence[float]], labels: Mapping[str, str],
              target_word: str) -> dict[str, object]:
    """Cumulative actual (solid) against the target's path (dotted) for each indicator."""
    data: list[dict[str, object]] = []
    for i, (code, values) in enumerate(actual.items()):
        colour = COLOURS[i % len(COLOURS)]
        data.append({"type": "scatter", "mode": "lines", "name": labels[code],
                     "x": list(months), "y": list(values), "legendgroup": code,
                     "line": {"color": colour, "width": 2}, **_month_hover(months, ",.0f")})
        if code in targets:
            data.append({"type": "scatter", "mode": "lines",
                         "name": f"{labels[code]}: {target_word}",
                         "x": list(months), "y": [round(v, 2) for v in targets[code]],
                         "legendgroup": code, "showlegend": False,
                         "line": {"color": colour, "dash": "dot", "width": 1.5},
                         **_month_hover(months, ",.1f")})
    return {"data": data, "layout": _layout(height=420, xaxis=month_axis(months))}


def grouped_bars(groups: Sequence[tuple[str, Mapping[str, int]]], codes: Sequence[str],
                 labels: Mapping[str, str]) -> dict[str, object]:
    """One group of bars per municipality / region / partnership, one bar per indicator."""
    names = [name for name, _ in groups]
    data = [{"type": "bar", "name": labels[code], "legendgroup": code, "x": names,
             "y": [counts.get(code, 0) for _, counts in groups],
             "marker": {"color": COLOURS[i % len(COLOURS)]}} for i, code in enumerate(codes)]
    return {"data": data, "layout": _layout(barmode="group", xaxis={"automargin": True})}


def ranking(ranked: Sequence[tuple[str, int, float | None]], label: str) -> dict[str, object]:
    """Municipalities ranked by one indicator (best on top); hover shows it per referral."""
    ranked = list(ranked)[::-1]
    return {
        "data": [{
            "type": "bar", "orientation": "h", "name": label,
            "x": [v for _, v, _ in ranked], "y": [n for n, _, _ in ranked],
            "customdata": [round(100 * s, 1) if s is not None else None for _, _, s in ranked],
            "hovertemplate": "%{x:,.0f} (%{customdata:,.1f} %)<extra></extra>",
            "marker": {"color": COLOURS[0]},
        }],
        "layout": _layout(height=max(240, 28 * len(ranked) + 80), showlegend=False,
                          yaxis={"automargin": True}, xaxis={"rangemode": "tozero"}),
    }


def pipeline_now(pipeline: Pipeline, labels: Mapping[str, str]) -> dict[str, object]:
    states = list(pipeline.counts)
    return {
        "data": [{"type": "bar", "x": [labels[s.value] for s in states],
                  "y": [pipeline.counts[s] for s in states],
                  "marker": {"color": [STATE_COLOURS[s.value] for s in states]},
                  "hovertemplate": "%{x}: %{y:,.0f}<extra></extra>"}],
        "layout": _layout(showlegend=False, xaxis={"automargin": True}),
    }


def pipeline_by_group(groups: Sequence[tuple[str, Mapping]], labels: Mapping[str, str]
                      ) -> dict[str, object]:
    """Participants by current state in each group, stacked."""
    states = list(groups[0][1]) if groups else []
    data = [{"type": "bar", "name": labels[s.value], "x": [name for name, _ in groups],
             "y": [counts[s] for _, counts in groups],
             "marker": {"color": STATE_COLOURS[s.value]}} for s in states]
    return {"data": data, "layout": _layout(barmode="stack", xaxis={"automargin": True})}


def pipeline_over_time(pipeline: Pipeline, labels: Mapping[str, str], months: int
                       ) -> dict[str, object]:
    """Participants by state at each month's end (the first ``months`` months), stacked."""
    shown = list(pipeline.months[:months])
    data = [{"type": "scatter", "mode": "lines", "stackgroup": "states",
             "name": labels[s.value], "x": shown,
             "y": list(pipeline.by_month[s][:months]), "line": {"color": STATE_COLOURS[s.value]},
             **_month_hover(shown, ",.0f")}
            for s in pipeline.counts]
    return {"data": data, "layout": _layout(height=420, xaxis=month_axis(shown))}


def growth_against_cohort(years: Mapping[int, Mapping[str, float]], bands: Mapping[int, Band],
                          measure: str, title: str, words: Mapping[str, str]
                          ) -> dict[str, object]:
    """One enterprise's measure by year (line and markers) against its cohort: the median
    (dashed) and the p25–p75 band (shaded)."""
    data: list[dict[str, object]] = []
    band_years = sorted(bands)
    if band_years:
        x = [str(y) for y in band_years]
        data.append({"type": "scatter", "mode": "lines", "x": x,
                     "y": [bands[y].p25 for y in band_years], "line": {"width": 0},
                     "showlegend": False, "hoverinfo": "skip", "name": "p25"})
        data.append({"type": "scatter", "mode": "lines", "x": x,
                     "y": [bands[y].p75 for y in band_years], "fill": "tonexty",
                     "fillcolor": "rgba(11,92,173,0.15)", "line": {"width": 0},
                     "name": words["band"]})
        data.append({"type": "scatter", "mode": "lines", "x": x,
                     "y": [bands[y].median for y in band_years], "name": words["median"],
                     "line": {"color": COLOURS[0], "dash": "dash"}})
    own = sorted(years)
    data.append({"type": "scatter", "mode": "lines+markers", "name": words["enterprise"],
                 "x": [str(y) for y in own], "y": [years[y][measure] for y in own],
                 "line": {"color": COLOURS[3], "width": 3}})
    yaxis: dict[str, object] = {"rangemode": "tozero", "automargin": True,
                                "tickformat": ",.0f"}
    highest = max([years[y][measure] for y in own] + [b.p75 for b in bands.values()], default=0)
    if measure != "revenue" and highest <= 8:
        yaxis["dtick"] = 1  # counts: whole numbers only
    return {"data": data, "layout": _layout(
        height=320, title={"text": title, "font": {"size": 14}, "x": 0.02},
        margin={"l": 40, "r": 10, "t": 40, "b": 50}, xaxis={"type": "category"}, yaxis=yaxis)}


def growth_overview(rows: Sequence[tuple[str, float | None]], label: str) -> dict[str, object]:
    """Revenue growth from the first to the latest year, one bar per enterprise."""
    rows = sorted((r for r in rows if r[1] is not None), key=lambda r: r[1] or 0)
    return {
        "data": [{"type": "bar", "orientation": "h", "name": label,
                  "x": [round(100 * (g or 0), 1) for _, g in rows], "y": [n for n, _ in rows],
                  "hovertemplate": "%{y}: %{x:,.1f} %<extra></extra>",
                  "marker": {"color": [COLOURS[1] if (g or 0) > 0 else COLOURS[3]
                                       for _, g in rows]}}],
        "layout": _layout(height=max(240, 26 * len(rows) + 80), showlegend=False,
                          xaxis={"ticksuffix": " %"}, yaxis={"automargin": True}),
    }
