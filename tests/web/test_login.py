"""Login in Danish by default; failed logins are throttled."""

from __future__ import annotations

from django.test import Client, override_settings
from django.urls import reverse

URL = reverse("login")


def test_the_login_page_is_danish_by_default(db):
    html = Client().get(URL).content.decode()
    assert 'lang="da"' in html and "Log ind" in html


def test_the_login_page_is_english_when_asked(db):
    html = Client(HTTP_ACCEPT_LANGUAGE="en").get(URL).content.decode()
    assert "Log in" in html


def test_a_municipality_user_logs_in_and_lands_on_its_business_case(world):
    client = Client()
    response = client.post(URL, {"username": "owner", "password": "a-long-test-password"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home"))["Location"] == reverse("forecast")


def test_home_leads_each_user_to_their_work(world):
    where = {"operator": "dashboard", "actor": "participant-list",
             "enterprise": "participant-list", "colleague": "forecast", "outsider": "forecast"}
    for name, target in where.items():
        client = Client()
        client.force_login(getattr(world, name))
        assert client.get(reverse("home"))["Location"] == reverse(target), name


def test_the_navigation_offers_the_business_case_only_to_those_who_may_see_one(world):
    link = f'href="{reverse("forecast")}"'
    for name, shown in (("owner", True), ("operator", True), ("actor", False)):
        client = Client()
        client.force_login(getattr(world, name))
        html = client.get(reverse("participant-list")).content.decode()
        assert (link in html) is shown, name
        assert f'href="{reverse("dashboard")}"' in html and f'href="{reverse("reports")}"' in html


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_after_too_many_failures_even_the_right_password_is_refused(world):
    client = Client()
    for _ in range(3):
        client.post(URL, {"username": "owner", "password": "wrong"})
    response = client.post(URL, {"username": "owner", "password": "a-long-test-password"})
    assert response.status_code == 200
    assert "For mange mislykkede login" in response.content.decode()


@override_settings(LOGIN_FAILURE_LIMIT=3)
def test_a_success_below_the_limit_clears_the_failures(world):
    client = Client()
    for _ in range(2):
        client.post(URL, {"username": "owner", "password": "wrong"})
    assert client.post(URL, {"username": "owner",
                             "password": "a-long-test-password"}).status_code == 302
    for _ in range(2):
        Client().post(URL, {"username": "owner", "password": "wrong"})
    assert Client().post(URL, {"username": "owner",
                               "password": "a-long-test-password"}).status_code == 302


def test_logging_out_needs_a_post(world):
    client = world.client_for("owner")
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("participant-list")).status_code == 302


def test_the_stylesheet_is_served_locally(db):
    from django.contrib.staticfiles import finders

    assert finders.find("web/style.css")
    assert finders.find("ninja/swagger-ui-bundle.js")
    assert finders.find("vendor/htmx-2.0.11.min.js")


def test_the_import_link_is_shown_only_to_those_who_may_import(world):
    assert 'href="/import/"' in world.client_for("owner").get("/participants/").content.decode()
    assert 'href="/import/"' not in world.client_for("colleague").get(
        "/participants/").content.decode()
