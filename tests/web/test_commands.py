"""Management commands: loadmunicipalities, seeddemo, createapitoken."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from brobygger.web.accounts.models import ApiToken
from brobygger.web.pathways.models import EventKind, Participant, PathwayEvent
from brobygger.web.registry.models import Municipality, Partnership


def run(*args, **kwargs) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def test_loadmunicipalities_loads_the_98_and_is_idempotent(db):
    assert "98 created" in run("loadmunicipalities")
    assert "0 created, 0 updated, 98" in run("loadmunicipalities")
    assert Municipality.objects.get(code="101").name == "København"
    assert set(Municipality.objects.values_list("region", flat=True)) == {
        "Hovedstaden", "Sjælland", "Syddanmark", "Midtjylland", "Nordjylland"}


def test_loadmunicipalities_updates_a_changed_name(db):
    run("loadmunicipalities")
    Municipality.objects.filter(code="101").update(name="Kjøbenhavn")
    assert "1 updated" in run("loadmunicipalities")


@pytest.fixture
def demo(db):
    with override_settings(DEBUG=True):
        return run("seeddemo")


def test_seeddemo_builds_the_programme_of_the_default_scenario(demo):
    assert Partnership.objects.count() == 18
    assert Participant.objects.count() == 148
    assert Participant.objects.filter(fictitious=False).count() == 0
    municipalities = set(Partnership.objects.values_list(
        "municipality__municipality__code", flat=True))
    from brobygger.scenario.load import load_scenario

    # the municipalities the shipped scenario has: the business case and the lab cover them
    assert municipalities == {m.code for m in load_scenario().municipalities}
    starts = PathwayEvent.objects.filter(kind=EventKind.INDUCTION_START).count()
    assert 130 <= starts <= 148
    assert PathwayEvent.objects.filter(occurred_on__gt=dt.date(2022, 9, 30)).count() == 0


def test_seeddemo_prints_logins_that_work(demo):
    assert "operator" in demo and "brobygger-demo" in demo
    client = Client()
    assert client.login(username="koebenhavn-sagsbehandler", password="brobygger-demo")
    html = client.get("/participants/").content.decode()
    assert "D-" in html


def test_seeddemo_refuses_to_run_twice(demo):
    with override_settings(DEBUG=True), pytest.raises(CommandError, match="already"):
        run("seeddemo")


def test_seeddemo_refuses_production_without_force(db):
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        run("seeddemo")


def test_createapitoken_prints_a_token_that_is_stored_only_hashed(world):
    token = run("createapitoken", "owner").strip()
    assert token.startswith("bro_")
    assert not ApiToken.objects.filter(digest=token).exists()
    assert Client().get("/api/participants",
                        HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_createapitoken_refuses_an_unknown_user(db):
    with pytest.raises(CommandError):
        run("createapitoken", "nobody")


def test_servedemo_migrates_seeds_once_and_hands_over_to_runserver(db, monkeypatch):
    import django.core.management as management

    real = management.call_command
    served = []

    def fake(name, *args, **kwargs):
        if name == "runserver":
            served.append(args)
            return None
        return real(name, *args, **kwargs)

    monkeypatch.setattr("brobygger.web.registry.management.commands.servedemo.call_command",
                        fake)
    with override_settings(DEBUG=True):
        first = run("servedemo", "127.0.0.1:8123")
        second = run("servedemo", "127.0.0.1:8123")
    assert "148 participants" in first and "148 participants" not in second
    assert "koebenhavn-sagsbehandler" in second and "http://127.0.0.1:8123/" in second
    assert served == [("127.0.0.1:8123",), ("127.0.0.1:8123",)]


def test_servedemo_refuses_production(db):
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG=1"):
        run("servedemo")


def test_every_printed_demo_login_exists(demo):
    from django.contrib.auth import get_user_model

    from brobygger.web.demo import MAIN_LOGINS

    names = [u for u, _ in MAIN_LOGINS]
    assert get_user_model().objects.filter(username__in=names).count() == len(names)
