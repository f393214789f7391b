"""The registry's events in the core's event-file schema (docs/events-schema.md), so the core
checks and settles what people registered: ``brobygger settle`` on an exported file, or
``brobygger.payments.events.table_from_records`` in process.

Participants appear by their pseudonymous reference (``D-00042``), never by CPR number;
organisations by their id; municipalities by kommunekode, as in ``registry.contracts``.
Cancelled and replaced events are left out: only the events that count are exported.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from typing import TextIO

from brobygger.web.pathways.models import EventKind, Participant
from brobygger.web.pathways.timeline import effective

CORE_TYPE = {
    EventKind.REFERRAL: "referral",
    EventKind.INDUCTION_START: "induction_start",
    EventKind.INDUCTION_COMPLETION: "induction_completed",
    EventKind.DROPOUT: "induction_dropout",
    EventKind.EDUCATION_START: "education_start",
    EventKind.INTERNSHIP_START: "education_start",
    EventKind.EDUCATION_END: "education_end",
    EventKind.EMPLOYMENT_START: "job_start",
    EventKind.EMPLOYMENT_END: "job_end",
    EventKind.BENEFIT_STATUS: "benefit_month",
    EventKind.EXIT: "exit",
}


def _partnership_columns(p) -> dict[str, str]:
    return {"partnership": str(p.pk), "municipality": p.municipality.municipality.code,
            "other_actor": str(p.other_actor_id), "social_enterprise": str(p.social_enterprise_id)}


def citizen_records(participants: Iterable[Participant]) -> Iterator[dict[str, object]]:
    for participant in participants:
        partnership = participant.partnership
        yield from event_records(participant.events.all(), participant.reference,
                                 _partnership_columns(partnership),
                                 partnership.social_enterprise_id)


def event_records(events, reference: str, partnership: dict[str, str],
                  enterprise_id: int | None) -> Iterator[dict[str, object]]:
    """One participant's events that count (any objects with the model's fields) as the
    core's records: ``partnership`` its partnership's columns (:func:`_partnership_columns`),
    ``enterprise_id`` its social enterprise (a job there is an accelerator job)."""
    for e in effective(events):
        if e.kind == EventKind.BENEFIT_STATUS and not e.benefit_type:
            continue  # a month off benefit is the absence of a benefit_month
        record: dict[str, object] = {
            "id": f"web-{e.pk}", "participant": reference, "type": CORE_TYPE[e.kind],
            "date": (e.benefit_month or e.occurred_on).isoformat(),
            "partnership": partnership["partnership"],
        }
        if e.kind == EventKind.REFERRAL:
            record.update(partnership)
        if e.kind == EventKind.EMPLOYMENT_START:
            record.update({
                "state": "job_accelerator" if e.employer_id == enterprise_id else "job_other",
                "hours_per_week": e.hours_per_week, "employer": str(e.employer_id),
                "amount": e.monthly_wage,
            })
        yield record


def enterprise_records(partnerships, *, as_of: dt.date) -> Iterator[dict[str, object]]:
    """Hires of ordinary unemployed and places created, from each enterprise's growth figures,
    booked on the enterprise's first partnership at the period's end (or ``as_of``, if that
    comes first). A period that begins after ``as_of`` has not happened yet and is left out."""
    from brobygger.web.accelerator.models import GrowthFigure

    first: dict[int, object] = {}
    for p in sorted(partnerships, key=lambda p: p.pk):
        first.setdefault(p.social_enterprise_id, p)
    figures = GrowthFigure.objects.filter(enterprise_id__in=first,
                                          period_start__lte=as_of).order_by("pk")
    for f in figures:
        p = first[f.enterprise_id]
        day = min(f.period_end, as_of).isoformat()
        for kind, count in (("ordinary_hire", f.ordinary_hires),
                            ("place_created", f.education_places + f.internship_places)):
            if count:
                yield {"id": f"web-growth-{f.pk}-{kind}", "type": kind, "date": day,
                       "count": count, **_partnership_columns(p)}


def records(participants, partnerships, *, as_of: dt.date | None = None) -> list[dict]:
    as_of = as_of or dt.date.today()
    participants = participants.select_related(
        "partnership__municipality__municipality").prefetch_related("events")
    return [*citizen_records(participants), *enterprise_records(partnerships, as_of=as_of)]


def write_csv(rows: list[dict], out: TextIO) -> None:
    from brobygger.payments.events import COLUMNS

    writer = csv.DictWriter(out, fieldnames=list(COLUMNS), extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: "" if v is None else v for k, v in row.items()})
