"""Benchmark: the scenario lab's update, from request to response.

Target: a change in the lab answers within 1 s for the default scenario with 10,000 draws.

What it measures, in one run on this machine:

* the baseline: the core alone, ``simulate(compiled, 10,000 draws)`` and its JSON
  (``simulation_json``), with the scenario compiled beforehand — the least any update costs;
* the lab's update: a POST to ``/lab/update/`` through Django's whole stack (session, CSRF
  middleware, form, the core's validation and compile of the changed scenario, simulation,
  template and figure JSON), by Django's test client in this process, each time with a new
  change (no cached result), and the same change again (the cached result);
* the ratio of the update to the baseline.

The Django part runs in a child process with its own temporary SQLite database and settings,
so nothing leaks into other benchmarks run after it (``bench/run_all.py``).

    .venv/bin/python bench/bench_lab.py [--draws 10000] [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 1.0


def machine() -> str:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f
                        if line.startswith("model name")), cpu)
    except OSError:
        pass
    return (f"{platform.system()} {platform.machine()}, {cpu}, "
            f"{len(os.sched_getaffinity(0))} CPUs available; Python {platform.python_version()}")


def inner(draws: int, repeats: int) -> bool:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from brobygger.lab import compile_changes
    from brobygger.simulation.run import simulate
    from brobygger.simulation.summary import simulation_json
    from brobygger.web.accounts.models import Membership, Role
    from brobygger.web.registry.models import Municipality, Organisation

    call_command("migrate", verbosity=0)
    municipality = Municipality.objects.create(code="101", name="København",
                                               region="Hovedstaden")
    org = Organisation.objects.create(name="Jobcenter", kind=Organisation.Kind.MUNICIPALITY,
                                      municipality=municipality)
    user = get_user_model().objects.create_user("bench", password="bench-password-not-secret")
    Membership.objects.create(user=user, organisation=org, role=Role.CASEWORKER)
    client = Client()
    client.force_login(user)

    compiled = compile_changes("default", [])
    simulate(compiled, 100, 0)  # numba's kernels loaded once, outside every timing

    baseline = []
    for seed in range(repeats):
        t = time.perf_counter()
        simulation_json(simulate(compiled, draws, 1000 + seed))
        baseline.append(time.perf_counter() - t)

    def update(multiplier: str, seed: int) -> float:
        data = {"base": "default", "draws": str(draws), "seed": str(seed),
                "rate-job_finding": multiplier, "price-job_start": "15000"}
        t = time.perf_counter()
        response = client.post("/lab/update/", data)
        elapsed = time.perf_counter() - t
        html = response.content.decode()
        assert response.status_code == 200 and 'id="lab-p-gain"' in html, html[:500]
        return elapsed

    new = [update(f"1,{n + 1}", 2000 + n) for n in range(repeats)]  # a new change each time
    cached = [update(f"1,{n + 1}", 2000 + n) for n in range(repeats)]  # the same again

    def line(name: str, times: list[float]) -> str:
        return (f"  {name:<46} median {statistics.median(times):6.3f} s  "
                f"(min {min(times):.3f}, max {max(times):.3f})")

    base = statistics.median(baseline)
    print(f"machine: {machine()}")
    print(f"default scenario, {draws:,} draws, {repeats} repeats each:")
    print(line("baseline: core simulate + JSON", baseline))
    print(line("lab update, a new change (request → response)", new))
    print(line("lab update, the same change again (cached)", cached))
    print(f"  ratio new-change update / baseline: {statistics.median(new) / base:.2f}")
    verdict = "meets" if statistics.median(new) <= TARGET_S else "misses"
    print(f"  target ≤ {TARGET_S:.1f} s for a new change: {verdict} it "
          f"({statistics.median(new):.2f} s)")
    return verdict == "meets"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inner:
        return 0 if inner(args.draws, args.repeats) else 1
    with tempfile.TemporaryDirectory(prefix="brobygger-bench-lab-") as var:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "brobygger.web.settings", "DEBUG": "1",
               "BROBYGGER_VAR_DIR": var, "DATABASE_URL": f"sqlite:///{var}/bench.sqlite3",
               "LOG_LEVEL": "WARNING"}
        return subprocess.run([sys.executable, __file__, "--inner", "--draws", str(args.draws),
                               "--repeats", str(args.repeats)], env=env, check=False,
                              cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
