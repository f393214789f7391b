"""Benchmark: settle 100,000 participants with 2,000,000 events (target ≤ 10 s, ≤ 2 GB).

Prints the machine, the wall time of each step (events parsed from columns, checked and
settled; optionally read from a CSV file; the ledger written), peak memory, and the ratio
against a naive baseline measured in the same run: a plain per-event Python loop over a 10 %
sample of the participants, scaled by ten.

    .venv/bin/python bench/bench_settle.py [--participants N] [--csv] [--write]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from brobygger.municipalities import municipalities
from brobygger.payments.contract_file import parse_contract_file
from brobygger.payments.events import EVENT_TYPES, build_table, read_events
from brobygger.payments.period import Period
from brobygger.payments.settle import settle

CONTRACT = {
    "contract": {
        "id": "bench", "label": "Benchmark rate card", "lag_months": 1,
        "outcomes": [
            {"id": "referral", "label": "Referral", "kind": "fixed",
             "trigger": {"type": "referral"}, "price": 2000, "payer": "municipality",
             "payees": {"other_actor": 1}},
            {"id": "completed", "label": "Induction completed",
             "trigger": {"type": "induction_completed"}, "price": 5000,
             "payer": "municipality", "payees": {"other_actor": 1}},
            {"id": "job_start", "label": "Job start", "trigger": {"type": "job_start"},
             "price": {"2019-01-01": 10000, "2020-07-01": 11000}, "payer": "municipality",
             "payees": {"other_actor": 0.6, "social_enterprise": 0.4}},
            {"id": "job_6m", "label": "Job sustained 6 months",
             "trigger": {"type": "job_sustained", "months": 6, "min_hours_per_week": 15},
             "price": 25000, "lag_months": 2, "payer": "municipality",
             "payees": {"other_actor": 0.5, "social_enterprise": 0.5}},
            {"id": "off_benefit", "label": "Month off benefit",
             "trigger": {"type": "off_benefit_month"}, "price": 1500, "payer": "municipality",
             "payees": {"other_actor": 1}},
            {"id": "place", "label": "Place created", "trigger": {"type": "place_created"},
             "price": 8000, "payer": "municipality", "payees": {"social_enterprise": 1}},
        ],
        "caps": {"per_participant": 60000, "per_partnership": 60_000_000},
    },
}
EVENTS_PER_PARTICIPANT = 20


def generate(n: int, seed: int = 7) -> dict[str, list[str]]:
    """n participants × 20 events: referral, induction, jobs, education, benefit months."""
    rng = np.random.default_rng(seed)
    n_pship = max(1, n // 500)
    start = np.datetime64("2019-01-01")
    ref = start + rng.integers(0, 540, n)  # referrals over 18 months
    pship = rng.integers(0, n_pship, n)
    cols: dict[str, list[str]] = defaultdict(list)
    pid = [f"p{i:07d}" for i in range(n)]

    def add(mask: np.ndarray, kind: str, days: np.ndarray, **extra: object) -> None:
        idx = np.flatnonzero(mask)
        cols["participant"] += [pid[i] for i in idx]
        cols["type"] += [kind] * len(idx)
        cols["date"] += [str(d) for d in days[idx]]
        for column in ("partnership", "municipality", "other_actor", "social_enterprise",
                       "state", "hours_per_week", "amount", "count"):
            value = extra.get(column)
            if value is None:
                cols[column] += [""] * len(idx)
            elif isinstance(value, np.ndarray):
                cols[column] += [str(v) for v in value[idx]]
            else:
                cols[column] += [str(value)] * len(idx)

    everyone = np.ones(n, bool)
    codes = [m.code for m in municipalities()]  # the 98 real kommunekoder
    add(everyone, "referral", ref, partnership=np.array([f"ps{p}" for p in pship]),
        municipality=np.array([codes[p % len(codes)] for p in pship]),
        other_actor=np.array([f"aa{p}" for p in pship]),
        social_enterprise=np.array([f"se{p}" for p in pship]))
    used = np.ones(n, np.int64)
    ind = ref + rng.integers(0, 20, n)
    add(everyone, "induction_start", ind)
    completes = rng.random(n) < 0.8
    add(completes, "induction_completed", ind + 60)
    add(~completes, "induction_dropout", ind + 30)
    used += 2
    job = completes & (rng.random(n) < 0.55)
    job_day = ind + 60 + rng.integers(1, 120, n)
    acc = rng.random(n) < 0.5
    state = np.where(acc, "job_accelerator", "job_other")
    hours = np.where(rng.random(n) < 0.8, 30, 10)
    add(job, "job_start", job_day, state=state, hours_per_week=hours)
    ends = job & (rng.random(n) < 0.5)
    add(ends, "job_end", job_day + rng.integers(20, 400, n))
    edu = completes & ~job & (rng.random(n) < 0.25)
    add(edu, "education_start", ind + 90)
    used += job + ends + edu
    # fill up to 20 events with monthly benefit records (amount with øre)
    benefit_months = EVENTS_PER_PARTICIPANT - used
    for k in range(int(benefit_months.max())):
        mask = benefit_months > k
        day = (ref.astype("datetime64[M]") + k + 1).astype("datetime64[D]")
        add(mask, "benefit_month", day, amount=np.full(n, "11532.75"))
    # enterprise-side events: a few places created per partnership
    n_places = n_pship * 4
    cols["participant"] += [""] * n_places
    cols["type"] += ["place_created"] * n_places
    cols["date"] += [str(start + (i // n_pship) * 150 + int(d))
                     for i, d in enumerate(rng.integers(0, 100, n_places))]
    cols["partnership"] += [f"ps{i % n_pship}" for i in range(n_places)]
    for column in ("municipality", "other_actor", "social_enterprise", "state",
                   "hours_per_week", "amount"):
        cols[column] += [""] * n_places
    cols["count"] += ["1"] * n_places
    return dict(cols)


def naive(cols: dict[str, list[str]], cf, last: dt.date) -> int:
    """A plain loop: per event into per-participant dicts, then per participant per month."""
    c = cf.contract
    people: dict[str, dict] = defaultdict(lambda: {"jobs": [], "edu": []})
    for i in range(len(cols["type"])):
        kind, who, date = cols["type"][i], cols["participant"][i], cols["date"][i]
        d = dt.date.fromisoformat(date)
        p = people[who] if who else None
        if kind == "referral":
            p["ref"] = d
        elif kind == "induction_completed":
            p["completed"] = d
        elif kind == "job_start":
            p["jobs"].append([d, None, float(cols["hours_per_week"][i])])
        elif kind == "job_end":
            p["jobs"][-1][1] = d
        elif kind == "education_start":
            p["edu"].append([d, None])
    total = 0
    for p in people.values():
        if "ref" not in p:
            continue
        paid = 0
        month = p["ref"].replace(day=1)
        run = 0
        while month <= last:
            nxt = (month + dt.timedelta(days=32)).replace(day=1)
            end = nxt - dt.timedelta(days=1)
            in_job = any(s <= end and (e is None or e >= end) for s, e, h in p["jobs"])
            in_edu = any(s <= end and (e is None or e >= end) for s, e in p["edu"])
            run = run + 1 if in_job else 0
            for o in c.outcomes:
                t = o.trigger.type
                fired = (t == "off_benefit_month" and (in_job or in_edu)) or \
                    (t == "job_sustained" and run == o.trigger.months) or \
                    (t == "referral" and month == p["ref"].replace(day=1))
                if fired:
                    price = o.price_at(p["ref"])
                    amount = min(price, c.caps.per_participant - paid)
                    paid += max(amount, 0)
            month = nxt
        total += paid
    return total


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=100_000)
    parser.add_argument("--csv", action="store_true", help="also time reading a CSV file")
    parser.add_argument("--write", action="store_true", help="also time writing the ledger")
    args = parser.parse_args()
    print(f"machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}, numpy {np.__version__}")
    cf = parse_contract_file(CONTRACT, "bench")
    t0 = time.perf_counter()
    cols = generate(args.participants)
    n_events = len(cols["type"])
    print(f"generated {args.participants:,} participants, {n_events:,} events in "
          f"{time.perf_counter() - t0:.1f} s")
    assert set(cols["type"]) <= set(EVENT_TYPES)
    period = Period.parse("2022-Q1")
    as_of = dt.date(2022, 4, 1)

    # naive baseline on a 10 % sample of participants, scaled by 10
    sample = {f"p{i:07d}" for i in range(0, args.participants, 10)}
    keep = [i for i, p in enumerate(cols["participant"]) if p in sample]
    sub = {k: [v[i] for i in keep] for k, v in cols.items()}
    t0 = time.perf_counter()
    naive(sub, cf, dt.date(2022, 3, 31))
    t_naive = (time.perf_counter() - t0) * 10

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    table, problems = build_table(cols, list(range(2, n_events + 2)), "bench")
    t_parse = time.perf_counter() - t0
    result = settle(table, cf, period, as_of=as_of, problems=problems)
    t_total = time.perf_counter() - t0
    assert result.ok, result.problems[:5]
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux → MiB
    paid = sum(t.amount for t in result.entries)
    print(f"settled {period}: {len(result.entries):,} transactions, {paid:,.2f} DKK paid")
    print(f"  parse columns {t_parse:.2f} s, check + settle {t_total - t_parse:.2f} s, "
          f"total {t_total:.2f} s (target ≤ 10 s: {'met' if t_total <= 10 else 'MISSED'})")
    print(f"  peak memory (process RSS, resource.getrusage): {peak_rss:,.0f} MiB, of which "
          f"{rss_before:,.0f} MiB held the generated input (target ≤ 2048 MiB: "
          f"{'met' if peak_rss <= 2048 else 'MISSED'})")
    print(f"naive per-event loop (10 % sample, ×10, run first): {t_naive:.2f} s "
          f"(it skips validation, lags and most triggers); "
          f"ratio naive / brobygger = {t_naive / t_total:.1f}×")

    met = t_total <= 10 and peak_rss <= 2048
    if args.csv or args.write:
        with tempfile.TemporaryDirectory() as tmp:
            if args.csv:
                path = Path(tmp) / "events.csv"
                header = list(cols)
                with path.open("w") as fh:
                    fh.write(",".join(header) + "\n")
                    fh.writelines(",".join(row) + "\n" for row in zip(*cols.values(),
                                                                      strict=True))
                t0 = time.perf_counter()
                table2, problems2 = read_events(path)
                t_read = time.perf_counter() - t0
                assert not problems2
                print(f"  read CSV ({path.stat().st_size / 2**20:,.0f} MiB): {t_read:.2f} s")
                del table2
            if args.write:
                from brobygger.payments.store import LedgerDir

                t0 = time.perf_counter()
                LedgerDir(Path(tmp) / "ledger").append(result.entries, "settle", period.label)
                print(f"  write ledger batch: {time.perf_counter() - t0:.2f} s")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
