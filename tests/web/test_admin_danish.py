"""The admin speaks Danish for the project's own models: app and model names, column headers,
and the rows' names (a role's or an action's label, never its internal code)."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import translation

from brobygger.web.accounts.models import ApiToken, Membership
from brobygger.web.audit.models import Action, AuditEntry, Channel


@pytest.fixture
def admin_client(world) -> Client:
    superuser = get_user_model().objects.create_superuser(
        "admin", "admin@example.org", "a-long-test-password"
    )
    client = Client()
    client.force_login(superuser)
    return client


def column_headers(page: str) -> list[str]:
    """The change list's column headers, as text."""
    table = re.search(r'<table id="result_list">.*?</thead>', page, re.S)
    assert table, "no change list table on the page"
    cells = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', table.group(0), re.S)
    return [html.unescape(re.sub(r"<[^>]+>|\s+", " ", c)).strip() for c in cells]


def test_the_admin_index_names_apps_and_models_in_danish(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "brobygger-administration" in response.content.decode()
    assert "Django" not in response.content.decode()  # not Django's own header
    apps = {a["app_label"]: a for a in response.context["app_list"]}
    assert {label: apps[label]["name"] for label in
            ("accounts", "audit", "registry", "pathways", "accelerator")} == {
        "accounts": "Brugere og adgang",
        "audit": "Revisionsspor",
        "registry": "Stamdata",
        "pathways": "Deltagere og forløb",
        "accelerator": "Accelerator",
    }
    models = {m["object_name"]: m["name"] for a in apps.values() for m in a["models"]}
    assert models["ApiToken"] == "API-nøgler"
    assert models["Membership"] == "Medlemskaber"
    assert models["AuditEntry"] == "Logposter"
    assert models["Organisation"] == "Organisationer"
    assert models["Participant"] == "Deltagere"

    page = response.content.decode()
    for danish in ("Brugere og adgang", "Revisionsspor", "Stamdata", "Deltagere og forløb",
                   "API-nøgler", "Medlemskaber", "Logposter"):
        assert danish in page
    for english in ("Accounts", "Audit", "Registry", "Pathways", "Api tokens", "API tokens",
                    "Memberships", "Audit entries", "Organisations", "Participants"):
        assert not re.search(rf"\b{english}\b", page), english


def test_a_change_list_has_danish_column_headers(admin_client, world):
    page = admin_client.get("/admin/accounts/membership/").content.decode()
    assert column_headers(page)[-3:] == ["Bruger", "Organisation", "Rolle"]
    assert "kun læse" in page  # the colleague's role, by its label

    ApiToken.issue(world.owner, "integration")
    page = admin_client.get("/admin/accounts/apitoken/").content.decode()
    assert column_headers(page)[-4:] == ["Bruger", "Navn", "Oprettet", "Tilbagekaldt"]


def test_names_show_a_choice_by_its_label_not_its_code(world):
    membership = Membership.objects.get(user=world.colleague)
    entry = AuditEntry.objects.create(user_id=world.owner.pk, username="owner",
                                      action=Action.FIND, participant_id=1)
    with translation.override("da"):
        assert str(membership) == "colleague @ Jobcenter A (kun læse)"
        assert " fandt via CPR-nummer " in str(entry)
    with translation.override("en"):
        assert str(membership) == "colleague @ Jobcenter A (read-only)"
        assert str(entry).endswith(" owner found by CPR number 1")


def test_the_audit_trail_names_where_an_access_came_from(admin_client, world):
    for channel in Channel:
        AuditEntry.objects.create(user_id=world.owner.pk, username="owner",
                                  action=Action.VIEW, participant_id=1, channel=channel)
    page = admin_client.get("/admin/audit/auditentry/").content.decode()
    for label in ("webappen", "API", "filimport", "rapport eller eksport"):
        assert f'<td class="field-channel">{label}</td>' in page
