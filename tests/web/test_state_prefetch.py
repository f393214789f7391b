"""Lists show each participant's current state from only the events that can change it
(``prefetch_state_events``): it must give the same state as all the events, in few queries."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from brobygger.web.pathways.models import EventKind, Participant, PathwayEvent
from brobygger.web.pathways.timeline import current_state, prefetch_state_events
from tests.web.conftest import make_participant

D = dt.date


def add(p, kind, day, by, **extra):
    return PathwayEvent.objects.create(participant=p, kind=kind, occurred_on=day,
                                       registered_by=by, **extra)


def test_the_state_from_the_prefetched_events_is_the_state_from_all_of_them(world):
    a, by = world.participant_a, world.owner
    add(a, EventKind.INDUCTION_START, D(2019, 3, 10), by)
    add(a, EventKind.INDUCTION_COMPLETION, D(2019, 6, 1), by)
    job = add(a, EventKind.EMPLOYMENT_START, D(2019, 7, 1), by, employer=world.enterprise_a,
              hours_per_week=30, monthly_wage=20000, subsidy_type="none")
    for month in (4, 5, 6, 7, 8):
        add(a, EventKind.BENEFIT_STATUS, D(2019, month, 1), by, benefit_month=D(2019, month, 1),
            benefit_type="kontanthjaelp" if month < 7 else "")
    wrong = PathwayEvent.objects.get(participant=a, benefit_month=D(2019, 8, 1))
    add(a, EventKind.BENEFIT_STATUS, D(2019, 8, 2), by, benefit_month=D(2019, 8, 1),
        benefit_type="", corrects=wrong)
    add(a, EventKind.CANCELLATION, D(2019, 9, 1), by, corrects=job)  # back to job-seeking
    b = world.participant_b
    add(b, EventKind.INDUCTION_START, D(2019, 3, 5), world.outsider)
    c = make_participant(world.partnership_a, "2307921118", by, name="Carl")
    add(c, EventKind.BENEFIT_STATUS, D(2019, 4, 1), by, benefit_month=D(2019, 4, 1),
        benefit_type="kontanthjaelp")

    with CaptureQueriesContext(connection) as queries:
        listed = list(Participant.objects.order_by("pk").prefetch_related(
            prefetch_state_events()))
    assert len(queries) == 2
    for p in listed:
        enterprise = p.partnership.social_enterprise_id
        assert current_state(p.state_events, enterprise) == current_state(
            p.events.all(), enterprise), p.reference
        assert all(e.kind != EventKind.BENEFIT_STATUS or e.corrects_id for e in p.state_events)
    assert [current_state(p.state_events, p.partnership.social_enterprise_id)
            for p in listed] == ["jobseeking", "induction", "referred"]
