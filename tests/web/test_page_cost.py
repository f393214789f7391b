"""The two busiest pages stay cheap: a fixed number of queries whatever the page holds, the
state from tuples equal to the state from the events, and the timeline's cells as before
(they are formatted in Python now, not by a template include and filters per row)."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brobygger.web.pathways.labels import state_label
from brobygger.web.pathways.models import EventKind, Participant, PathwayEvent
from brobygger.web.pathways.timeline import current_state, current_states
from brobygger.web.registry.models import Organisation
from tests.web.conftest import make_participant

D = dt.date
LIST = reverse("participant-list")


def add(p, kind, day, by, **extra):
    return PathwayEvent.objects.create(participant=p, kind=kind, occurred_on=day,
                                       registered_by=by, **extra)


def pathway(p, by, employer, *, benefit_months=3):
    add(p, EventKind.INDUCTION_START, D(2019, 3, 10), by)
    add(p, EventKind.INDUCTION_COMPLETION, D(2019, 6, 1), by)
    job = add(p, EventKind.EMPLOYMENT_START, D(2019, 7, 1), by, employer=employer,
              hours_per_week=30, monthly_wage=20000, subsidy_type="none")
    for month in range(4, 4 + benefit_months):
        add(p, EventKind.BENEFIT_STATUS, D(2019, month, 1), by,
            benefit_month=D(2019, month, 1), benefit_type="kontanthjaelp")
    return job


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_costs_the_same_queries_for_one_row_and_for_many(world):
    client = world.client_for("owner")
    one = queries(client, LIST)
    for i in range(6):
        p = make_participant(world.partnership_a, f"15038{i}1234", world.owner, name=f"P {i}")
        pathway(p, world.owner, world.enterprise_a)
    assert Participant.objects.filter(partnership=world.partnership_a).count() == 7
    assert queries(client, LIST) == one


def test_the_timeline_costs_the_same_queries_for_few_events_and_for_many(world):
    client = world.client_for("owner")
    url = reverse("participant-detail", args=[world.participant_a.pk])
    few = queries(client, url)
    pathway(world.participant_a, world.owner, world.enterprise_a, benefit_months=8)
    assert queries(client, url) == few


def test_current_states_gives_the_state_of_all_the_events(world):
    a, b, by = world.participant_a, world.participant_b, world.owner
    job = pathway(a, by, world.enterprise_a)
    wrong = PathwayEvent.objects.get(participant=a, benefit_month=D(2019, 5, 1))
    add(a, EventKind.BENEFIT_STATUS, D(2019, 5, 2), by, benefit_month=D(2019, 5, 1),
        benefit_type="", corrects=wrong)
    add(a, EventKind.CANCELLATION, D(2019, 9, 1), by, corrects=job)
    pathway(b, world.outsider, world.enterprise_a)  # employed elsewhere: not b's enterprise
    c = make_participant(world.partnership_a, "2307921118", by, name="Carl")
    everyone = {p.pk: p.partnership.social_enterprise_id for p in (a, b, c)}
    with CaptureQueriesContext(connection) as captured:
        states = current_states(everyone)
    assert len(captured) == 1
    assert states == {p.pk: current_state(p.events.all(), everyone[p.pk]) for p in (a, b, c)}
    assert states == {a.pk: "jobseeking", b.pk: "job_other", c.pk: "referred"}
    assert current_states({}) == {}


def test_the_list_shows_the_state_in_words(world):
    pathway(world.participant_a, world.owner, world.enterprise_a)
    html = world.client_for("owner").get(LIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<span class="tag">employed at the accelerator enterprise</span>' in html
    assert f'<a href="/participants/{world.participant_a.pk}/">D-{world.participant_a.pk:05d}' \
        in html


def test_an_unknown_state_shows_as_itself():
    assert state_label("somewhere_new") == "somewhere_new"


def cells(html: str) -> list[list[str]]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [[re.sub(r"\s+", " ", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def test_the_timeline_cells_in_danish(world):
    employer = Organisation.objects.create(name="Smørrebrød & <Co>",
                                           kind=Organisation.Kind.EMPLOYER)
    a, by = world.participant_a, world.owner
    job = add(a, EventKind.EMPLOYMENT_START, D(2019, 7, 1), by, employer=employer,
              hours_per_week="37.5", monthly_wage="21234.50", subsidy_type="loentilskud")
    status = add(a, EventKind.BENEFIT_STATUS, D(2019, 8, 1), by, benefit_month=D(2019, 8, 1),
                 benefit_type="kontanthjaelp")
    fix = add(a, EventKind.BENEFIT_STATUS, D(2019, 8, 3), by, benefit_month=D(2019, 8, 1),
              benefit_type="", corrects=status)
    html = world.client_for("owner").get(
        reverse("participant-detail", args=[a.pk]), HTTP_ACCEPT_LANGUAGE="da").content.decode()
    rows = cells(html)
    assert [r[0] for r in rows] == ["01.03.2019", "01.07.2019", "01.08.2019", "03.08.2019"]
    assert rows[0][1].startswith("Henvisning")
    assert rows[1][2] == "Smørrebrød &amp; &lt;Co&gt;, 37,50 timer/uge, 21.235 kr./md., løntilskud"
    assert "<Co>" not in html
    assert rows[2][3] == '<span class="muted">erstattet</span>'
    assert f"#{fix.pk}</span>" in rows[3][1] and f"#{status.pk})" in rows[3][1]
    assert rows[3][2].startswith("august 2019: ")
    assert rows[1][3] == rows[3][3]  # the correction does not change the state
    assert rows[1][4].startswith("owner, ")
    assert f"#{job.pk}</span>" in rows[1][1]
