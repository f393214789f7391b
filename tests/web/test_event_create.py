"""Registering a pathway event: scoped, role-checked, validated with reasons."""

from __future__ import annotations

import re

from django.urls import reverse

from brobygger.web.pathways.models import PathwayEvent


def url(world, participant=None):
    return reverse("event-create", args=[(participant or world.participant_a).pk])


def hire(world, day="2019-09-01"):
    return {"kind": "employment_start", "occurred_on": day, "employer": world.enterprise_a.pk,
            "hours_per_week": "30", "monthly_wage": "21000", "subsidy_type": "loentilskud"}


def test_the_enterprise_registers_a_hire_and_sees_it_on_the_timeline(world):
    client = world.client_for("enterprise")
    response = client.post(url(world), hire(world), follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ansættelse" in html and "Café A" in html
    assert "ansat i acceleratorvirksomheden" in html
    event = PathwayEvent.objects.get(kind="employment_start")
    assert event.registered_by == world.enterprise


def test_a_job_end_before_its_start_is_refused_with_the_reason(world):
    client = world.client_for("owner")
    client.post(url(world), hire(world, "2019-09-01"))
    response = client.post(url(world), {"kind": "employment_end", "occurred_on": "2019-08-01"})
    assert response.status_code == 200
    assert "slutter før det startede" in response.content.decode()
    assert not PathwayEvent.objects.filter(kind="employment_end").exists()


def test_dates_in_a_refusal_and_in_the_list_of_events_are_in_danish_format(world):
    client = world.client_for("owner")
    response = client.post(url(world), hire(world, "2019-02-01"))  # before the referral
    html = response.content.decode()
    assert "Datoen ligger før henvisningen (01.03.2019)." in html
    # the events a correction may name: each with its date as the page writes dates
    assert re.search(r"<option value=\"\d+\">henvisning 01\.03\.2019</option>", html), html


def test_a_read_only_colleague_is_refused_with_403(world):
    assert world.client_for("colleague").post(url(world), hire(world)).status_code == 403
    assert world.client_for("colleague").get(url(world)).status_code == 403


def test_it_refuses_an_outsider_with_404(world):
    assert world.client_for("outsider").post(url(world), hire(world)).status_code == 404
    assert not PathwayEvent.objects.filter(kind="employment_start").exists()


def test_it_sends_an_anonymous_visitor_to_the_login(world):
    assert world.client_for("anonymous").post(url(world), hire(world)).status_code == 302


def test_a_correction_is_a_new_event_and_the_old_one_stays(world):
    client = world.client_for("owner")
    client.post(url(world), hire(world, "2019-09-01"))
    wrong = PathwayEvent.objects.get(kind="employment_start")
    response = client.post(url(world), {**hire(world, "2019-09-15"), "corrects": wrong.pk})
    assert response.status_code == 302
    assert PathwayEvent.objects.filter(kind="employment_start").count() == 2
    assert PathwayEvent.objects.get(corrects=wrong).occurred_on.day == 15


def test_choosing_a_kind_shows_only_its_fields(world):
    client = world.client_for("owner")
    html = client.get(url(world), {"kind": "benefit_status"}).content.decode()
    assert 'name="benefit_month"' in html and 'name="employer"' not in html
    html = client.get(url(world), {"kind": "employment_start"}).content.decode()
    assert 'name="employer"' in html and 'name="benefit_month"' not in html


def test_without_a_kind_every_field_is_shown(world):
    html = world.client_for("owner").get(url(world)).content.decode()
    assert 'name="employer"' in html and 'name="benefit_month"' in html
    assert 'hx-get=""' in html


def test_hours_and_wage_are_typed_as_the_page_writes_them(world):
    from decimal import Decimal

    client = world.client_for("enterprise")
    response = client.post(url(world), {**hire(world), "hours_per_week": "37,5",
                                        "monthly_wage": "20.066,50"})
    assert response.status_code == 302, response.content.decode()[:3000]
    event = PathwayEvent.objects.get(kind="employment_start")
    assert (event.hours_per_week, event.monthly_wage) == (Decimal("37.5"), Decimal("20066.50"))


def test_an_event_that_would_make_a_later_one_wrong_is_refused_and_settlement_stays_whole(live):
    """An exit before the course's completion and the job, a cancelled course start, a job
    started before the open one: each refused, naming the later event; the live settlement
    still has nothing to object to."""
    import datetime as dt

    from brobygger.web.forecast import services
    from brobygger.web.pathways.models import EventKind

    client = live.client_for("owner")
    start = PathwayEvent.objects.get(participant=live.participant_a,
                                     kind=EventKind.INDUCTION_START)
    before = PathwayEvent.objects.count()
    for data in ({"kind": "exit", "occurred_on": "2019-05-01"},
                 {"kind": "cancellation", "occurred_on": "2019-12-01", "corrects": start.pk},
                 hire(live, "2019-06-01")):
        response = client.post(url(live), data)
        assert response.status_code == 200, data
        assert "Det ville gøre en senere hændelse forkert" in response.content.decode(), data
    assert PathwayEvent.objects.count() == before
    [result] = services.settle_registry(dt.date.today(), write=False)
    assert result.problems == [] and result.new_entries > 0


def test_an_internship_then_an_education_needs_the_internship_s_end(world):
    client = world.client_for("owner")
    for kind, day in (("induction_start", "2019-04-01"), ("internship_start", "2019-05-01")):
        assert client.post(url(world), {"kind": kind, "occurred_on": day}).status_code == 302
    refused = client.post(url(world), {"kind": "education_start", "occurred_on": "2019-08-01"})
    assert "registrér først, at den slutter" in refused.content.decode()
    for kind, day in (("education_end", "2019-07-31"), ("education_start", "2019-08-01")):
        response = client.post(url(world), {"kind": kind, "occurred_on": day})
        assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get(reverse("participant-detail", args=[world.participant_a.pk])).content
    assert "Uddannelse eller praktik slut" in html.decode()
