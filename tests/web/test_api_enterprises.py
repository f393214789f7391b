"""Partnerships, enterprises and growth figures over the API."""

from __future__ import annotations

from brobygger.web.accelerator.models import GrowthFigure
from tests.web.api_helpers import api_for

FIGURE = {"period_start": "2020-01-01", "period_end": "2020-12-31", "revenue": "1500000",
          "fte": "8.5", "vulnerable_hires": 2}


def test_the_enterprise_reports_growth_and_reads_it_back(world):
    api = api_for(world, "enterprise")
    path = f"/enterprises/{world.enterprise_a.pk}/growth"
    assert api.post(path, FIGURE).status_code == 201
    figures = api.get(path).json()
    assert figures[0]["vulnerable_hires"] == 2


def test_the_same_period_twice_is_a_conflict(world):
    api = api_for(world, "enterprise")
    path = f"/enterprises/{world.enterprise_a.pk}/growth"
    api.post(path, FIGURE)
    response = api.post(path, FIGURE)
    assert response.status_code == 409
    [error] = response.json()["errors"]
    assert "som overlapper perioden, er allerede registreret" in error["message"], error
    assert "errors" in response.json()


def test_a_period_ending_before_it_starts_is_refused(world):
    response = api_for(world, "enterprise").post(
        f"/enterprises/{world.enterprise_a.pk}/growth",
        {**FIGURE, "period_end": "2019-12-31"})
    assert response.status_code == 422
    assert [e["location"] for e in response.json()["errors"]] == ["period_end"]


def test_the_municipality_reads_but_does_not_report_the_enterprise_s_growth(world):
    api = api_for(world, "owner")
    path = f"/enterprises/{world.enterprise_a.pk}/growth"
    assert api.get(path).status_code == 200
    assert api.post(path, FIGURE).status_code == 403
    assert not GrowthFigure.objects.exists()


def test_it_refuses_an_outsider_the_enterprise_and_its_growth(world):
    api = api_for(world, "outsider")
    assert world.enterprise_a.pk not in [e["id"] for e in api.get("/enterprises").json()]
    assert api.get(f"/enterprises/{world.enterprise_a.pk}").status_code == 404
    assert api.get(f"/enterprises/{world.enterprise_a.pk}/growth").status_code == 404
    assert api.post(f"/enterprises/{world.enterprise_a.pk}/growth", FIGURE).status_code == 404


def test_partnerships_are_scoped(world):
    assert [p["name"] for p in api_for(world, "outsider").get("/partnerships").json()] == ["B"]
    assert api_for(world, "outsider").get(
        f"/partnerships/{world.partnership_a.pk}").status_code == 404
    assert len(api_for(world, "operator").get("/partnerships").json()) == 2


def test_anonymous_callers_get_401(world):
    for path in ["/partnerships", "/enterprises", f"/enterprises/{world.enterprise_a.pk}/growth"]:
        assert api_for(world, "anonymous").get(path).status_code == 401
