"""The participants API: same scoping as the screens, CPR only masked, audited."""

from __future__ import annotations

import pytest

from brobygger.web.pathways.models import Participant
from tests.web.api_helpers import api_for
from tests.web.conftest import CPR_A, CPR_NEW, cpr_forms, masked


def new_participant(world, cpr=CPR_NEW, partnership=None):
    return {
        "partnership_id": (partnership or world.partnership_a).pk, "cpr": cpr,
        "name": "Nina Nielsen", "referred_on": "2020-01-15", "benefit_type": "kontanthjaelp",
        "weeks_on_benefit_at_entry": 80, "employment_status_at_entry": "long_term_unemployed",
        "education": "isced_1_2",
    }


def test_the_owner_lists_her_participants_with_masked_cpr(world):
    response = api_for(world, "owner").get("/participants")
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1
    assert body["items"][0]["cpr_masked"] == masked(CPR_A)
    assert not any(f in response.content.decode() for f in cpr_forms(CPR_A))


def test_the_list_refuses_an_outsider_the_other_municipality_s_participants(world):
    body = api_for(world, "outsider").get("/participants").json()
    assert [p["id"] for p in body["items"]] == [world.participant_b.pk]


def test_the_detail_refuses_an_outsider_with_404_in_the_error_shape(world):
    response = api_for(world, "outsider").get(f"/participants/{world.participant_a.pk}")
    assert response.status_code == 404
    assert response.json() == {"errors": [{"location": "", "message": "findes ikke"}]}


@pytest.mark.parametrize("path", ["/participants", "/participants/1", "/participants/1/events"])
def test_anonymous_callers_get_401(world, path):
    response = api_for(world, "anonymous").get(path)
    assert response.status_code == 401
    assert response.json()["errors"][0]["message"].startswith("kræver log-ind")


def test_a_bad_token_is_refused(world):
    from django.test import Client

    response = Client().get("/api/participants", HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401


def test_a_caseworker_registers_a_participant_and_gets_it_back_masked(world):
    response = api_for(world, "owner").post("/participants", new_participant(world))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["cpr_masked"] == masked(CPR_NEW)
    assert (body["birth_year"], body["gender"], body["state"]) == (1992, "female", "referred")
    assert CPR_NEW not in response.content.decode()


def test_an_invalid_cpr_is_refused_without_echoing_it(world):
    response = api_for(world, "owner").post("/participants",
                                            new_participant(world, cpr="3102921118"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == "cpr"
    assert "3102921118" not in response.content.decode()
    assert "310292" not in response.content.decode()


def test_unknown_fields_are_refused(world):
    response = api_for(world, "owner").post(
        "/participants", {**new_participant(world), "shoe_size": 44})
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == "shoe_size"


def test_a_duplicate_cpr_is_refused(world):
    response = api_for(world, "owner").post("/participants", new_participant(world, cpr=CPR_A))
    assert response.status_code == 422
    assert [e["location"] for e in response.json()["errors"]] == ["cpr"]
    assert Participant.objects.count() == 2


def test_registering_into_another_municipality_s_partnership_is_refused(world):
    response = api_for(world, "outsider").post("/participants", new_participant(world))
    assert response.status_code == 404
    assert not Participant.objects.filter(name="Nina Nielsen").exists()


def test_a_read_only_colleague_may_not_register(world):
    response = api_for(world, "colleague").post("/participants", new_participant(world))
    assert response.status_code == 403
    assert response.json()["errors"][0]["message"] == "din rolle giver ikke adgang til dette"


def test_a_referral_after_the_programme_is_refused(world):
    response = api_for(world, "owner").post(
        "/participants", {**new_participant(world), "referred_on": "2023-03-01"})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["location"] == "referred_on"
    assert "uden for partnerskabets periode" in error["message"]
    assert not Participant.objects.filter(name="Nina Nielsen").exists()


def test_a_citizen_registered_elsewhere_is_refused_without_saying_so(world):
    from brobygger.web.audit.models import Action, AuditEntry

    response = api_for(world, "outsider").post(
        "/participants", new_participant(world, cpr=CPR_A, partnership=world.partnership_b))
    assert response.status_code == 422
    assert response.json()["errors"] == [{
        "location": "cpr",
        "message": "Borgeren kan ikke registreres her. Kontakt programsekretariatet."}]
    assert AuditEntry.objects.get(action=Action.REFUSED).participant_id == \
        world.participant_a.pk


def test_a_name_with_a_nul_character_is_refused_naming_the_field(world):
    response = api_for(world, "owner").post(
        "/participants", {**new_participant(world), "name": "a\u0000b"})
    assert response.status_code == 422
    assert [e["location"] for e in response.json()["errors"]] == ["name"]
    assert Participant.objects.count() == 2  # the world's two, nothing new


def test_filtering_by_a_partnership_outside_the_scope_is_a_404(world):
    client = api_for(world, "owner")
    assert client.get(f"/participants?partnership_id={world.partnership_b.pk}"
                      ).status_code == 404
    assert client.get("/participants?partnership_id=99999").status_code == 404
    own = client.get(f"/participants?partnership_id={world.partnership_a.pk}")
    assert own.status_code == 200 and own.json()["count"] == 1


def test_the_api_s_own_messages_are_in_the_request_s_language(world):
    api = api_for(world, "owner")
    bad_cpr = {**new_participant(world), "cpr": "3102901234"}
    hire = {"kind": "employment_start", "occurred_on": "2019-11-04", "employer_id": 99999,
            "hours_per_week": "25", "monthly_wage": "18000.00", "subsidy_type": "none"}
    events = f"/participants/{world.participant_a.pk}/events"
    for language, cpr, employer in (
            ("da", "De første seks cifre i CPR-nummeret er ikke en gyldig dato (DDMMÅÅ).",
             "ingen arbejdsgiver med dette id"),
            ("en", "The first six digits of the CPR number are not a valid date (DDMMYY).",
             "no employer with this id")):
        api.headers["HTTP_ACCEPT_LANGUAGE"] = language
        assert api.post("/participants", bad_cpr).json()["errors"] == [
            {"location": "cpr", "message": cpr}]
        assert api.post(events, hire).json()["errors"] == [
            {"location": "employer_id", "message": employer}]


def test_a_schema_error_is_said_in_the_request_s_language_as_the_rules_are(world):
    api = api_for(world, "owner")
    body = {**new_participant(world), "weeks_on_benefit_at_entry": -3}
    danish = api.post("/participants", body).json()["errors"]
    assert danish == [{"location": "weeks_on_benefit_at_entry",
                       "message": "skal være mindst 0"}]
    api.headers["HTTP_ACCEPT_LANGUAGE"] = "en"
    english = api.post("/participants", body).json()["errors"]
    assert english == [{"location": "weeks_on_benefit_at_entry",
                        "message": "must be at least 0"}]
