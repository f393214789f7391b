"""The live business case: forecasting from the registry's real participants.

A forecast starts from what has happened. Each real participant enters the scenario in the
month of the referral (the scenario's intake becomes the actual referrals, optionally with the
planned intake for the months after the data date); in the programme world each participant
follows the states the registry shows for the months that are complete at the data date, and
the simulation draws only the rest of the horizon. The counterfactual is drawn from referral,
as in planning: nobody knows what the citizen would have done without the programme.

So a month's savings before the data date are *realised* in the programme world and simulated
in the counterfactual one; after the data date both are simulated. The money actually paid so
far is read from the ledger (:func:`payment_flows`), never from the simulation.

The pieces are plain functions over plain records (the event-file schema of
``docs/events-schema.md``), so the web app, a notebook and the tests all use the same ones.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np

from brobygger.errors import BrobyggerError, Problem
from brobygger.model import CompiledScenario, month_index
from brobygger.pathways.states import INDEX
from brobygger.payments.ledger import Entry, transactions
from brobygger.problem_text import LIVE_SCENARIO
from brobygger.scenario.check import check_scenario
from brobygger.scenario.load import parse_scenario
from brobygger.scenario.schema import Scenario, State
from brobygger.simulation.run import Histories, break_even_months, simulate

UNKNOWN = -1
PAYER_NAMES = ("municipality", "state")
QUANTILES = (5, 25, 50, 75, 95)

#: the state a participant is in after an event of the event-file schema (None: unchanged)
_STATE_AFTER: dict[str, State | None] = {
    "referral": State.referred,
    "induction_start": State.induction,
    "induction_completed": State.jobseeking,
    "induction_dropout": State.benefit,
    "education_start": State.education,
    "education_end": State.benefit,
    "job_start": None,  # the record's ``state`` column
    "job_end": State.benefit,
    "benefit_month": None,
    "exit": State.exited,
}
#: an end date is the last day in the job or education: the new state holds from the day after
_ENDS = frozenset({"job_end", "education_end"})


@dataclass(frozen=True)
class LiveParticipant:
    """A real participant as the forecast sees it: no name, no CPR number.

    ``states[k]`` is the state index at the end of month k of the path (k = 0 is the referral
    month), for the months complete at the data date.
    """

    reference: str
    municipality: str
    referral: dt.date
    states: tuple[int, ...]
    profile: int = UNKNOWN


def last_complete_month(data_date: dt.date) -> dt.date:
    """The last calendar month whose last day is on or before the data date."""
    if data_date.day == calendar.monthrange(data_date.year, data_date.month)[1]:
        return data_date.replace(day=1)
    first = data_date.replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


def _add_months(month: dt.date, k: int) -> dt.date:
    i = month.year * 12 + month.month - 1 + k
    return dt.date(i // 12, i % 12 + 1, 1)


def _months_from(first: dt.date, last: dt.date) -> int:
    return (last.year - first.year) * 12 + last.month - first.month


def _date(value: object) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def monthly_states(events: Sequence[Mapping[str, object]], referral: dt.date,
                   data_date: dt.date, entry_state: int) -> tuple[int, ...]:
    """One participant's state at the end of each complete month from referral on.

    The referral month is the model's entry state (the chains start there); from the next
    month on, the state at the month's last day after every event up to that day (job and
    education ends take effect the day after the end date). Monthly benefit statuses change
    nothing; after an exit the participant stays exited.
    """
    start = referral.replace(day=1)
    n = _months_from(start, last_complete_month(data_date)) + 1
    if n <= 0:
        return ()
    changes: list[tuple[dt.date, int]] = []
    for e in events:
        kind = str(e["type"])
        if kind not in _STATE_AFTER:
            continue
        state = _STATE_AFTER[kind]
        if kind == "job_start":
            state = State(str(e.get("state") or State.job_other.value))
        if state is None:
            continue
        day = _date(e["date"])
        if kind in _ENDS:
            day += dt.timedelta(days=1)
        changes.append((day, INDEX[state]))
    changes.sort(key=lambda c: c[0])
    out = [entry_state]
    current, j = entry_state, 0
    for k in range(1, n):
        end = _add_months(start, k + 1) - dt.timedelta(days=1)
        while j < len(changes) and changes[j][0] <= end:
            if current != INDEX[State.exited]:
                current = changes[j][1]
            j += 1
        out.append(current)
    return tuple(out)


def participants_from_records(records: Iterable[Mapping[str, object]], data_date: dt.date,
                              entry_state: int, profiles: Mapping[str, int] | None = None
                              ) -> list[LiveParticipant]:
    """The participants of an event list (citizen events; enterprise events are ignored).

    ``profiles`` maps a participant reference to its profile index when it is known.
    """
    by_participant: dict[str, list[Mapping[str, object]]] = defaultdict(list)
    for r in records:
        if r.get("participant"):
            by_participant[str(r["participant"])].append(r)
    problems: list[Problem] = []
    out: list[LiveParticipant] = []
    for ref, events in by_participant.items():
        referrals = [e for e in events if e["type"] == "referral"]
        if len(referrals) != 1 or not referrals[0].get("municipality"):
            problems.append(Problem("events", f"participant {ref}",
                                    "needs exactly one referral with a municipality",
                                    "one_referral", (("participant", ref),)))
            continue
        referral = _date(referrals[0]["date"])
        states = monthly_states(events, referral, data_date, entry_state)
        out.append(LiveParticipant(ref, str(referrals[0]["municipality"]), referral, states,
                                   (profiles or {}).get(ref, UNKNOWN)))
    if problems:
        raise BrobyggerError(problems)
    return sorted(out, key=lambda p: (p.municipality, p.referral, p.reference))


def profile_index(scenario: Scenario, benefit: str, age_band: str) -> int:
    """The scenario profile of a participant's benefit kind (``kontanthjaelp``, the second
    part of the profile's benefit parameter) and age band, when exactly one profile fits;
    otherwise UNKNOWN (the simulation then draws it by the profiles' shares)."""
    fits = [i for i, p in enumerate(scenario.profiles)
            if p.benefit.split(".")[1:2] == [benefit] and p.age_band == age_band]
    return fits[0] if len(fits) == 1 else UNKNOWN


def live_scenario(scenario: Scenario, participants: Sequence[LiveParticipant],
                  data_date: dt.date, *, planned_after: bool = False) -> Scenario:
    """The scenario with the actual referrals as its intake.

    With ``planned_after`` the scenario's own intake still applies to the months after the
    data date's month. A municipality with participants that the scenario does not name is
    added with one partnership. Referrals outside the horizon or programme period are
    errors naming the participant.
    """
    data_month = data_date.replace(day=1)
    counts: dict[str, dict[dt.date, int]] = defaultdict(lambda: defaultdict(int))
    for p in participants:
        counts[p.municipality][p.referral.replace(day=1)] += 1
    data = scenario.model_dump(mode="json", exclude_unset=True)
    listed = {m.code for m in scenario.municipalities}
    rows = []
    for m in scenario.municipalities:
        schedule = dict(counts.get(m.code, {}))
        if planned_after:
            for month, n in m.intake.monthly().items():
                if month > data_month:
                    schedule[month] = schedule.get(month, 0) + n
        rows.append((m.code, m.partnerships, schedule))
    for code in sorted(set(counts) - listed):
        rows.append((code, 1, dict(counts[code])))
    data["municipalities"] = [
        {"code": code, "partnerships": n,
         "intake": {"schedule": {f"{k:%Y-%m}": v for k, v in sorted(s.items())}}}
        for code, n, s in rows
    ]
    data["name"] = f"{scenario.name} (live {data_date.isoformat()})"
    live = parse_scenario(data, source=LIVE_SCENARIO)
    problems = check_scenario(live, source=LIVE_SCENARIO)
    if problems:
        raise BrobyggerError(_named(problems, participants))
    return live


def _named(problems: list[Problem], participants: Sequence[LiveParticipant]) -> list[Problem]:
    """Intake problems name the participants referred in the offending months (from
    ``first`` to ``last``), in the problem's municipality."""
    out = []
    for p in problems:
        context = dict(p.context)
        code, first, last = (context.get(k) for k in ("municipality", "first", "last"))
        refs = [x.reference for x in participants if first is not None and last is not None
                and first <= f"{x.referral:%Y-%m}" <= last and x.municipality == code]
        named = ", ".join(refs)
        out.append(Problem(p.source, p.location + (f" (participants {named})" if refs else ""),
                           p.message, p.kind,
                           p.context + ((("participants", named),) if refs else ())))
    return out


def build_histories(compiled: CompiledScenario,
                    participants: Sequence[LiveParticipant]) -> Histories:
    """The participants' known states, aligned with :func:`build_inputs`' participants.

    build_inputs orders participants by municipality (the scenario's order), then referral
    month; real participants of a month come first (by reference), planned ones after them
    with nothing known.
    """
    T = compiled.T
    by_cell: dict[tuple[str, int], list[LiveParticipant]] = defaultdict(list)
    for p in sorted(participants, key=lambda p: p.reference):
        by_cell[(p.municipality, month_index(compiled.months, p.referral.replace(day=1)))
                ].append(p)
    profile: list[int] = []
    rows: list[np.ndarray] = []
    problems: list[Problem] = []
    for code in compiled.codes:
        counts = compiled.intake[code]
        for t in range(T):
            n = sum(round(x) for x in counts[:, t])
            real = by_cell.pop((code, t), [])
            if len(real) > n:
                month = f"{compiled.months[t]:%Y-%m}"
                problems.append(Problem(
                    "history", f"municipality {code}, month {month}",
                    f"{len(real)} participants but an intake of {n}", "over_intake",
                    (("municipality", code), ("month", month), ("count", len(real)),
                     ("intake", n))))
            for i in range(n):
                row = np.full(T, UNKNOWN, dtype=np.int64)
                if i < len(real):
                    known = real[i].states[: T - t]
                    row[: len(known)] = known
                    profile.append(real[i].profile)
                else:
                    profile.append(UNKNOWN)
                rows.append(row)
    for (code, _t), real in by_cell.items():
        problems.append(Problem("history", f"municipality {code}", f"{len(real)} participants "
                                "that the scenario's intake does not hold", "outside_intake",
                                (("municipality", code), ("count", len(real)))))
    if problems:
        raise BrobyggerError(problems)
    states = np.stack(rows) if rows else np.zeros((0, T), dtype=np.int64)
    return Histories(np.array(profile, dtype=np.int64), states)


@dataclass
class ForecastPaths:
    """Per draw, payer (municipality, state), municipality and month: net result and savings
    (DKK, monthly, not cumulative), from the core's kernel and :func:`assemble`."""

    compiled: CompiledScenario
    draws: int
    seed: int
    uncertainty: bool
    net: np.ndarray  # (D, 2, M, T)
    savings: np.ndarray  # (D, 2, M, T)


def forecast_paths(compiled: CompiledScenario, history: Histories, draws: int, seed: int, *,
                   uncertainty: bool = True, workers: int = 2) -> ForecastPaths:
    """Draw the horizon from each participant's history: ``simulate`` with the history,
    keeping each municipality's monthly net result and savings (for the realised savings up
    to the data date)."""
    sim = simulate(compiled, draws, seed, uncertainty=uncertainty, workers=workers,
                   history=history, paths=True)
    S = sim.summaries
    return ForecastPaths(compiled, draws, seed, uncertainty,
                         S.muni_path.transpose(0, 2, 1, 3),
                         S.muni_savings_path.transpose(0, 2, 1, 3))


@dataclass
class PayerForecast:
    """One payer's forecast for one municipality (money in DKK, months 1-based)."""

    fan: dict[int, list[float]]  # quantile -> cumulative net result per month
    mean_final: float  # expected net result over the horizon
    final: dict[int, float]  # quantile -> net result over the horizon
    p_gain: float  # probability of a net gain within the horizon
    break_even_counts: list[int]  # draws breaking even in month k (index 0: not within)
    p_break_even: float  # probability of breaking even within the horizon
    break_even: dict[int, int]  # quantile -> month (0: after the horizon)
    realised_savings: float  # mean savings up to the data date
    realised_savings_range: tuple[float, float]  # p5, p95
    realised_net: float  # mean net result up to the data date


@dataclass
class MunicipalityForecast:
    code: str
    months: list[str]  # YYYY-MM
    data_month: int  # index of the last complete month at the data date (-1: none)
    draws: int
    seed: int
    payers: dict[str, PayerForecast] = field(default_factory=dict)


def summarise_municipality(paths: ForecastPaths, code: str,
                           data_date: dt.date) -> MunicipalityForecast:
    c = paths.compiled
    m = c.codes.index(code)
    last = last_complete_month(data_date)
    data_month = max(-1, min(month_index(c.months, last), c.T - 1))  # -1: nothing known
    out = MunicipalityForecast(code, [f"{x:%Y-%m}" for x in c.months], data_month,
                               paths.draws, paths.seed)
    for p, name in enumerate(PAYER_NAMES):
        cum = np.cumsum(paths.net[:, p, m, :], axis=-1)  # (D, T)
        be = break_even_months(cum)
        be_sorted = np.where(be == 0, c.T + 1, be)  # not within: after every month
        realised = paths.savings[:, p, m, : data_month + 1].sum(axis=-1)
        realised_net = cum[:, data_month] if data_month >= 0 else np.zeros(len(cum))
        fan = np.percentile(cum, QUANTILES, axis=0)
        out.payers[name] = PayerForecast(
            fan={q: row.tolist() for q, row in zip(QUANTILES, fan, strict=True)},
            mean_final=float(cum[:, -1].mean()),
            final={q: float(v) for q, v in
                   zip(QUANTILES, np.percentile(cum[:, -1], QUANTILES), strict=True)},
            p_gain=float(np.mean(cum[:, -1] > 0)),
            break_even_counts=np.bincount(be, minlength=c.T + 1).tolist(),
            p_break_even=float(np.mean(be > 0)),
            break_even={q: (0 if v > c.T else int(v)) for q, v in zip(
                QUANTILES, np.percentile(be_sorted, QUANTILES, method="inverted_cdf"),
                strict=True)},
            realised_savings=float(realised.mean()),
            realised_savings_range=(float(np.percentile(realised, 5)),
                                    float(np.percentile(realised, 95))),
            realised_net=float(realised_net.mean()),
        )
    return out


def payment_flows(entries: Iterable[Entry], partnerships: set[str] | None = None
                  ) -> dict[tuple[str, str, str], Decimal]:
    """Money actually moved, per (payer account, payee account, YYYY-MM of the transaction),
    for the given partnerships (all when None). Reversals count negatively; drawdowns and
    repayments of investor finance are not outcome payments and are left out."""
    out: dict[tuple[str, str, str], Decimal] = defaultdict(Decimal)
    for txn in transactions(entries):
        if txn.kind not in ("payment", "reversal"):
            continue
        if partnerships is not None and txn.meta.partnership not in partnerships:
            continue
        sign = 1 if txn.kind == "payment" else -1
        payer = next(p.account for p in txn.postings if sign * p.amount < 0)
        for posting in txn.postings:
            if sign * posting.amount > 0:
                out[(payer, posting.account, f"{txn.date:%Y-%m}")] += posting.amount
    return dict(sorted(out.items()))


@dataclass
class LiveForecast:
    """A whole forecast run: the live scenario, what was followed and the summaries."""

    scenario: Scenario
    data_date: dt.date
    draws: int
    seed: int
    participants: int
    known_months: int  # participant-months followed from the registry
    municipalities: dict[str, MunicipalityForecast]


def run_forecast(scenario: Scenario, records: Sequence[Mapping[str, object]],
                 data_date: dt.date, *, draws: int, seed: int,
                 profiles: Mapping[str, int] | None = None, planned_after: bool = False,
                 uncertainty: bool = True, workers: int = 2,
                 params=None) -> LiveForecast:
    """From the registry's event records to every municipality's forecast."""
    from brobygger.model import compile_scenario

    entry_state = INDEX[scenario.pathways.programme.entry_state]
    people = participants_from_records(records, data_date, entry_state, profiles)
    live = live_scenario(scenario, people, data_date, planned_after=planned_after)
    compiled = compile_scenario(live, params)
    history = build_histories(compiled, people)
    paths = forecast_paths(compiled, history, draws, seed, uncertainty=uncertainty,
                           workers=workers)
    return LiveForecast(
        live, data_date, draws, seed, len(people), int((history.states >= 0).sum()),
        {code: summarise_municipality(paths, code, data_date) for code in compiled.codes},
    )
