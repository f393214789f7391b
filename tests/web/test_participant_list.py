"""The participant list: own citizens only, CPR masked, every listed row audited."""

from __future__ import annotations

import pytest
from django.urls import reverse

from brobygger.web.audit.models import AuditEntry
from tests.web.conftest import CPR_A, CPR_B, cpr_forms, masked

URL = reverse("participant-list")


def test_it_sends_an_anonymous_visitor_to_the_login(world):
    response = world.client_for("anonymous").get(URL)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_owner_sees_her_municipality_s_participant_masked(world):
    html = world.client_for("owner").get(URL).content.decode()
    assert "Anna Andersen" in html
    assert masked(CPR_A) in html
    assert not any(form in html for form in cpr_forms(CPR_A))


def test_it_refuses_an_outsider_the_other_municipality_s_citizens(world):
    html = world.client_for("outsider").get(URL).content.decode()
    assert "Anna Andersen" not in html
    assert masked(CPR_A) not in html
    assert "Bo Bentsen" in html


@pytest.mark.parametrize("persona", ["colleague", "actor", "enterprise", "operator"])
def test_everyone_in_the_partnership_and_the_operator_see_the_participant(world, persona):
    assert "Anna Andersen" in world.client_for(persona).get(URL).content.decode()


def test_the_operator_sees_both_municipalities(world):
    html = world.client_for("operator").get(URL).content.decode()
    assert "Anna Andersen" in html and "Bo Bentsen" in html
    assert not any(f in html for f in cpr_forms(CPR_A) + cpr_forms(CPR_B))


def test_filtering_by_another_municipality_s_partnership_shows_nothing(world):
    html = world.client_for("outsider").get(
        URL, {"partnership": world.partnership_a.pk}).content.decode()
    assert "Anna Andersen" not in html


def test_it_searches_by_name(world):
    world.client_for("operator")
    html = world.client_for("operator").get(URL, {"q": "bent"}).content.decode()
    assert "Bo Bentsen" in html and "Anna Andersen" not in html


def test_every_listed_participant_is_audited(world):
    world.client_for("owner").get(URL)
    entries = AuditEntry.objects.filter(username="owner", action="list")
    assert list(entries.values_list("participant_id", flat=True)) == [world.participant_a.pk]


def test_htmx_gets_only_the_rows_and_they_are_scoped_too(world):
    response = world.client_for("outsider").get(URL, {"q": "an"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "<table>" in html
    assert "Anna Andersen" not in html


def test_htmx_is_served_locally(world):
    html = world.client_for("owner").get(URL).content.decode()
    assert '<script src="/static/vendor/htmx-2.0.11.min.js" defer></script>' in html
    assert "hx-get" in html
