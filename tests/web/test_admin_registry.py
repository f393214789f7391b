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
