"""The live forecast for the web: the registry's events in, the core's forecast out, cached.

Nothing of the model is computed here: the registry is read into the core's event records
(``pathways.coreevents``), :func:`brobygger.simulation.forecast.run_forecast` does the rest,
and the result is kept in a JSON file per (data date, registry version, scenario, seed, draws,
code version) under ``VAR_DIR/forecast`` so that every worker serves it without recomputing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import subprocess
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.http import Http404

import brobygger
from brobygger.errors import BrobyggerError
from brobygger.payments.store import LedgerDir
from brobygger.scenario.load import load_scenario, resolve_path
from brobygger.scenario.schema import Scenario
from brobygger.simulation.forecast import payment_flows, profile_index, run_forecast
from brobygger.web.accounts import scoping
from brobygger.web.registry.models import Municipality, Organisation, Partnership

#: the registry's age bands → the scenario's
AGE_BANDS = {"under_25": "under_25", "25_29": "25_to_29", "30_54": "30_to_54",
             "55_plus": "55_plus"}


def scenario_name() -> str:
    return str(getattr(settings, "BROBYGGER_FORECAST_SCENARIO", "default"))


def draws() -> int:
    return int(getattr(settings, "BROBYGGER_FORECAST_DRAWS", 1000))


def seed() -> int:
    return int(getattr(settings, "BROBYGGER_FORECAST_SEED", 2018))


def ledger_dir() -> Path:
    return Path(settings.VAR_DIR) / "ledger"


def cache_dir() -> Path:
    return Path(settings.VAR_DIR) / "forecast"


@cache
def code_version() -> str:
    """The package version and, in a git checkout, the commit."""
    root = Path(brobygger.__file__).resolve().parents[2]
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=root,
                                capture_output=True, text=True, timeout=5, check=True
                                ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{brobygger.__version__}" + (f"+{commit}" if commit else "")


# --- who sees which municipality -------------------------------------------------------------

def municipality_codes_for_user(request_or_user) -> list[str] | None:
    """The kommunekoder whose business case the user may see; None: all (the operator)."""
    user = getattr(request_or_user, "user", request_or_user)
    if scoping.is_operator(user):
        return None
    orgs = list(scoping.memberships(user))
    return sorted(set(Organisation.objects.filter(
        pk__in=orgs, kind=Organisation.Kind.MUNICIPALITY
    ).values_list("municipality__code", flat=True)))


def get_municipality_for_user(request_or_user, code: str) -> Municipality:
    """The municipality, if the user may see its business case; otherwise a 404."""
    codes = municipality_codes_for_user(request_or_user)
    if codes is not None and code not in codes:
        raise Http404
    municipality = Municipality.objects.filter(code=code).first()
    if municipality is None:
        raise Http404
    return municipality


# --- the registry as the core's records --------------------------------------------------------

def registry_version() -> str:
    """Changes whenever an event or growth figure is added (the tables are append-only)."""
    from brobygger.web.accelerator.models import GrowthFigure
    from brobygger.web.pathways.models import Participant, PathwayEvent

    parts = (PathwayEvent.objects.aggregate(m=Max("pk"))["m"],
             GrowthFigure.objects.aggregate(m=Max("pk"))["m"],
             Participant.objects.aggregate(m=Max("pk"))["m"])
    return "-".join(str(p or 0) for p in parts)


def registry_records(as_of: dt.date) -> tuple[list[dict], dict[str, int]]:
    """Every participant's events (core schema) and the profile of those whose benefit and
    age band match exactly one scenario profile."""
    from brobygger.web.pathways import coreevents
    from brobygger.web.pathways.models import Participant

    participants = Participant.objects.all()
    partnerships = list(Partnership.objects.select_related("municipality__municipality"))
    records = coreevents.records(participants, partnerships, as_of=as_of)
    scenario = _scenario()
    profiles = {}
    for p in participants.only("pk", "benefit_type", "age_band_at_entry"):
        index = profile_index(scenario, p.benefit_type,
                              AGE_BANDS.get(p.age_band_at_entry, p.age_band_at_entry))
        if index >= 0:
            profiles[p.reference] = index
    return records, profiles


def _scenario() -> Scenario:
    return load_scenario(scenario_name())


def _scenario_digest() -> str:
    return hashlib.sha256(resolve_path(scenario_name()).read_bytes()).hexdigest()[:12]


# --- the cached run ---------------------------------------------------------------------------

@dataclass(frozen=True)
class RunKey:
    """A run is computed once per data date, scenario, seed, draws and code version; the
    registry is read as it is when the run is first asked for (``settlelive --forecast``
    recomputes it after late registrations)."""

    data_date: dt.date
    scenario: str
    scenario_digest: str
    seed: int
    draws: int
    code: str

    @property
    def digest(self) -> str:
        text = json.dumps(dataclasses.asdict(self), default=str, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:20]


def current_key(data_date: dt.date | None = None) -> RunKey:
    return RunKey(data_date or dt.date.today(), scenario_name(), _scenario_digest(), seed(),
                  draws(), code_version())


_MEMO: dict[str, dict[str, Any]] = {}


def forecast(key: RunKey | None = None, *, refresh: bool = False) -> dict[str, Any]:
    """The forecast of ``key`` (default: today's): from memory, from the file cache, or
    computed now and cached (``refresh``: computed now in any case)."""
    key = key or current_key()
    found = _MEMO.get(key.digest)
    if found is not None and not refresh:
        return found
    path = cache_dir() / f"{key.digest}.json"
    if path.exists() and not refresh:
        data = json.loads(path.read_text(encoding="utf-8"))
    else:
        text = json.dumps(compute(key))
        data = json.loads(text)  # the same form as read from the file (string keys)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    _MEMO.clear()  # keep one run per process: the latest
    _MEMO[key.digest] = data
    return data


def compute(key: RunKey) -> dict[str, Any]:
    """Run the core's forecast for ``key`` and keep what the pages show (JSON)."""
    started = dt.datetime.now(dt.UTC)
    records, profiles = registry_records(key.data_date)
    result = run_forecast(_scenario(), records, key.data_date, draws=key.draws, seed=key.seed,
                          profiles=profiles)
    return {
        "run": {**dataclasses.asdict(key), "data_date": key.data_date.isoformat(),
                "digest": key.digest, "registry": registry_version(),
                "participants": result.participants,
                "known_months": result.known_months,
                "computed_at": started.isoformat(timespec="seconds"),
                "seconds": round((dt.datetime.now(dt.UTC) - started).total_seconds(), 2)},
        "municipalities": {code: dataclasses.asdict(m)
                           for code, m in result.municipalities.items()},
        "actuals": actuals(records, key.data_date),
    }


def actuals(records: list[dict], as_of: dt.date) -> dict[str, Any] | None:
    """The indicators counted from the events by the core, in all and per municipality."""
    try:
        from brobygger.indicators.actuals import compute_indicators
    except ImportError:  # the core's indicators are optional for the forecast
        return None
    from brobygger.payments.events import table_from_records

    table, _problems = table_from_records(records, source="registry")
    counted = compute_indicators(table, as_of=as_of)
    return {"total": counted.totals, "municipalities": counted.groups.get("municipality", {})}


# --- money so far ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Flow:
    payer: str
    payee: str
    total: Decimal
    months: dict[str, Decimal]


def ledger_flows(code: str) -> list[Flow] | None:
    """Actual payments for the municipality's partnerships, per payer → payee (None: no
    settlement has been written to the ledger yet)."""
    store = LedgerDir(ledger_dir())
    batches = store.batches()
    if not batches:
        return None
    ids = frozenset(str(pk) for pk in Partnership.objects.filter(
        municipality__municipality__code=code).values_list("pk", flat=True))
    # the ledger only ever grows by new batch files: their names and sizes identify its state
    state = (str(store.path), *((p.name, p.stat().st_size) for p in batches))
    if _LEDGER_MEMO.get("state") != state:
        _LEDGER_MEMO.clear()
        _LEDGER_MEMO.update(state=state, entries=store.entries())
    key = ("flows", ids)
    if key not in _LEDGER_MEMO:
        flows: dict[tuple[str, str], dict[str, Decimal]] = {}
        for (payer, payee, month), amount in payment_flows(_LEDGER_MEMO["entries"], set(ids)
                                                           ).items():
            flows.setdefault((payer, payee), {})[month] = amount
        _LEDGER_MEMO[key] = [Flow(payer, payee, sum(months.values(), Decimal(0)), months)
                             for (payer, payee), months in flows.items()]
    return list(_LEDGER_MEMO[key])


_LEDGER_MEMO: dict[Any, Any] = {}


def account_labels(accounts: list[str]) -> dict[str, str]:
    """Each ledger account's label: ``municipality:101`` → the municipality's name,
    ``other_actor:7`` → the organisation's name, anything else (or unknown) → itself.
    Two queries whatever the number of accounts."""
    parts = {a: a.partition(":")[::2] for a in accounts}  # account -> (kind, ident)
    codes = {ident for kind, ident in parts.values() if kind == "municipality"}
    ids = {int(ident) for kind, ident in parts.values()
           if kind in ("other_actor", "social_enterprise") and ident.isdigit()}
    names = {("municipality", code): name for code, name in
             Municipality.objects.filter(code__in=codes).values_list("code", "name")} \
        if codes else {}
    names |= {(kind, str(pk)): name for pk, name in
              Organisation.objects.filter(pk__in=ids).values_list("pk", "name")
              for kind in ("other_actor", "social_enterprise")} if ids else {}
    return {a: names.get(parts[a], a) for a in accounts}


# --- settlement of the live registry -----------------------------------------------------------

@dataclass(frozen=True)
class SettleResult:
    contract: str
    period: str
    new_entries: int
    problems: list[str]


def settle_registry(as_of: dt.date, ledger: Path | None = None,
                    write: bool = True) -> list[SettleResult]:
    """Settle every contract's partnerships from their first event up to the last complete
    month at ``as_of`` (the core's settlement; only new or changed payments are written)."""
    from brobygger.payments.events import table_from_records
    from brobygger.payments.ledger import closed_periods
    from brobygger.payments.period import Period, month_index, month_label
    from brobygger.payments.settle import settle
    from brobygger.simulation.forecast import last_complete_month
    from brobygger.web.pathways import coreevents
    from brobygger.web.pathways.models import Participant
    from brobygger.web.registry.contracts import contract_file_for
    from brobygger.web.registry.models import Contract

    store = LedgerDir(ledger or ledger_dir())
    last = month_index(last_complete_month(as_of))
    out = []
    for contract in Contract.objects.filter(partnerships__isnull=False).distinct():
        partnerships = list(contract.partnerships.select_related(
            "municipality__municipality"))
        records = coreevents.records(Participant.objects.filter(partnership__in=partnerships),
                                     partnerships, as_of=as_of)
        if not records:
            continue
        table, read_problems = table_from_records(records, source=f"registry ({contract.code})")
        try:  # a contract the core refuses (its investor agreement, say) stops only itself
            cf = contract_file_for(contract)
        except BrobyggerError as exc:
            out.append(SettleResult(contract.code, "—", 0, [str(p) for p in exc.problems]))
            continue
        # from the ledger's read to the append, no other settlement writes (LedgerDir.locked)
        with store.locked() if write else contextlib.nullcontext():
            entries = store.entries()
            first = min(month_index(dt.date.fromisoformat(str(r["date"]))) for r in records)
            for closed in closed_periods(entries):
                first = max(first, closed.last + 1)
            if first > last:
                continue
            period = Period(first, last, f"{month_label(first)}..{month_label(last)}")
            result = settle(table, cf, period, entries, as_of=as_of,
                            batch=f"settlelive-{as_of.isoformat()}", problems=read_problems)
            if result.ok and write:
                store.append(result.entries, "settle", f"{contract.code}-{month_label(last)}",
                             {"contract": contract.code, "source": "registry",
                              "as_of": as_of.isoformat()})
        out.append(SettleResult(contract.code, str(period), len(result.entries),
                                [str(p) for p in result.problems]))
    return out
