"""The full per-draw table for analysts (one row per draw)."""

from __future__ import annotations

import csv
from pathlib import Path

from brobygger.simulation.run import INDICATORS, NET_PAYERS, Simulation, _flow_keys


def write_draws_csv(sim: Simulation, path: Path) -> None:
    S = sim.summaries
    c = sim.inputs.compiled
    flows = _flow_keys(c)
    header = ["draw"]
    header += [f"net_{p}" for p in NET_PAYERS] + [f"net_discounted_{p}" for p in NET_PAYERS]
    header += [f"break_even_month_{p}" for p in NET_PAYERS]
    header += [f"net_municipality_{code}" for code in c.codes]
    header += [f"payments_{a}_{b}" for a, b in flows] + [f"indicator_{i}" for i in INDICATORS]
    tmp = path.with_suffix(path.suffix + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        for d in range(sim.draws):
            w.writerow([d, *S.net[d].round(2), *S.net_discounted[d].round(2), *S.break_even[d],
                        *S.muni_net[d, :, 0].round(2), *S.flows[d].round(2),
                        *S.indicators[d]])
    tmp.replace(path)
