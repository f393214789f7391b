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
