"""Sweep every screen and API endpoint as the outsider (a caseworker of another municipality):
nothing of municipality A's participant may show, and objects of A are 404. New views and
endpoints are picked up automatically from the URL configuration and the OpenAPI schema."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.web.api_helpers import api_for
from tests.web.conftest import CPR_A, cpr_forms, masked

SECRETS = ["Anna Andersen", masked(CPR_A), *cpr_forms(CPR_A)]
SKIP = ("admin/", "api/", "i18n/", "accounts/")


def screen_routes(patterns=None, prefix=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(p.pattern)
        if route.startswith(SKIP):
            continue
        if isinstance(p, URLResolver):
            yield from screen_routes(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            yield route


def concrete(route: str, world) -> str:
    pk = {"participants": world.participant_a.pk, "partnerships": world.partnership_a.pk,
          "enterprises": world.enterprise_a.pk, "dashboard": world.enterprise_a.pk}
    if route.startswith("lab/"):
        pk["lab"] = lab_object_of_a(route, world)
    if route.startswith("investor/"):
        pk["investor"] = investor_agreement_of_a(world)
    return "/" + re.sub(r"<int:(\w+)>", lambda m: str(pk[route.split("/")[0]]), route)


def lab_object_of_a(route: str, world) -> int:
    """A saved lab scenario or run of municipality A (runs/… routes take a run)."""
    from brobygger.web.lab.models import LabScenario, Run

    scenario, _ = LabScenario.objects.get_or_create(
        organisation=world.municipality_a, name="A's plan", defaults={"base": "default"})
    if route.startswith("lab/runs/"):
        return Run.objects.get_or_create(organisation=world.municipality_a, scenario=scenario,
                                         base="default", draws=10, seed=1, version="0")[0].pk
    return scenario.pk


def investor_agreement_of_a(world) -> int:
    """An investor's agreement on the contract of A's partnership."""
    from brobygger.web.registry.contracts import read_contract
    from brobygger.web.registry.models import Contract, InvestorAgreement, Organisation

    spec = read_contract()
    contract, _ = Contract.objects.get_or_create(
        programme=world.partnership_a.programme, code=spec["id"],
        defaults={"label": "rate card", "spec": spec})
    world.partnership_a.contract = contract
    world.partnership_a.save()
    fund, _ = Organisation.objects.get_or_create(name="Fonden", kind=Organisation.Kind.INVESTOR)
    return InvestorAgreement.objects.get_or_create(contract=contract, defaults={
        "investor": fund, "terms": {"drawdowns": [{
            "month": "2019-01", "amount": 1000,
            "provider": f"other_actor:{world.actor_a.pk}"}]}})[0].pk


def test_the_sweep_finds_the_screens(world):
    routes = set(screen_routes())
    assert {"participants/<int:pk>/", "partnerships/<int:pk>/", "enterprises/<int:pk>/",
            "participants/<int:pk>/events/new/"} <= routes


@pytest.mark.parametrize("method", ["get", "post"])
def test_no_screen_shows_the_outsider_anything_of_another_municipality(world, method):
    client = world.client_for("outsider")
    for route in screen_routes():
        url = concrete(route, world)
        response = getattr(client, method)(url)
        html = response.content.decode(errors="replace")  # downloads are binary
        assert not any(s in html for s in SECRETS), url
        if "<int:" in route:
            assert response.status_code in (404, 405), (url, response.status_code)


def api_paths(world):
    schema = Client().get("/api/openapi.json").json()
    ids = {"participant_id": world.participant_a.pk, "partnership_id": world.partnership_a.pk,
           "enterprise_id": world.enterprise_a.pk}
    for path, operations in schema["paths"].items():
        concrete_path = re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)
        yield path, concrete_path.removeprefix("/api"), set(operations)


def test_no_api_endpoint_gives_the_outsider_anything_of_another_municipality(world):
    api = api_for(world, "outsider")
    for template, path, methods in api_paths(world):
        for method in methods:
            response = api.get(path) if method == "get" else api.post(path, {})
            body = response.content.decode()
            assert not any(s in body for s in SECRETS), (method, path)
            if "{" in template:
                # a POST with an empty body may fail validation first: still nothing shown
                assert response.status_code in (404, 422), (method, path, response.status_code)


def test_no_api_endpoint_answers_an_anonymous_caller(world):
    api = api_for(world, "anonymous")
    for _, path, methods in api_paths(world):
        for method in methods:
            response = api.get(path) if method == "get" else api.post(path, {})
            assert response.status_code == 401, (method, path)
