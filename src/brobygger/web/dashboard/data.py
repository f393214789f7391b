"""The registry's events as the core's event table, fast enough for a dashboard.

``pathways.coreevents.records`` gives the same events as dicts of strings (for files and the
settlement); a dashboard over ten thousand participants cannot afford that per request. This
builds the :class:`~brobygger.payments.events.EventTable` straight from value tuples: one query
for the participants, one for their state-changing events (monthly benefit statuses never
change an indicator or a state), and the enterprises' growth figures as
``coreevents.enterprise_records`` books them. The tests check that the core counts the same
from both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from brobygger.payments.events import TYPE, EventTable
from brobygger.web.pathways.coreevents import CORE_TYPE, enterprise_records
from brobygger.web.pathways.models import EventKind, Participant, PathwayEvent
from brobygger.web.pathways.timeline import STATE_CHANGING, StateEvent, effective
from brobygger.web.registry.models import Partnership

_EPOCH = dt.date(1970, 1, 1).toordinal()


def _codes(values: Sequence[str]) -> tuple[dict[str, int], tuple[str, ...]]:
    labels = tuple(sorted(set(values)))
    return {v: i for i, v in enumerate(labels)}, labels


def event_table(partnerships: Sequence[Partnership], *, as_of: dt.date) -> EventTable:
    """The events that count (no cancelled or replaced ones) of these partnerships'
    participants, and their enterprises' places and ordinary hires, as of ``as_of``."""
    by_pk = {p.pk: p for p in partnerships}
    participants = list(Participant.objects.filter(partnership_id__in=list(by_pk)).order_by("pk")
                        .values_list("pk", "partnership_id"))
    events: dict[int, list[StateEvent]] = {pk: [] for pk, _ in participants}
    rows = (PathwayEvent.objects
            .filter(STATE_CHANGING, participant__partnership_id__in=list(by_pk))
            .exclude(kind=EventKind.BENEFIT_STATUS)
            .order_by().values_list("participant_id", "pk", "kind", "occurred_on",
                                    "corrects_id", "employer_id"))
    for participant_id, *fields in rows:
        events[participant_id].append(StateEvent(*fields))

    enterprise = list(enterprise_records(partnerships, as_of=as_of))
    munis = {p.pk: p.municipality.municipality.code for p in partnerships}
    p_code, p_labels = _codes([str(pk) for pk in by_pk])
    m_code, m_labels = _codes(list(munis.values()))
    oa_code, oa_labels = _codes([str(p.other_actor_id) for p in partnerships])
    se_code, se_labels = _codes([str(p.social_enterprise_id) for p in partnerships])
    who_code, who_labels = _codes([f"D-{pk:05d}" for pk, _ in participants])

    cols: dict[str, list[int]] = {k: [] for k in (
        "participant", "type", "day", "partnership", "municipality", "other_actor",
        "social_enterprise", "state", "count")}

    def row(participant: int, kind: str, day: dt.date, partnership: Partnership,
            state: int = -1, count: int = 1, with_members: bool = False) -> None:
        cols["participant"].append(participant)
        cols["type"].append(TYPE[kind])
        cols["day"].append(day.toordinal() - _EPOCH)
        cols["partnership"].append(p_code[str(partnership.pk)])
        cols["municipality"].append(m_code[munis[partnership.pk]] if with_members else -1)
        cols["other_actor"].append(
            oa_code[str(partnership.other_actor_id)] if with_members else -1)
        cols["social_enterprise"].append(
            se_code[str(partnership.social_enterprise_id)] if with_members else -1)
        cols["state"].append(state)
        cols["count"].append(count)

    for pk, partnership_id in participants:
        partnership = by_pk[partnership_id]
        who = who_code[f"D-{pk:05d}"]
        for e in effective(events[pk]):
            kind = CORE_TYPE[e.kind]
            state = -1
            if e.kind == EventKind.EMPLOYMENT_START:
                state = 0 if e.employer_id == partnership.social_enterprise_id else 1
            row(who, kind, e.occurred_on, partnership, state,
                with_members=e.kind == EventKind.REFERRAL)
    for r in enterprise:
        row(-1, str(r["type"]), dt.date.fromisoformat(str(r["date"])),
            by_pk[int(str(r["partnership"]))], count=int(str(r["count"])), with_members=True)

    n = len(cols["type"])
    arrays = {k: np.asarray(v, dtype=np.int64) for k, v in cols.items()}
    return EventTable(
        source="registry", rows=np.arange(1, n + 1, dtype=np.int64),
        ids=np.full(n, "", dtype=object),
        participant=arrays["participant"].astype(np.int32), type=arrays["type"].astype(np.int8),
        day=arrays["day"] if n else np.zeros(0, np.int64),
        partnership=arrays["partnership"].astype(np.int32),
        municipality=arrays["municipality"].astype(np.int32),
        other_actor=arrays["other_actor"].astype(np.int32),
        social_enterprise=arrays["social_enterprise"].astype(np.int32),
        employer=np.full(n, -1, dtype=np.int32), state=arrays["state"].astype(np.int8),
        hours=np.full(n, np.nan), amount=np.zeros(n, dtype=np.int64),
        count=arrays["count"].astype(np.int32), verified=np.ones(n, dtype=bool),
        labels={"participant": who_labels, "partnership": p_labels, "municipality": m_labels,
                "other_actor": oa_labels, "social_enterprise": se_labels, "employer": ()},
    )
