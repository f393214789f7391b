"""The EU Social Fund end form: the situation on leaving, set by a caseworker, audited."""

from __future__ import annotations

from django.urls import reverse

from brobygger.web.audit.models import AuditEntry
from brobygger.web.pathways.models import Participant


def url(world):
    return reverse("participant-end-form", args=[world.participant_a.pk])


def test_a_caseworker_records_the_status_at_exit(world):
    response = world.client_for("actor").post(url(world), {"employment_status_at_exit":
                                                           "employed"})
    assert response.status_code == 302
    assert Participant.objects.get(pk=world.participant_a.pk).employment_status_at_exit == \
        "employed"
    assert AuditEntry.objects.filter(action="change", username="actor").exists()
    # the participant's page now offers to change the form, not to fill it in
    detail = world.client_for("actor").get(
        reverse("participant-detail", args=[world.participant_a.pk])).content.decode()
    assert "ret slutskemaet" in detail and "udfyld slutskemaet" not in detail


def test_the_status_is_required(world):
    response = world.client_for("owner").post(url(world), {})
    assert response.status_code == 200
    assert Participant.objects.get(pk=world.participant_a.pk).employment_status_at_exit == ""


def test_a_read_only_colleague_may_not(world):
    assert world.client_for("colleague").get(url(world)).status_code == 403


def test_it_refuses_an_outsider_with_404(world):
    response = world.client_for("outsider").post(url(world), {"employment_status_at_exit":
                                                              "employed"})
    assert response.status_code == 404


def test_it_sends_an_anonymous_visitor_to_the_login(world):
    assert world.client_for("anonymous").get(url(world)).status_code == 302


def _job(world, started, *, exit_on=None, ended=None):
    import datetime as dt

    from brobygger.web.pathways.models import EventKind, PathwayEvent

    def add(kind, day, **extra):
        PathwayEvent.objects.create(participant=world.participant_a, kind=kind,
                                    occurred_on=day, registered_by=world.owner, **extra)

    add(EventKind.EMPLOYMENT_START, started, hours_per_week=30, monthly_wage=20000,
        subsidy_type="none")
    if ended:
        add(EventKind.EMPLOYMENT_END, ended)
    if exit_on:
        add(EventKind.EXIT, exit_on)
    return dt


def test_a_job_on_leaving_makes_any_status_but_employed_a_contradiction(world):
    import datetime as dt

    _job(world, dt.date(2019, 6, 3), exit_on=dt.date(2019, 12, 2))
    refused = world.client_for("actor").post(url(world), {
        "employment_status_at_exit": "unemployed"})
    assert refused.status_code == 200
    assert "i job ved afgangen (startede 03.06.2019)" in refused.content.decode()
    assert Participant.objects.get(pk=world.participant_a.pk).employment_status_at_exit == ""
    saved = world.client_for("actor").post(url(world), {"employment_status_at_exit": "employed"})
    assert saved.status_code == 302


def test_a_job_that_ended_before_leaving_leaves_the_status_free(world):
    import datetime as dt

    _job(world, dt.date(2019, 6, 3), ended=dt.date(2019, 8, 30), exit_on=dt.date(2019, 12, 2))
    saved = world.client_for("actor").post(url(world), {
        "employment_status_at_exit": "unemployed"})
    assert saved.status_code == 302
    assert Participant.objects.get(pk=world.participant_a.pk).employment_status_at_exit == \
        "unemployed"


def test_an_internship_beside_the_job_does_not_end_it(world):
    import datetime as dt

    from brobygger.web.pathways.models import EventKind, PathwayEvent

    _job(world, dt.date(2019, 6, 3))
    PathwayEvent.objects.create(participant=world.participant_a, kind=EventKind.INTERNSHIP_START,
                                occurred_on=dt.date(2019, 9, 2), registered_by=world.owner)
    PathwayEvent.objects.create(participant=world.participant_a, kind=EventKind.EXIT,
                                occurred_on=dt.date(2019, 12, 2), registered_by=world.owner)
    refused = world.client_for("actor").post(url(world), {
        "employment_status_at_exit": "unemployed"})
    assert refused.status_code == 200
    assert "i job ved afgangen" in refused.content.decode()


def test_a_job_registered_after_the_end_form_is_flagged_on_the_participant_s_page(world):
    import datetime as dt

    saved = world.client_for("actor").post(url(world), {
        "employment_status_at_exit": "unemployed"})
    assert saved.status_code == 302
    detail = reverse("participant-detail", args=[world.participant_a.pk])
    assert 'data-testid="end-form-contradiction"' not in \
        world.client_for("owner").get(detail).content.decode()
    _job(world, dt.date(2019, 6, 3), exit_on=dt.date(2019, 12, 2))  # registered afterwards
    html = world.client_for("owner").get(detail).content.decode()
    assert 'data-testid="end-form-contradiction"' in html
    assert "Forløbet viser job ved afgangen (startede 03.06.2019)" in html
