"""The error pages speak the user's language and say what to do: a page not found or not
allowed, a form from an expired page (the CSRF check), a request the server cannot
understand (an unknown host name), and a server error."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation


def test_a_page_not_found_is_said_in_danish_with_a_way_back(world):
    response = world.client_for("owner").get("/participants/999999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Siden findes ikke</h1>" in html and "Til forsiden" in html


def test_a_form_from_an_expired_page_says_so_and_what_to_do(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.owner)
    response = client.post("/lab/update/", {"base": "default"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Siden er udløbet" in html and "genindlæs siden" in html
    assert "DEBUG" not in html and 'lang="da"' in html


def test_an_unknown_host_gets_a_danish_bad_request_page(db):
    response = Client().get("/", HTTP_HOST="not-this-site.example")
    assert response.status_code == 400
    assert "Ugyldig forespørgsel" in response.content.decode()


def test_the_server_error_page_renders_without_a_request_in_both_languages():
    # Django renders 500.html with no context at all: it must not need one
    with translation.override("da"):
        assert "Fejl på serveren" in render_to_string("500.html")
    with translation.override("en"):
        assert "Server error" in render_to_string("500.html")

