"""The two busiest pages stay cheap: a fixed number of queries whatever the page holds, the
state from tuples equal to the state from the events, and the timeline's cells as before
(they are formatted in Python now, not by a template include and filters per row)."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from brobygger.web.pathways.labels import state_label
from brobygger.web.pathways.models import EventKind, Participant, PathwayEvent
from brobygger.web.pathways.timeline import current_state, current_states
from brobygger.web.registry.models import Contract, Organisation, Partnership, Programme, Target
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


# --- pages and helpers whose query count once grew with the data (found by measuring every URL)


def test_a_partnership_page_costs_the_same_queries_for_one_participant_and_for_seven(world):
    client = world.client_for("owner")
    url = reverse("partnership-detail", args=[world.partnership_a.pk])
    one = queries(client, url)
    for i in range(6):
        make_participant(world.partnership_a, f"15038{i}1234", world.owner, name=f"P {i}")
    assert queries(client, url) == one


def test_ledger_accounts_are_labelled_in_two_queries_whatever_their_number(world):
    from brobygger.web.forecast.services import account_labels

    a, b = world.partnership_a, world.partnership_b
    accounts = [f"municipality:{a.municipality.municipality.code}",
                f"municipality:{b.municipality.municipality.code}",
                f"other_actor:{a.other_actor_id}", f"social_enterprise:{a.social_enterprise_id}",
                f"other_actor:{b.other_actor_id}", "state", "investor:fund", "municipality:999"]
    with CaptureQueriesContext(connection) as captured:
        labels = account_labels(accounts)
    assert len(captured) == 2
    assert labels == {
        accounts[0]: a.municipality.municipality.name,
        accounts[1]: b.municipality.municipality.name,
        accounts[2]: a.other_actor.name, accounts[3]: a.social_enterprise.name,
        accounts[4]: b.other_actor.name, "state": "state", "investor:fund": "investor:fund",
        "municipality:999": "municipality:999"}


def test_the_esf_report_costs_the_same_queries_for_one_programme_and_for_four(world):
    client = world.client_for("operator")
    url = reverse("reports-esf")
    queries(client, url)  # the first request also reads what the session caches
    one = queries(client, url)
    for i in range(3):
        programme = Programme.objects.create(
            name=f"Programme {i}", starts_on=D(2018, 1, 1), ends_on=D(2022, 12, 31),
            eligible_costs=1000, esf_share="0.5")
        Target.objects.create(programme=programme, code="3B.1", label="starts", value=10)
    assert queries(client, url) == one


def test_the_admin_lists_cost_the_same_queries_for_few_rows_and_for_many(world):
    User = get_user_model()
    client = Client()
    client.force_login(User.objects.create_superuser("root", "root@example.org", "x" * 20))
    pages = [reverse("admin:registry_organisation_changelist"),
             reverse("admin:registry_partnership_changelist")]
    few = [queries(client, url) for url in pages]
    contract = Contract.objects.create(programme=world.partnership_a.programme, code="c1",
                                       label="Rate card", spec={"outcomes": []})
    for i in range(3):
        Partnership.objects.create(
            programme=world.partnership_a.programme, name=f"Extra {i}",
            municipality=world.partnership_a.municipality, other_actor=world.actor_a,
            social_enterprise=world.enterprise_a, starts_on=D(2019, 1, 1), contract=contract)
        Organisation.objects.create(name=f"Jobcenter {i}", kind=Organisation.Kind.MUNICIPALITY,
                                    municipality=world.partnership_a.municipality.municipality)
    assert [queries(client, url) for url in pages] == few
