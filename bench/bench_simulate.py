"""Benchmark: the Monte Carlo simulation (bench for `brobygger simulate`).

Throughput is participant-months per second with economics and payments included. Prints,
all measured in this run on this machine:
  * the raw draw rate: uniform doubles per second from NumPy's default generator on all cores;
  * the baseline: a straightforward vectorised NumPy implementation (bench/baseline_numpy.py);
  * the simulation on one thread and on all cores, and its ratios to both;
  * the interactive case: the default scenario, 10,000 draws, wall time;
  * the national roll-out: 98 municipalities, 98,000 participants, N draws, wall and peak memory,
    and its throughput against the raw draw rate (where the per-draw work that does not
    grow with the participants — parameters, the draw's summaries — weighs little);
  * the Dask backend's efficiency from 1 to 2 workers.
Exits with status 1, naming them, when any target is missed.

    uv run python bench/bench_simulate.py [--national-draws 1000] [--dask-draws 1000]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import threading
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from baseline_numpy import baseline_draw
from brobygger.model import compile_scenario
from brobygger.scenario.load import load_scenario
from brobygger.simulation.inputs import build_inputs
from brobygger.simulation.run import simulate

CORES = len(os.sched_getaffinity(0))


def raw_draw_rate(seconds: float = 1.0) -> float:
    """Uniform doubles per second from numpy's default generator, one thread per core."""
    counts = [0] * CORES

    def work(i: int) -> None:
        rng = np.random.default_rng(i)
        buf = np.empty(1 << 20)
        end = time.perf_counter() + seconds
        while time.perf_counter() < end:
            rng.random(out=buf)
            counts[i] += buf.size

    threads = [threading.Thread(target=work, args=(i,)) for i in range(CORES)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / (time.perf_counter() - t0)


def person_months(compiled) -> int:
    entry = build_inputs(compiled).participants.entry
    return int((compiled.T - entry).sum())


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--national-draws", type=int, default=1000)
    parser.add_argument("--dask-draws", type=int, default=1000)
    args = parser.parse_args()
    print(f"machine: {platform.machine()}, {CORES} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}")
    default = compile_scenario(load_scenario())
    pm = person_months(default)
    simulate(default, 8, seed=1, workers=1)  # compile the kernels (cached on disk)

    raw = raw_draw_rate()
    print(f"raw draw rate (all {CORES} cores):          {raw / 1e6:10.1f} M doubles/s")

    inputs = build_inputs(default)
    rng = np.random.default_rng(1)
    n_base = 30
    t_base = timed(lambda: [baseline_draw(inputs, rng) for _ in range(n_base)])
    base_rate = n_base * pm / t_base
    print(f"baseline, vectorised NumPy (1 thread):    {base_rate / 1e6:10.2f} M person-months/s")

    draws = 4000
    t1 = timed(lambda: simulate(default, draws, seed=1, workers=1))
    rate1 = draws * pm / t1
    raw_before = raw_draw_rate()  # the machine's speed drifts: bracket the run
    tn = timed(lambda: simulate(default, draws, seed=1, workers=CORES))
    rate_n = draws * pm / tn
    raw_n = (raw_before + raw_draw_rate()) / 2
    missed: list[str] = []

    def target(name: str, met: bool) -> str:
        if not met:
            missed.append(name)
        return "met" if met else "MISSED"

    print(f"simulation, 1 thread:                     {rate1 / 1e6:10.2f} M person-months/s"
          f"   ratio to baseline {rate1 / base_rate:6.1f}×   (target ≥ 10×: "
          f"{target('10× the baseline', rate1 >= 10 * base_rate)})")
    print(f"simulation, {CORES} threads:                    {rate_n / 1e6:10.2f} M person-months/s"
          f"   ratio to raw draw rate {rate_n / raw_n:5.3f}   (target ≥ 0.5: "
          f"{target('0.5 × the raw draw rate', rate_n >= 0.5 * raw_n)}; raw draw rate "
          f"{raw_n / 1e6:.0f} M/s, measured before and after)")

    runs = sorted(timed(lambda: simulate(default, 10_000, seed=1, workers=CORES))
                  for _ in range(3))
    print(f"interactive: default, 10,000 draws:       {runs[1]:10.2f} s   median of 3 "
          f"({', '.join(f'{r:.2f}' for r in runs)})   (target ≤ 1 s: "
          f"{target('10,000 default draws in 1 s', runs[1] <= 1.0)})")

    national = compile_scenario(load_scenario("national"))
    nd = args.national_draws
    raw_before = raw_draw_rate()
    t_nat = timed(lambda: simulate(national, nd, seed=1, workers=CORES))
    raw_nat = (raw_before + raw_draw_rate()) / 2
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2
    nat_ok = t_nat * 1000 / nd <= 120 and peak <= 4  # scaled to 1,000 draws
    print(f"national: 98,000 participants, {nd} draws: {t_nat:8.1f} s   peak memory "
          f"{peak:.2f} GB   (target ≤ 120 s and ≤ 4 GB for 1,000 draws: "
          f"{target('the national roll-out in 120 s and 4 GB', nat_ok)})")
    rate_nat = nd * person_months(national) / t_nat
    print(f"national, {CORES} threads:                  {rate_nat / 1e6:10.2f} M person-months/s"
          f"   ratio to raw draw rate {rate_nat / raw_nat:5.3f}   (the same target, at scale: "
          f"{target('0.5 × the raw draw rate at scale', rate_nat >= 0.5 * raw_nat)}; "
          f"raw draw rate {raw_nat / 1e6:.0f} M/s, measured before and after)")

    dd = args.dask_draws
    d1 = timed(lambda: simulate(national, dd, seed=1, backend="dask", workers=1))
    d2 = timed(lambda: simulate(national, dd, seed=1, backend="dask", workers=2))
    print(f"dask: national {dd} draws, 1 worker {d1:.1f} s, 2 workers {d2:.1f} s: "
          f"efficiency {d1 / (2 * d2):.0%}   (target ≥ 80 %: "
          f"{target('Dask efficiency 80 %', d1 / (2 * d2) >= 0.8)}; includes cluster start-up)")
    # the fixed part: starting the cluster, scattering the inputs, one small chunk
    s1 = timed(lambda: simulate(national, 2, seed=1, backend="dask", workers=1))
    s2 = timed(lambda: simulate(national, 2, seed=1, backend="dask", workers=2))
    print(f"dask: the fixed part (cluster start-up, scatter, 2 draws): 1 worker {s1:.1f} s, "
          f"2 workers {s2:.1f} s")
    if missed:
        print(f"missed: {'; '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
