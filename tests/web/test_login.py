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


def _from(address: str) -> Client:
    """A caller behind the one reverse proxy: every connection comes from the proxy, which
    appends the caller's address to X-Forwarded-For (after whatever the caller wrote)."""
    return Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address)


@override_settings(LOGIN_FAILURE_LIMIT=2, TRUSTED_PROXIES=1)
def test_behind_a_proxy_failures_lock_out_the_caller_s_address_not_everyone(world):
    for i in range(8):  # 4 × the limit, under other names, one forging its own address
        _from("10.9.9.9, 203.0.113.9" if i % 2 else "203.0.113.9").post(
            URL, {"username": f"nobody{i}", "password": "wrong"})
    right = {"username": "owner", "password": "a-long-test-password"}
    response = _from("203.0.113.9").post(URL, right)
    assert "For mange mislykkede login" in response.content.decode()
    assert _from("198.51.100.7").post(URL, right).status_code == 302


@override_settings(LOGIN_FAILURE_LIMIT=2, TRUSTED_PROXIES=0)
def test_without_trusted_proxies_the_forwarded_header_is_not_believed(world):
    for i in range(8):
        _from(f"203.0.113.{i}").post(URL, {"username": f"nobody{i}", "password": "wrong"})
    response = _from("198.51.100.7").post(URL, {"username": "owner",
                                                "password": "a-long-test-password"})
    assert "For mange mislykkede login" in response.content.decode()
