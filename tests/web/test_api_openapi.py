"""The OpenAPI description and the docs page, served without any network."""

from __future__ import annotations

from django.test import Client

from tests.web.pages import asset_urls, remote_assets


def test_the_openapi_description_lists_the_endpoints(db):
    schema = Client().get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {"/api/participants", "/api/participants/{participant_id}",
            "/api/participants/{participant_id}/events", "/api/enterprises",
            "/api/enterprises/{enterprise_id}/growth", "/api/partnerships"} <= paths
    assert "ErrorOut" in schema["components"]["schemas"]


def test_the_docs_page_loads_its_assets_locally(db):
    html = Client().get("/api/docs").content.decode()
    assert asset_urls(html), "the docs page loads its scripts and styles"
    assert remote_assets(html) == []


def test_an_operation_lists_only_the_errors_it_can_give(world):
    schema = world.client_for("owner").get("/api/openapi.json").json()
    assert "409" not in schema["paths"]["/api/partnerships"]["get"]["responses"]
    growth = schema["paths"]["/api/enterprises/{enterprise_id}/growth"]
    assert "409" in growth["post"]["responses"] and "409" not in growth["get"]["responses"]


def test_every_request_body_has_examples_that_its_schema_accepts(db):
    from brobygger.web.api import schemas

    components = Client().get("/api/openapi.json").json()["components"]["schemas"]
    for name in ("ParticipantIn", "EventIn", "GrowthIn"):
        examples = components[name]["examples"]
        assert examples, name
        for example in examples:
            getattr(schemas, name).model_validate(example)  # raises if the example is wrong


def test_the_api_takes_its_own_participant_example(world):
    from tests.web.api_helpers import api_for

    components = Client().get("/api/openapi.json").json()["components"]["schemas"]
    example = {**components["ParticipantIn"]["examples"][0],
               "partnership_id": world.partnership_a.pk, "cpr": "230792-1118"}
    response = api_for(world, "owner").post("/participants", example)
    assert response.status_code == 201, response.content
