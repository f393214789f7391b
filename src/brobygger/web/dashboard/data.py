"""The registry's events as the core's event table, fast enough for a dashboard.

``pathways.coreevents.records`` gives the same events as dicts of strings (for files and the
settlement); a dashboard over ten thousand participants cannot afford that per request. This
builds the :class:`~brobygger.payments.events.EventTable` straight from value tuples: one query
for the participants, one for their state-changing events (monthly benefit statuses never
change an indicator or a state), and the enterprises' growth figures booked as
``coreevents.enterprise_records`` books them (but only periods begun by ``as_of``). The
tests check that the core counts the same from both.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.core.cache import cache
from django.db.models import CharField
from django.db.models.functions import Cast

from brobygger.payments.events import TYPE, EventTable
from brobygger.web.accelerator.models import GrowthFigure
from brobygger.web.pathways.coreevents import CORE_TYPE
from brobygger.web.pathways.models import EventKind, Participant, PathwayEvent
from brobygger.web.registry.models import Partnership

_EPOCH = dt.date(1970, 1, 1).toordinal()


def _codes(values: Sequence[str]) -> tuple[dict[str, int], tuple[str, ...]]:
    labels = tuple(sorted(set(values)))
    return {v: i for i, v in enumerate(labels)}, labels


@dataclass(frozen=True)
class _Codes:
    """The coded columns' labels for a set of partnerships (sorted, as the core's tables)."""

    partnership: dict[str, int]
    municipality: dict[str, int]
    other_actor: dict[str, int]
    social_enterprise: dict[str, int]
    labels: dict[str, tuple[str, ...]]

    @staticmethod
    def of(partnerships: Sequence[Partnership]) -> _Codes:
        p_code, p_labels = _codes([str(p.pk) for p in partnerships])
        m_code, m_labels = _codes([p.municipality.municipality.code for p in partnerships])
        oa_code, oa_labels = _codes([str(p.other_actor_id) for p in partnerships])
        se_code, se_labels = _codes([str(p.social_enterprise_id) for p in partnerships])
        return _Codes(p_code, m_code, oa_code, se_code, {
            "partnership": p_labels, "municipality": m_labels, "other_actor": oa_labels,
            "social_enterprise": se_labels, "employer": ()})


def event_table(partnerships: Sequence[Partnership], *, as_of: dt.date) -> EventTable:
    """The events that count (no cancelled or replaced ones) of these partnerships'
    participants, and their enterprises' places and ordinary hires, as of ``as_of``.

    The participants' part is cached per set of partnerships and data version: events are
    append-only, so the newest event (with the newest participant) identifies what was
    registered. The enterprises' figures can be edited and are always read afresh.
    """
    codes = _Codes.of(partnerships)
    citizen, who_labels = _cached_citizen_columns(partnerships, codes)
    firm = _enterprise_columns(partnerships, codes, as_of)
    cols = {k: np.concatenate([citizen[k], firm[k]]).astype(citizen[k].dtype) for k in citizen}
    total = len(cols["type"])
    return EventTable(
        source="registry", rows=np.arange(1, total + 1, dtype=np.int64),
        ids=np.full(total, "", dtype=object), employer=np.full(total, -1, dtype=np.int32),
        hours=np.full(total, np.nan), amount=np.zeros(total, dtype=np.int64),
        verified=np.ones(total, dtype=bool),
        labels={"participant": who_labels, **codes.labels}, **cols,
    )


def _enterprise_columns(partnerships: Sequence[Partnership], codes: _Codes, as_of: dt.date
                        ) -> dict[str, np.ndarray]:
    """Places created and ordinary unemployed hired, from the growth figures of periods begun
    by ``as_of``, each booked on the enterprise's first partnership at the period's end (or
    ``as_of``, if sooner)."""
    first: dict[int, Partnership] = {}
    for p in sorted(partnerships, key=lambda p: p.pk):
        first.setdefault(p.social_enterprise_id, p)
    rows: list[tuple[str, dt.date, Partnership, int]] = []
    figures = (GrowthFigure.objects.filter(enterprise_id__in=list(first),
                                           period_start__lte=as_of)
               .order_by("pk").values_list("enterprise_id", "period_end", "ordinary_hires",
                                           "education_places", "internship_places"))
    for enterprise, end, hires, education, internships in figures:
        for kind, count in (("ordinary_hire", hires), ("place_created", education + internships)):
            if count:
                rows.append((kind, min(end, as_of), first[enterprise], count))
    return {
        "participant": np.full(len(rows), -1, np.int32),
        "type": np.array([TYPE[kind] for kind, *_ in rows], dtype=np.int8),
        "day": np.array([day.toordinal() - _EPOCH for _, day, *_ in rows], dtype=np.int64),
        "partnership": np.array([codes.partnership[str(p.pk)] for *_, p, _ in rows], np.int32),
        "municipality": np.array([codes.municipality[p.municipality.municipality.code]
                                  for *_, p, _ in rows], np.int32),
        "other_actor": np.array([codes.other_actor[str(p.other_actor_id)]
                                 for *_, p, _ in rows], np.int32),
        "social_enterprise": np.array([codes.social_enterprise[str(p.social_enterprise_id)]
                                       for *_, p, _ in rows], np.int32),
        "state": np.full(len(rows), -1, np.int8),
        "count": np.array([count for *_, count in rows], dtype=np.int32),
    }


CACHE_SECONDS = 600

#: a fixed number per event kind, for the cached raw columns
_KINDS = tuple(EventKind.values)
_CANCELLATION = _KINDS.index(EventKind.CANCELLATION)
#: the core's event type of each kind's number (−1: a kind the dashboard never counts)
_CORE_OF_KIND = np.array([TYPE[CORE_TYPE[k]] if k in CORE_TYPE else -1 for k in _KINDS],
                         dtype=np.int8)


@dataclass(frozen=True)
class _RawEvents:
    """The state-changing events of a set of partnerships' participants as read, before
    the cancelled and corrected ones are dropped, and what was registered when they were
    read: the newest event (``last``, pk and timestamp, of any kind or partnership) and
    how many events there were up to it (``count``); where only some partnerships' events
    were read, their participants then (``members``) and the newest participant of all."""

    participant: np.ndarray  # int64
    pk: np.ndarray  # int64
    kind: np.ndarray  # int8, the number of the event's kind in _KINDS
    day: np.ndarray  # int64, days since 1970-01-01
    corrects: np.ndarray  # int64, −1 for none
    employer: np.ndarray  # int64, −1 for none
    last: tuple | None  # None: there were no events
    count: int
    members: np.ndarray | None = None  # int64, sorted; None: every partnership's events
    newest_participant: int = 0

    def still_current(self, members: np.ndarray) -> bool:
        """Whether the events read then are still exactly the events up to ``last`` of the
        partnerships' participants now (``members``, sorted): events are append-only, so
        only a rollback, a deleted participant or an event committed late with a lower
        number (a sequence hands out numbers before commits) changes them, and each changes
        the newest event's timestamp or the count; and a participant who existed then but
        joined the partnerships since brings events not read."""
        if self.last is None:
            return False
        if self.members is not None and not np.array_equal(
                members[members <= self.newest_participant], self.members):
            return False
        pk, at = self.last
        return (PathwayEvent.objects.filter(pk=pk, registered_at=at).exists()
                and PathwayEvent.objects.filter(pk__lte=pk).count() == self.count)

    def extended(self, new: _RawEvents) -> _RawEvents:
        return _RawEvents(*(np.concatenate([getattr(self, f), getattr(new, f)]) for f in (
            "participant", "pk", "kind", "day", "corrects", "employer")), new.last, new.count,
            self.members, self.newest_participant)


def _read_events(partnerships: Sequence[Partnership], after: int = 0, before: int = 0
                 ) -> _RawEvents:
    """The state-changing events numbered above ``after`` of these partnerships'
    participants (one query), up to the newest event registered when read; ``before``:
    how many events are numbered up to ``after``."""
    newest = PathwayEvent.objects.order_by("-pk").values_list("pk", "registered_at").first()
    if newest is None:
        empty = np.zeros(0, np.int64)
        return _RawEvents(empty, empty, np.zeros(0, np.int8), empty, empty, empty, None, 0)
    events = PathwayEvent.objects.exclude(kind=EventKind.BENEFIT_STATUS).filter(
        pk__gt=after, pk__lte=newest[0])
    pks = [p.pk for p in partnerships]
    members, newest_participant = None, 0
    if len(pks) < Partnership.objects.count():  # else one scan beats 10,000 index look-ups
        newest_participant = Participant.objects.order_by("-pk").values_list(
            "pk", flat=True).first() or 0
        members = np.array(sorted(Participant.objects.filter(
            partnership_id__in=pks, pk__lte=newest_participant).values_list("pk", flat=True)),
            dtype=np.int64)
        events = events.filter(participant_id__in=list(members))
    # dates as ISO text, parsed by NumPy in one go (no date object per row)
    rows = list(events.order_by().values_list(
        "participant_id", "pk", "kind", Cast("occurred_on", CharField()), "corrects_id",
        "employer_id"))
    n = len(rows)
    kind_of = {k: i for i, k in enumerate(_KINDS)}
    return _RawEvents(
        participant=np.fromiter((r[0] for r in rows), np.int64, n),
        pk=np.fromiter((r[1] for r in rows), np.int64, n),
        kind=np.fromiter((kind_of[r[2]] for r in rows), np.int8, n),
        day=np.array([r[3][:10] for r in rows], dtype="datetime64[D]").astype(np.int64),
        corrects=np.fromiter((-1 if r[4] is None else r[4] for r in rows), np.int64, n),
        employer=np.fromiter((r[5] or -1 for r in rows), np.int64, n),
        last=newest,
        count=before + PathwayEvent.objects.filter(pk__gt=after, pk__lte=newest[0]).count(),
        members=members, newest_participant=newest_participant)


def _raw_events(partnerships: Sequence[Partnership], members: np.ndarray, scope_key: str
                ) -> _RawEvents:
    """The partnerships' events: those read for this scope before (cached) and the ones
    registered since, or all of them afresh when the earlier read is no longer current
    (``members``: the partnerships' participants now, sorted)."""
    raw_key = scope_key + "-raw"
    base = cache.get(raw_key)
    if isinstance(base, _RawEvents) and base.still_current(members):
        assert base.last is not None
        raw = base.extended(_read_events(partnerships, base.last[0], base.count))
    else:
        raw = _read_events(partnerships)
    cache.set(raw_key, raw, CACHE_SECONDS)
    return raw


def _cached_citizen_columns(partnerships: Sequence[Partnership], codes: _Codes
                            ) -> tuple[dict[str, np.ndarray], tuple[str, ...]]:
    # the newest rows by primary key (an index look-up); their timestamps tell a row apart
    # from an earlier one that had the same id and was rolled back
    version = (PathwayEvent.objects.order_by("-pk").values_list("pk", "registered_at").first(),
               Participant.objects.order_by("-pk").values_list("pk", "created_at").first())
    scope = sorted((p.pk, p.municipality.municipality.code, p.other_actor_id,
                    p.social_enterprise_id) for p in partnerships)
    scope_key = "dashboard-events-" + hashlib.sha256(repr(scope).encode()).hexdigest()
    key = scope_key + "-" + hashlib.sha256(repr(version).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        participants = sorted(Participant.objects.filter(
            partnership_id__in=[p.pk for p in partnerships]).order_by().values_list(
            "pk", "partnership_id"))
        members = np.array([pk for pk, _ in participants], dtype=np.int64)
        found = _citizen_columns(partnerships, codes, participants,
                                 _raw_events(partnerships, members, scope_key))
        cache.set(key, found, CACHE_SECONDS)
    return found


def _citizen_columns(partnerships: Sequence[Partnership], codes: _Codes,
                     participants: list[tuple[int, int]], raw: _RawEvents
                     ) -> tuple[dict[str, np.ndarray], tuple[str, ...]]:
    """The participants' events as the core's columns, and the participant labels
    (``participants``: the partnerships' (participant, partnership) pairs, sorted)."""
    by_pk = {p.pk: p for p in partnerships}
    who_code, who_labels = _codes([f"D-{pk:05d}" for pk, _ in participants])
    ids = np.array([pk for pk, _ in participants], dtype=np.int64)
    partnership_of = np.array([ps for _, ps in participants], dtype=np.int64)
    code_of = np.array([who_code[f"D-{pk:05d}"] for pk, _ in participants], dtype=np.int32)

    # what ``timeline.effective`` keeps: no cancellation, nothing a later event corrects
    ours = np.isin(raw.participant, ids)
    replaced = np.isin(raw.pk, raw.corrects[ours & (raw.corrects >= 0)])
    keep = ours & ~replaced & (raw.kind != _CANCELLATION)
    at = np.searchsorted(ids, raw.participant[keep])
    n = int(keep.sum())
    who = code_of[at]
    ps = partnership_of[at]
    kind = _CORE_OF_KIND[raw.kind[keep]]
    day = raw.day[keep]
    pk = raw.pk[keep]
    employer = raw.employer[keep]
    # the same order as ``effective``: by date, then by registration
    order = np.lexsort((pk, day, who))
    who, ps, kind, day, employer = who[order], ps[order], kind[order], day[order], employer[order]

    pk_list = sorted(by_pk)
    enterprise_of = np.array([by_pk[x].social_enterprise_id for x in pk_list], dtype=np.int64)
    pos = np.searchsorted(pk_list, ps) if n else np.zeros(0, np.int64)
    jobs = kind == TYPE["job_start"]
    state = np.where(jobs, np.where(employer == enterprise_of[pos], 0, 1), -1).astype(np.int8)
    referral = kind == TYPE["referral"]

    def coded(mapping: dict[str, int], of: dict[int, str]) -> np.ndarray:
        per = np.array([mapping[of[x]] for x in pk_list], dtype=np.int32)
        return np.where(referral, per[pos], -1).astype(np.int32) if n else np.zeros(0, np.int32)

    citizen = {
        "participant": who, "type": kind, "day": day,
        "partnership": np.array([codes.partnership[str(x)] for x in pk_list],
                                dtype=np.int32)[pos]
        if n else np.zeros(0, np.int32),
        "municipality": coded(codes.municipality,
                              {x: by_pk[x].municipality.municipality.code for x in pk_list}),
        "other_actor": coded(codes.other_actor,
                             {x: str(by_pk[x].other_actor_id) for x in pk_list}),
        "social_enterprise": coded(codes.social_enterprise,
                                   {x: str(by_pk[x].social_enterprise_id) for x in pk_list}),
        "state": state, "count": np.ones(n, dtype=np.int32),
    }
    return citizen, who_labels
