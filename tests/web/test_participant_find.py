"""Finding a participant by CPR number: POST only, inside one's own scope."""

from __future__ import annotations

from django.urls import reverse

from brobygger.web.audit.models import AuditEntry
from tests.web.conftest import CPR_A

URL = reverse("participant-find")


def test_the_owner_finds_her_participant_and_the_number_stays_out_of_the_url(world):
    response = world.client_for("owner").post(URL, {"cpr": CPR_A})
    assert response.status_code == 302
    assert response["Location"] == reverse("participant-detail", args=[world.participant_a.pk])
    assert AuditEntry.objects.filter(action="find", username="owner").count() == 1


def test_it_refuses_an_outsider_without_revealing_that_the_citizen_exists(world):
    response = world.client_for("outsider").post(URL, {"cpr": CPR_A}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("participant-list")
    assert "Ingen deltager" in response.content.decode()


def test_it_cannot_be_used_with_get(world):
    assert world.client_for("owner").get(URL, {"cpr": CPR_A}).status_code == 405


def test_it_sends_an_anonymous_visitor_to_the_login(world):
    assert world.client_for("anonymous").post(URL, {"cpr": CPR_A}).status_code == 302
