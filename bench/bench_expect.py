"""Benchmark: `expect` (exact business case) on the default and the national scenario.

Prints wall time of compile + expectation after import (median of repeats) and the ratio
against a baseline measured in the same run: the national roll-out computed one
municipality at a time (98 separate expectations), i.e. without the convolution that
aggregates all municipalities' intakes at once.

    uv run python bench/bench_expect.py
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time

from brobygger.economics.business_case import expect
from brobygger.scenario.load import load_scenario


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    print(f"machine: {platform.machine()}, {os.cpu_count()} cpus, {platform.processor() or '?'}, "
          f"Python {platform.python_version()}, {platform.system()} {platform.release()}")
    default = load_scenario()
    national = load_scenario("national")
    expect(default)  # warm caches of parameters and imports
    t_default = timed(lambda: expect(default), 7)
    t_national = timed(lambda: expect(national), 3)
    singles = [national.model_copy(update={"municipalities": [m]})
               for m in national.municipalities]
    t_baseline = timed(lambda: [expect(s) for s in singles], 1)
    print(f"expect default  (12 municipalities, 148 participants): {1000 * t_default:8.1f} ms"
          f"   target ≤ 50 ms: {'met' if t_default <= 0.05 else 'MISSED'}")
    print(f"expect national (98 municipalities, 98,000 participants): {1000 * t_national:8.1f} ms"
          f"   target ≤ 1000 ms: {'met' if t_national <= 1.0 else 'MISSED'}")
    print(f"baseline: national one municipality at a time:          {1000 * t_baseline:8.1f} ms"
          f"   ratio {t_baseline / t_national:.1f}×")
    return 0 if t_default <= 0.05 and t_national <= 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
