"""The full per-draw table for analysts (one row per draw)."""

from __future__ import annotations

import csv
from pathlib import Path

from brobygger.errors import BrobyggerError, Problem
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
    investor = None
    if c.scenario.investor is not None:  # its waterfall in each draw
        from brobygger.economics.investor import waterfalls

        investor = waterfalls(c.scenario.investor, c.months, S.provider_path)
        header += ["investor_received", "investor_outstanding", "investor_irr"]
    tmp = path.with_suffix(path.suffix + ".tmp")
    try:  # whole or not at all: a file that cannot be finished is removed and said
        with tmp.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(header)
            for d in range(sim.draws):
                extra = [] if investor is None else [
                    round(float(investor.received[d]), 2),
                    round(float(investor.outstanding[d]), 2),
                    "" if investor.irr[d] != investor.irr[d] else round(float(investor.irr[d]),
                                                                        6)]
                w.writerow([d, *S.net[d].round(2), *S.net_discounted[d].round(2),
                            *S.break_even[d], *S.muni_net[d, :, 0].round(2),
                            *S.flows[d].round(2), *S.indicators[d], *extra])
        tmp.replace(path)
    except OSError as exc:
        reason = str(exc.strerror or exc)
        if tmp.is_file():
            tmp.unlink()
        raise BrobyggerError(Problem("--out", str(path), f"cannot write the file: {reason}",
                                     "cannot_write_file", (("reason", reason),))) from None
