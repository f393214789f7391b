"""Benchmark: the registry web app with 10,000 participants and 200,000 events.

Targets: the participant list and the timeline pages answer with p95 ≤ 200 ms under
20 concurrent users (load from a second process over loopback), and an event file of 100,000
rows imports in ≤ 60 s.

What it does, all on this machine:

1. builds a fresh SQLite database in a temporary folder (``--dir`` to choose one): 12
   jobcentres, 18 partnerships and enterprises, 20 caseworkers, N participants (CPR numbers
   encrypted as in production) and M pathway events, by bulk inserts;
2. starts the app with gunicorn on 127.0.0.1 and a free port, with production settings
   (``DEBUG`` off, collected and compressed static files, a random secret and CPR key);
3. from this process (not the server's), logs the users in through the login form and sends
   load with one thread per user over ``http.client``: each request is the user's participant
   list (a random page of their scope, sometimes filtered by partnership) or a random
   participant's timeline. Bounded by a request count per user and a time limit. The same
   mix from one user is the baseline measured in the same run;
4. imports an event file of 100,000 rows through the app's upload form (the app's import
   code: read, check every row, write all or nothing), then imports it again (everything
   skipped as already registered);
5. stops the server by its PID and deletes the folder (``--keep`` keeps it).

    .venv/bin/python bench/bench_web.py [--participants 10000] [--events 200000]
        [--users 20] [--requests-per-user 60] [--duration 60] [--workers N]
        [--import-rows 100000] [--dir DIR] [--keep]
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime as dt
import http.client
import math
import os
import platform
import random
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_P95_MS = 200.0
TARGET_IMPORT_S = 60.0
PASSWORD = "bench-password-not-secret"
HOST = "127.0.0.1"


# --- the machine ------------------------------------------------------------------------------

def machine() -> str:
    cpu = platform.processor() or "?"
    with contextlib.suppress(OSError), open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with contextlib.suppress(OSError, ValueError), open("/proc/meminfo") as f:
        kb = int(f.readline().split()[1])
        mem = f"{kb / 1024**2:.1f} GiB"
    import django

    return (f"{platform.system()} {platform.release()} {platform.machine()}, {cpu}, "
            f"{os.cpu_count()} CPUs, {mem} RAM; Python {platform.python_version()}, "
            f"Django {django.get_version()}, SQLite {sqlite3.sqlite_version}")


# --- settings shared by this process and the server ---------------------------------------

def server_environment(folder: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DEBUG")}
    env.update({
        "DJANGO_SETTINGS_MODULE": "brobygger.web.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": f"{HOST},localhost",
        "BROBYGGER_CPR_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
        "BROBYGGER_VAR_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "SECURE_SSL_REDIRECT": "0",  # plain http on loopback
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
    })
    return env


# --- building the database ----------------------------------------------------------------

@dataclass
class World:
    users: list[str] = field(default_factory=list)
    #: user name -> (partnership ids, participant ids) the user sees
    scope: dict[str, tuple[list[int], list[int]]] = field(default_factory=dict)
    importer: str = ""
    import_partnerships: list[int] = field(default_factory=list)
    employer_cvrs: list[str] = field(default_factory=list)


class CprMaker:
    """Unique, valid, fictitious CPR numbers (born 1960-1999; a 7th digit of 0-3 puts them
    in the 1900s)."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.used: set[str] = set()

    def __call__(self):
        from brobygger.cpr import parse_cpr

        while True:
            born = dt.date(1960, 1, 1) + dt.timedelta(days=self.rng.randrange(365 * 40))
            digits = f"{born:%d%m%y}{self.rng.randrange(0, 4)}{self.rng.randrange(1000):03d}"
            if digits not in self.used:
                self.used.add(digits)
                return parse_cpr(digits)


def pathway(rng: random.Random, referred: dt.date, n_events: int, employer, enterprise_id):
    """``n_events`` (kind, date, fields) that obey the timeline rules: referral, induction
    course, a job, then monthly benefit statuses (benefit until hired, none after)."""
    from brobygger.web.pathways.models import EventKind, SubsidyType

    started = referred + dt.timedelta(days=rng.randint(7, 30))
    done = started + dt.timedelta(days=rng.randint(90, 200))
    hired = done + dt.timedelta(days=rng.randint(10, 120))
    hours = Decimal(rng.choice([15, 20, 25, 30, 37]))
    steps = [
        ("referral", referred, {}),
        ("induction_start", started, {}),
        ("induction_completion", done, {}),
        (EventKind.EMPLOYMENT_START, hired, {
            "employer_id": employer, "hours_per_week": hours,
            "monthly_wage": (hours * Decimal("4.33") * Decimal("125.25")).quantize(Decimal(1)),
            "subsidy_type": rng.choice(list(SubsidyType.values)),
        }),
    ][:n_events]
    month = dt.date(referred.year, referred.month, 1)
    while len(steps) < n_events:
        month = (month + dt.timedelta(days=32)).replace(day=1)
        steps.append((EventKind.BENEFIT_STATUS, month, {
            "benefit_month": month, "benefit_type": "kontanthjaelp" if month < hired else "",
        }))
    return steps


def build(n_participants: int, n_events: int, seed: int = 2018) -> World:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import transaction

    from brobygger.web.accounts.models import Membership, Role
    from brobygger.web.demo import ENTERPRISE_TRADES, MUNICIPALITY_CODES
    from brobygger.web.lib.cvr import make_cvr
    from brobygger.web.pathways.cpr import store_cpr
    from brobygger.web.pathways.models import Participant, PathwayEvent
    from brobygger.web.pathways.timeline import problems_with
    from brobygger.web.registry.management.commands.loadmunicipalities import (
        load_municipalities,
    )
    from brobygger.web.registry.models import Municipality, Organisation, Partnership, Programme

    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    cvrs = iter(c for c in (_try_cvr(make_cvr, 1_000_000 + 7919 * i) for i in range(10_000)) if c)
    world = World()
    User = get_user_model()
    password = make_password(PASSWORD)
    kinds = Organisation.Kind
    with transaction.atomic():
        load_municipalities()
        programme = Programme.objects.create(
            name="Benchmark", starts_on=dt.date(2018, 1, 1), ends_on=dt.date(2022, 12, 31),
            eligible_costs=Decimal(34152809), esf_share=Decimal("0.5"))
        jobcentres, actors = [], []
        for code in MUNICIPALITY_CODES:
            m = Municipality.objects.get(code=code)
            jobcentres.append(Organisation.objects.create(
                name=f"Jobcenter {m.name}", cvr=next(cvrs), kind=kinds.MUNICIPALITY,
                municipality=m))
            actors.append(Organisation.objects.create(
                name=f"Aktørhuset {m.name}", cvr=next(cvrs), kind=kinds.OTHER_ACTOR,
                municipality=m))
        enterprises = [Organisation.objects.create(
            name=f"{trade} ApS", cvr=next(cvrs), kind=kinds.SOCIAL_ENTERPRISE)
            for trade in ENTERPRISE_TRADES]
        employers = [Organisation.objects.create(name=name, cvr=next(cvrs), kind=kinds.EMPLOYER)
                     for name in ("Netto", "Danish Crown", "Region Syddanmark")]
        world.employer_cvrs = [o.cvr for o in enterprises + employers]
        partnerships = [Partnership.objects.create(
            programme=programme, name=f"{jobcentres[i % 12].name} × {se.name}",
            municipality=jobcentres[i % 12], other_actor=actors[i % 12], social_enterprise=se,
            starts_on=dt.date(2018, 1, 1)) for i, se in enumerate(enterprises)]
        # 20 caseworkers: one per jobcentre, a second one in the first eight
        for i in range(20):
            jc = jobcentres[i % 12]
            user = User.objects.create(username=f"sagsbehandler-{i:02d}", password=password)
            Membership.objects.create(user=user, organisation=jc, role=Role.CASEWORKER)
            world.users.append(user.username)
        importer = User.objects.create(username="importer", password=password)
        Membership.objects.create(user=importer, organisation=jobcentres[0], role=Role.CASEWORKER)
        world.importer = importer.username

    make_cpr = CprMaker(seed)
    per_participant = [n_events // n_participants + (1 if i < n_events % n_participants else 0)
                       for i in range(n_participants)]
    owner = User.objects.get(username=world.users[0])
    participants = []
    for i in range(n_participants):
        referred = dt.date(2018, 4, 1) + dt.timedelta(days=rng.randrange(365 * 3))
        p = Participant(
            partnership=partnerships[i % len(partnerships)], fictitious=True,
            name=f"{rng.choice(['Anne', 'Mads', 'Fatima', 'Omar', 'Line'])} "
                 f"{rng.choice(['Jensen', 'Nielsen', 'Demir', 'Holm'])} {i}",
            benefit_type="kontanthjaelp", weeks_on_benefit_at_entry=rng.randint(26, 520),
            employment_status_at_entry="long_term_unemployed", education="isced_1_2",
            consent_given_on=referred, created_by=owner)
        store_cpr(p, make_cpr(), entry_date=referred)
        p._bench_referred = referred
        participants.append(p)
    with transaction.atomic():
        Participant.objects.bulk_create(participants, batch_size=2000)
    batch: list[PathwayEvent] = []
    for checked, (p, n) in enumerate(zip(participants, per_participant, strict=True)):
        enterprise = p.partnership.social_enterprise_id
        employer = enterprise if rng.random() < 0.65 else employers[rng.randrange(3)].pk
        history: list[PathwayEvent] = []
        for kind, day, extra in pathway(rng, p._bench_referred, n, employer, enterprise):
            event = PathwayEvent(participant_id=p.pk, kind=kind, occurred_on=day,
                                 registered_by=owner, source="bench", **extra)
            if checked < 50:  # the generator obeys the app's own rules
                assert not problems_with(event, history), (kind, problems_with(event, history))
                history.append(event)
            batch.append(event)
        if len(batch) >= 20_000:
            _insert(batch)
    _insert(batch)

    by_partnership: dict[int, list[int]] = {}
    for p in participants:
        by_partnership.setdefault(p.partnership_id, []).append(p.pk)
    for i, name in enumerate(world.users):
        jc = jobcentres[i % 12]
        mine = [ps.pk for ps in partnerships if ps.municipality_id == jc.pk]
        world.scope[name] = (mine, [pk for ps in mine for pk in by_partnership.get(ps, [])])
    world.import_partnerships = [ps.pk for ps in partnerships
                                 if ps.municipality_id == jobcentres[0].pk]
    return world


def _try_cvr(make_cvr, stem: int) -> str | None:
    try:
        return make_cvr(stem)
    except ValueError:
        return None


def _insert(batch: list) -> None:
    from django.db import transaction

    from brobygger.web.pathways.models import PathwayEvent

    with transaction.atomic():
        PathwayEvent.objects.bulk_create(batch, batch_size=5000)
    batch.clear()


def import_file(world: World, n_rows: int, seed: int = 7) -> tuple[bytes, int]:
    """New participants (referral only, bulk-inserted) and a CSV of ``n_rows`` later events
    for them, as a caseworker would upload it: semicolons, CPR with a dash, Danish dates."""
    from django.contrib.auth import get_user_model

    from brobygger.web.pathways.cpr import store_cpr
    from brobygger.web.pathways.models import Participant, PathwayEvent

    rng = random.Random(seed)
    per = 20
    n_people = -(-n_rows // per)
    importer = get_user_model().objects.get(username=world.importer)
    make_cpr = CprMaker(seed + 1)
    people, cprs = [], []
    for i in range(n_people):
        referred = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(365 * 2))
        p = Participant(
            partnership_id=world.import_partnerships[i % len(world.import_partnerships)],
            fictitious=True, name=f"Import {i}", benefit_type="kontanthjaelp",
            weeks_on_benefit_at_entry=52, employment_status_at_entry="unemployed",
            education="isced_3_4", created_by=importer)
        cpr = make_cpr()
        store_cpr(p, cpr, entry_date=referred)
        p._bench_referred = referred
        people.append(p)
        cprs.append(cpr)
    taken = set(Participant.objects.filter(
        cpr_fingerprint__in=[p.cpr_fingerprint for p in people]).values_list("cpr_fingerprint",
                                                                             flat=True))
    keep = [i for i, p in enumerate(people) if p.cpr_fingerprint not in taken]
    people, cprs = [people[i] for i in keep], [cprs[i] for i in keep]
    Participant.objects.bulk_create(people, batch_size=2000)
    _insert([PathwayEvent(participant_id=p.pk, kind="referral", occurred_on=p._bench_referred,
                          registered_by=importer, source="bench") for p in people])
    lines = ["cpr;kind;occurred_on;corrects_id;employer_cvr;hours_per_week;monthly_wage;"
             "subsidy_type;benefit_month;benefit_type"]
    rows = 0
    for p, cpr in zip(people, cprs, strict=True):
        steps = pathway(rng, p._bench_referred, per + 1, None, None)[1:]  # after the referral
        for kind, day, extra in steps[: n_rows - rows]:
            cvr = rng.choice(world.employer_cvrs) if kind == "employment_start" else ""
            lines.append(";".join([
                f"{cpr.digits[:6]}-{cpr.digits[6:]}", str(kind), f"{day:%d-%m-%Y}", "", cvr,
                str(extra.get("hours_per_week", "")), str(extra.get("monthly_wage", "")),
                extra.get("subsidy_type", ""),
                f"{extra['benefit_month']:%Y-%m-%d}" if "benefit_month" in extra else "",
                extra.get("benefit_type", ""),
            ]))
            rows += 1
    return ("\r\n".join(lines) + "\r\n").encode(), rows


# --- the server ---------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(env: dict[str, str], port: int, workers: int, log: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "gunicorn", "brobygger.web.wsgi:application",
           "--bind", f"{HOST}:{port}", "--workers", str(workers), "--timeout", "600",
           "--log-level", "warning", "--error-logfile", str(log)]
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}; see {log}")
        with contextlib.suppress(OSError):
            if request(port, "GET", "/accounts/login/")[0] == 200:
                return proc
        time.sleep(0.2)
    stop(proc)
    raise RuntimeError(f"gunicorn did not answer within 60 s; see {log}")


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM to the gunicorn master by its PID (it stops its workers), SIGKILL if it hangs."""
    if proc.poll() is not None:
        return
    os.kill(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


# --- the client ---------------------------------------------------------------------------

def request(port: int, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None, timeout: float = 30):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, resp.getheaders(), data
    finally:
        conn.close()


class Session:
    """A logged-in browser, minus the browser: cookies by hand, CSRF token from the form."""

    def __init__(self, port: int, username: str):
        self.port, self.cookies = port, {}
        token = self.csrf_token("/accounts/login/")
        body = urllib.parse.urlencode({"username": username, "password": PASSWORD,
                                       "csrfmiddlewaretoken": token, "next": ""}).encode()
        status, _h, _d = self.call("POST", "/accounts/login/", body,
                                   {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login of {username} failed (HTTP {status})")

    def call(self, method: str, path: str, body: bytes | None = None,
             headers: dict[str, str] | None = None, timeout: float = 30):
        headers = dict(headers or {})
        headers["Accept-Language"] = "da"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        status, response_headers, data = request(self.port, method, path, body, headers,
                                                 timeout)
        for name, value in response_headers:
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return status, response_headers, data

    def csrf_token(self, path: str) -> str:
        status, _h, data = self.call("GET", path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', data)
        if status != 200 or match is None:
            raise RuntimeError(f"no form on {path} (HTTP {status})")
        return match.group(1).decode()


PAGE_SIZE = 50  # the app's page size (pathways.views.PAGE_SIZE): pages to choose from


def next_path(rng: random.Random, scope: tuple[list[int], list[int]]) -> tuple[str, str]:
    partnerships, participants = scope
    if rng.random() < 0.5:
        if rng.random() < 0.25:
            ps = rng.choice(partnerships)
            return "list", f"/participants/?q=&partnership={ps}"
        pages = max(1, -(-len(participants) // PAGE_SIZE))
        return "list", f"/participants/?page={rng.randint(1, pages)}"
    return "timeline", f"/participants/{rng.choice(participants)}/"


@dataclass
class Sample:
    kind: str
    ms: float
    status: int


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes and their children so far (Linux)."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0.0
    todo = list(pids)
    while todo:
        pid = todo.pop()
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            for task in Path(f"/proc/{pid}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
    return total


def run_load(sessions: list[tuple[Session, tuple]], requests_per_user: int, duration: float,
             seed: int) -> tuple[list[Sample], float]:
    """One thread per session, all started together; each stops after its requests or when
    the time is up."""
    samples: list[Sample] = []
    lock = threading.Lock()
    start = threading.Barrier(len(sessions) + 1)
    deadline = [0.0]

    def user(index: int, session: Session, scope) -> None:
        rng = random.Random(seed * 1000 + index)
        mine = []
        start.wait()
        for _ in range(requests_per_user):
            if time.monotonic() > deadline[0]:
                break
            kind, path = next_path(rng, scope)
            t0 = time.perf_counter()
            try:
                status = session.call("GET", path)[0]
            except OSError:
                status = 0
            mine.append(Sample(kind, (time.perf_counter() - t0) * 1000, status))
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=user, args=(i, s, scope), daemon=True)
               for i, (s, scope) in enumerate(sessions)]
    for t in threads:
        t.start()
    deadline[0] = time.monotonic() + duration
    t0 = time.perf_counter()
    start.wait()
    for t in threads:
        t.join(duration + 60)
    return samples, time.perf_counter() - t0


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def summary(label: str, samples: list[Sample], seconds: float) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    print(f"  {label}: {len(samples)} requests in {seconds:.1f} s "
          f"({len(samples) / seconds:.0f} req/s)")
    for kind in ("list", "timeline", "all"):
        ms = [s.ms for s in samples if kind in ("all", s.kind)]
        errors = sum(1 for s in samples if kind in ("all", s.kind) and s.status != 200)
        out[kind] = {"p50": percentile(ms, 50), "p95": percentile(ms, 95),
                     "max": max(ms, default=float("nan")), "n": len(ms), "errors": errors}
        print(f"    {kind:<9} n={len(ms):>5}  p50 {out[kind]['p50']:7.1f} ms  "
              f"p95 {out[kind]['p95']:7.1f} ms  max {out[kind]['max']:7.1f} ms  "
              f"mean {statistics.fmean(ms) if ms else float('nan'):6.1f} ms  errors {errors}")
    return out


def upload(session: Session, content: bytes) -> tuple[int, bytes, float]:
    token = session.csrf_token("/import/")
    boundary = "----brobygger" + secrets.token_hex(8)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{token}\r\n".encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nevents\r\n'.encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="events.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\n".encode() + content + b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    t0 = time.perf_counter()
    status, _h, data = session.call(
        "POST", "/import/", b"".join(parts),
        {"Content-Type": f"multipart/form-data; boundary={boundary}"}, timeout=600)
    return status, data, time.perf_counter() - t0


def imported_message(session: Session) -> str:
    _s, _h, data = session.call("GET", "/import/")
    match = re.search(rb'<ul class="messages"><li class="success">([^<]+)</li>', data)
    return match.group(1).decode() if match else "(no message)"


# --- main ---------------------------------------------------------------------------------

def start_django(folder: Path, ap: argparse.ArgumentParser) -> dict[str, str]:
    """Django in this process on a new database in ``folder``, as the server will run it;
    the server's environment."""
    folder.mkdir(parents=True, exist_ok=True)
    if (folder / "bench.sqlite3").exists():
        ap.error(f"{folder / 'bench.sqlite3'} exists; give an empty --dir")
    env = server_environment(folder)
    os.environ.update({k: env[k] for k in (
        "DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "BROBYGGER_CPR_KEY",
        "BROBYGGER_VAR_DIR", "DATABASE_URL", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
        "LOG_LEVEL")})
    import django

    django.setup()
    return env


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--participants", type=int, default=10_000)
    ap.add_argument("--events", type=int, default=200_000)
    ap.add_argument("--users", type=int, default=20, help="concurrent users (at most 20)")
    ap.add_argument("--requests-per-user", type=int, default=60)
    ap.add_argument("--baseline-requests", type=int, default=150)
    ap.add_argument("--duration", type=float, default=60.0, help="time limit per load phase, s")
    ap.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1,
                    help="gunicorn workers (default: CPUs + 1, as docs/deploy.md advises)")
    ap.add_argument("--import-rows", type=int, default=100_000)
    ap.add_argument("--dir", type=Path, help="folder for the database (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the folder afterwards")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if not 1 <= args.users <= 20:
        ap.error("--users must be 1 to 20")

    folder = args.dir or Path(tempfile.mkdtemp(prefix="brobygger-bench-web-"))
    env = start_django(folder, ap)
    print("bench_web: the registry web app")
    print(f"  machine: {machine()}")
    print(f"  server: gunicorn, {args.workers} sync workers, SQLite (WAL) in {folder}, "
          "DEBUG off; load from this process over loopback")

    server = None
    try:
        t0 = time.perf_counter()
        world = build(args.participants, args.events, args.seed)
        from brobygger.web.pathways.models import Participant, PathwayEvent

        n_p, n_e = Participant.objects.count(), PathwayEvent.objects.count()
        print(f"  database: {n_p:,} participants, {n_e:,} events, built in "
              f"{time.perf_counter() - t0:.1f} s")
        subprocess.run([sys.executable, "-m", "brobygger.web", "collectstatic", "--noinput",
                        "-v", "0"], env=env, cwd=ROOT, check=True, stdin=subprocess.DEVNULL)
        port = free_port()
        server = start_server(env, port, args.workers, folder / "gunicorn.log")
        print(f"  serving on http://{HOST}:{port}/ (gunicorn master pid {server.pid})")

        users = world.users[: args.users]
        sessions = [(Session(port, u), world.scope[u]) for u in users]
        # warm-up: every worker loads its templates and opens its database connection
        run_load(sessions, 4, 30, seed=args.seed + 99)

        print("\nLoad (participant list and timeline pages, half each; no think time)")
        def measured(label: str, group, n: int, seed: int):
            server_cpu, client_cpu = cpu_seconds([server.pid]), time.process_time()
            samples, seconds = run_load(group, n, args.duration, seed=seed)
            result = summary(label, samples, seconds)
            print(f"    CPU: server {cpu_seconds([server.pid]) - server_cpu:.1f} s, "
                  f"load generator {time.process_time() - client_cpu:.1f} s, "
                  f"in {seconds:.1f} s on {os.cpu_count()} CPUs")
            return result

        base = measured("baseline, 1 user", sessions[:1], args.baseline_requests, args.seed)
        load = measured(f"{len(sessions)} concurrent users", sessions, args.requests_per_user,
                        args.seed + 1)
        print(f"  target: p95 ≤ {TARGET_P95_MS:.0f} ms per page under {len(sessions)} users")
        ok = True
        for kind in ("list", "timeline"):
            p95 = load[kind]["p95"]
            verdict = "meets" if p95 <= TARGET_P95_MS and not load[kind]["errors"] else "MISSES"
            ok &= verdict == "meets"
            print(f"    {kind:<9} p95 {p95:6.1f} ms  {verdict} the target; "
                  f"{p95 / base[kind]['p95']:.1f}x the 1-user p95 ({base[kind]['p95']:.1f} ms), "
                  f"p50 {load[kind]['p50'] / base[kind]['p50']:.1f}x")

        if args.import_rows:
            print(f"\nImport ({args.import_rows:,}-row event file through the upload form)")
            before = PathwayEvent.objects.count()
            content, rows = import_file(world, args.import_rows)
            after_setup = PathwayEvent.objects.count()
            importer = Session(port, world.importer)
            status, data, seconds = upload(importer, content)
            added = PathwayEvent.objects.count() - after_setup
            if status != 302:
                problems = re.findall(rb'<td class="num">(\d+)</td><td>([^<]*)</td><td>([^<]*)<',
                                      data)[:5]
                print(f"  FAILED: HTTP {status}; first problems: {problems}")
                ok = False
            else:
                print(f"  {rows:,} rows ({len(content) / 1e6:.1f} MB) for "
                      f"{after_setup - before:,} participants: {seconds:.1f} s, "
                      f"{added:,} events written; {imported_message(importer)}")
                verdict = "meets" if seconds <= TARGET_IMPORT_S and added == rows else "MISSES"
                ok &= verdict == "meets"
                print(f"  target: ≤ {TARGET_IMPORT_S:.0f} s: {verdict} it "
                      f"({rows / seconds:,.0f} rows/s)")
                status, _d, again = upload(importer, content)
                dup = PathwayEvent.objects.count() - after_setup - added
                print(f"  the same file again: {again:.1f} s, HTTP {status}, {dup} events "
                      f"added; {imported_message(importer)}")
                ok &= dup == 0
        print(f"\n{'all targets met' if ok else 'NOT all targets met'}")
        return 0 if ok else 1
    finally:
        if server is not None:
            stop(server)
        if args.keep:
            print(f"  kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
