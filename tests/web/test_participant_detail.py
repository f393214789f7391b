"""A participant's page: the timeline, masked CPR, one audit entry per view."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brobygger.web.audit.models import AuditEntry
from tests.web.conftest import CPR_A, cpr_forms, masked


def url(world):
    return reverse("participant-detail", args=[world.participant_a.pk])


def test_the_owner_sees_the_timeline_and_the_masked_cpr(world):
    html = world.client_for("owner").get(url(world)).content.decode()
    assert masked(CPR_A) in html
    assert not any(f in html for f in cpr_forms(CPR_A))
    assert "Henvisning" in html  # the referral, in Danish by default


@pytest.mark.parametrize("persona", ["colleague", "manager", "actor", "enterprise", "operator"])
def test_people_in_the_partnership_may_view(world, persona):
    assert world.client_for(persona).get(url(world)).status_code == 200


def test_it_refuses_an_outsider_with_404(world):
    response = world.client_for("outsider").get(url(world))
    assert response.status_code == 404
    assert "Anna" not in response.content.decode()


def test_it_sends_an_anonymous_visitor_to_the_login(world):
    assert world.client_for("anonymous").get(url(world)).status_code == 302


def test_a_view_writes_one_audit_entry_with_the_address(world):
    world.client_for("colleague").get(url(world), REMOTE_ADDR="10.1.2.3")
    entry = AuditEntry.objects.get(action="view")
    assert (entry.username, entry.participant_id, entry.ip) == (
        "colleague", world.participant_a.pk, "10.1.2.3")


def test_an_outsider_s_refused_view_is_not_a_read(world):
    world.client_for("outsider").get(url(world))
    assert not AuditEntry.objects.filter(participant_id=world.participant_a.pk).exists()


def test_the_register_event_button_is_hidden_from_a_read_only_colleague(world):
    html = world.client_for("colleague").get(url(world)).content.decode()
    assert reverse("event-create", args=[world.participant_a.pk]) not in html
