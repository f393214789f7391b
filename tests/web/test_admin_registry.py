"""The registry's admin: what it refuses says which field is wrong and why, and it keeps the
registry consistent (an organisation stays the kind its partnerships need)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from brobygger.web.registry.models import Organisation


@pytest.fixture
def admin_client(world) -> Client:
    superuser = get_user_model().objects.create_superuser(
        "admin", "admin@example.org", "a-long-test-password")
    client = Client()
    client.force_login(superuser)
    return client


def field_errors(page: str, field: str) -> str:
    found = re.search(rf'<ul class="errorlist" id="id_{field}_error">(.*?)</ul>', page, re.S)
    return found.group(1) if found else ""


def test_an_enterprise_in_a_partnership_cannot_become_another_kind(admin_client, world):
    """Made an investor, the partnership's enterprise would vanish from the accelerator
    pages and its scoping (they list social-economic enterprises only)."""
    response = admin_client.post(
        f"/admin/registry/organisation/{world.enterprise_a.pk}/change/",
        {"name": "Café A", "kind": "investor", "cvr": "", "municipality": ""})
    assert response.status_code == 200
    assert "i et partnerskab" in field_errors(response.content.decode(), "kind")
    world.enterprise_a.refresh_from_db()
    assert world.enterprise_a.kind == Organisation.Kind.SOCIAL_ENTERPRISE


def test_an_unused_organisation_may_change_kind(admin_client, world):
    spare = Organisation.objects.create(name="Ny", kind=Organisation.Kind.EMPLOYER)
    response = admin_client.post(f"/admin/registry/organisation/{spare.pk}/change/",
                                 {"name": "Ny", "kind": "other_actor", "cvr": "",
                                  "municipality": ""})
    assert response.status_code == 302
    spare.refresh_from_db()
    assert spare.kind == Organisation.Kind.OTHER_ACTOR


def test_renaming_an_organisation_in_a_partnership_is_fine(admin_client, world):
    response = admin_client.post(
        f"/admin/registry/organisation/{world.enterprise_a.pk}/change/",
        {"name": "Café A ApS", "kind": "social_enterprise", "cvr": "", "municipality": ""})
    assert response.status_code == 302


PROGRAMME = {"name": "Q", "eligible_costs": "1000", "esf_share": "0,5",
             "targets-TOTAL_FORMS": "0", "targets-INITIAL_FORMS": "0",
             "targets-MIN_NUM_FORMS": "0", "targets-MAX_NUM_FORMS": "1000"}


@pytest.mark.parametrize("changes, field, said", [
    ({"starts_on": "01.01.2020", "ends_on": "31.12.2019"}, "ends_on",
     "Perioden slutter før den starter."),
    ({"esf_share": "2"}, "esf_share", "Andelen er en brøk mellem 0 og 1"),
    ({"eligible_costs": "-5"}, "eligible_costs", "Kan ikke være negativ."),
])
def test_a_programme_s_wrong_field_is_named_not_a_violated_constraint(admin_client, changes,
                                                                       field, said):
    response = admin_client.post("/admin/registry/programme/add/", {
        **PROGRAMME, "starts_on": "01.01.2018", "ends_on": "31.12.2022", **changes})
    page = response.content.decode()
    assert response.status_code == 200
    assert said in field_errors(page, field)
    assert "Begrænsning" not in page  # Django's "Constraint … is violated"


def test_a_partnership_ending_before_it_starts_is_said_on_its_end(admin_client, world):
    response = admin_client.post("/admin/registry/partnership/add/", {
        "programme": world.partnership_a.programme.pk, "name": "Z",
        "municipality": world.municipality_a.pk, "other_actor": world.actor_a.pk,
        "social_enterprise": world.enterprise_a.pk, "starts_on": "01.01.2020",
        "ends_on": "01.01.2019"})
    page = response.content.decode()
    assert "Perioden slutter før den starter." in field_errors(page, "ends_on")
    assert "Begrænsning" not in page


def test_a_jobcentre_without_its_municipality_is_said_on_that_field(admin_client, world):
    response = admin_client.post("/admin/registry/organisation/add/", {
        "name": "Jobcenter C", "kind": "municipality", "cvr": "", "municipality": ""})
    page = response.content.decode()
    assert "hører til en kommune" in field_errors(page, "municipality")
    assert "Begrænsning" not in page


def test_an_accelerator_enrolment_ending_before_it_starts_is_said_on_its_end(admin_client,
                                                                              world):
    response = admin_client.post("/admin/accelerator/enrolment/add/", {
        "enterprise": world.enterprise_a.pk, "cohort": "Hold 1", "starts_on": "01.09.2019",
        "ends_on": "01.09.2018", "milestones-TOTAL_FORMS": "0",
        "milestones-INITIAL_FORMS": "0", "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "1000"})
    page = response.content.decode()
    assert "Perioden slutter før den starter." in field_errors(page, "ends_on")
    assert "Begrænsning" not in page
