"""The full per-draw table for analysts (one row per draw)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from brobygger.errors import write_whole
from brobygger.simulation.run import INDICATORS, NET_PAYERS, Simulation, _flow_keys


def write_draws_csv(sim: Simulation, path: Path) -> None:
    """The table to ``path``, whole or not at all (:func:`brobygger.errors.write_whole`:
    a failure is a problem naming ``--out`` and the file)."""
    S = sim.summaries
    c = sim.inputs.compiled
    flows = _flow_keys(c)
    header = ["draw"]
    header += [f"net_{p}" for p in NET_PAYERS] + [f"net_discounted_{p}" for p in NET_PAYERS]
    header += [f"break_even_month_{p}" for p in NET_PAYERS]
    header += [f"net_municipality_{code}" for code in c.codes]
    header += [f"payments_{a}_{b}" for a, b in flows] + [f"indicator_{i}" for i in INDICATORS]
    investor = None
    if c.scenario.investor is not None:  # its waterfall in each draw
        from brobygger.economics.investor import waterfalls

        investor = waterfalls(c.scenario.investor, c.months, S.provider_path)
        header += ["investor_received", "investor_outstanding", "investor_irr"]
    text = io.StringIO(newline="")
    w = csv.writer(text)
    w.writerow(header)
    for d in range(sim.draws):
        extra = [] if investor is None else [
            round(float(investor.received[d]), 2),
            round(float(investor.outstanding[d]), 2),
            "" if investor.irr[d] != investor.irr[d] else round(float(investor.irr[d]), 6)]
        w.writerow([d, *S.net[d].round(2), *S.net_discounted[d].round(2),
                    *S.break_even[d], *S.muni_net[d, :, 0].round(2),
                    *S.flows[d].round(2), *S.indicators[d], *extra])
    write_whole("--out", path, text.getvalue().encode("utf-8"))
