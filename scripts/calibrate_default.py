"""Solve the default scenario's calibrated transition rates so expected indicators hit targets.

Unknowns: the induction course's monthly completion rate c (with c + d = 0.125, d the
drop-out rate), and the job search's monthly hire rates a (accelerator enterprises) and o
(other enterprises). Targets: the seed's 110 completions, 72 and 11 hires. Prints the
rows to paste into src/brobygger/data/scenarios/default.yaml (10 decimals: rows still sum
to one within 1e-9).

    uv run python scripts/calibrate_default.py
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq, root

from brobygger.economics.business_case import expect
from brobygger.scenario.load import apply_change, parse_scenario, read_raw, resolve_path

LEAVE = 0.125  # c + d: one in eight leaves the course each month
EXIT = 0.002
JOBSEEK_OTHER = {"education": 0.01, "benefit": 0.04, "exited": EXIT}


def rows(c: float, a: float, o: float) -> dict[str, dict[str, float]]:
    d = LEAVE - c
    y = round(c / LEAVE, 10)
    induction = {"jobseeking": round(c, 10), "benefit": round(d, 10), "exited": EXIT}
    induction["induction"] = round(1 - sum(induction.values()), 10)
    jobseeking = {"job_accelerator": round(float(a), 10), "job_other": round(float(o), 10),
                  **JOBSEEK_OTHER}
    jobseeking["jobseeking"] = round(1 - sum(jobseeking.values()), 10)
    return {
        "induction": induction,
        "jobseeking": jobseeking,
        "induction_end": {"jobseeking": y, "benefit": round(1 - y, 10)},
    }


def indicators(c: float, a: float, o: float) -> dict[str, float]:
    data = read_raw(resolve_path("default"))
    r = rows(c, a, o)
    apply_change(data, "pathways.programme.periods.0.rows.induction", r["induction"])
    apply_change(data, "pathways.programme.periods.0.rows.jobseeking", r["jobseeking"])
    apply_change(data, "pathways.programme.periods.1.rows.induction", r["induction_end"])
    return expect(parse_scenario(data)).indicators()


def main() -> None:
    c = brentq(lambda c: indicators(c, 0.1, 0.02)["3B.2"] - 110, 0.01, LEAVE - 1e-6, xtol=1e-13)

    def gap(x: np.ndarray) -> np.ndarray:
        ind = indicators(c, x[0], x[1])
        return np.array([ind["3B.3"] - 72, ind["3B.4"] - 11])

    sol = root(gap, x0=[0.14, 0.02], tol=1e-13)
    a, o = sol.x
    for name, row in rows(c, a, o).items():
        print(f"{name}: {row}")
    print({k: round(v, 6) for k, v in indicators(c, a, o).items()})


if __name__ == "__main__":
    main()
