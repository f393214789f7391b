"""The events API: append-only history, validated with reasons, scoped."""

from __future__ import annotations

from brobygger.web.pathways.models import PathwayEvent
from tests.web.api_helpers import api_for


def hire(world, day="2019-09-01"):
    return {"kind": "employment_start", "occurred_on": day, "employer_id": world.enterprise_a.pk,
            "hours_per_week": "30", "monthly_wage": "21000", "subsidy_type": "none"}


def path(world):
    return f"/participants/{world.participant_a.pk}/events"


def test_the_enterprise_registers_a_hire_and_sees_it_in_the_events(world):
    api = api_for(world, "enterprise")
    response = api.post(path(world), hire(world))
    assert response.status_code == 201, response.content
    kinds = [e["kind"] for e in api.get(path(world)).json()]
    assert kinds == ["referral", "employment_start"]
    state = api.get(f"/participants/{world.participant_a.pk}").json()["state"]
    assert state == "job_accelerator"


def test_a_job_end_before_its_start_is_refused_with_the_reason(world):
    api = api_for(world, "owner")
    api.post(path(world), hire(world))
    response = api.post(path(world), {"kind": "employment_end", "occurred_on": "2019-08-01"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == "occurred_on"


def test_an_unknown_event_kind_is_refused(world):
    response = api_for(world, "owner").post(path(world), {"kind": "promotion",
                                                          "occurred_on": "2019-08-01"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == "kind"


def test_it_refuses_an_outsider_reading_or_writing_events(world):
    api = api_for(world, "outsider")
    assert api.get(path(world)).status_code == 404
    assert api.post(path(world), hire(world)).status_code == 404
    assert not PathwayEvent.objects.filter(kind="employment_start").exists()


def test_a_read_only_colleague_reads_but_may_not_write(world):
    api = api_for(world, "colleague")
    assert api.get(path(world)).status_code == 200
    assert api.post(path(world), hire(world)).status_code == 403


def test_a_correction_marks_the_old_event_as_not_counting(world):
    api = api_for(world, "owner")
    wrong = api.post(path(world), hire(world)).json()["id"]
    api.post(path(world), {**hire(world, "2019-09-15"), "corrects_id": wrong})
    counts = {e["id"]: e["counts"] for e in api.get(path(world)).json()}
    assert counts[wrong] is False
    assert sum(counts.values()) == 2


def test_an_unknown_employer_is_refused_not_a_server_error(world):
    response = api_for(world, "owner").post(path(world), {**hire(world), "employer_id": 999999})
    assert response.status_code == 422
    assert response.json()["errors"][0]["location"] == "employer_id"


def test_a_jobcentre_is_not_an_employer(world):
    response = api_for(world, "owner").post(
        path(world), {**hire(world), "employer_id": world.municipality_a.pk})
    assert response.status_code == 422


def test_reading_the_events_is_audited(world):
    from brobygger.web.audit.models import AuditEntry

    api_for(world, "colleague").get(path(world))
    assert AuditEntry.objects.filter(username="colleague", action="view",
                                     channel="api").count() == 1


def test_the_rules_name_the_api_s_own_fields(world):
    client = api_for(world, "owner")
    other = world.participant_b.events.get()
    response = client.post(f"/participants/{world.participant_a.pk}/events",
                           {"kind": "cancellation", "occurred_on": "2019-04-02",
                            "corrects_id": other.pk})
    assert response.status_code == 422
    assert [e["location"] for e in response.json()["errors"]] == ["corrects_id"]
    response = client.post(f"/participants/{world.participant_a.pk}/events",
                           {"kind": "employment_start", "occurred_on": "2019-09-01",
                            "hours_per_week": 30, "monthly_wage": 20000,
                            "subsidy_type": "none"})
    assert response.status_code == 422
    assert "employer_id" in [e["location"] for e in response.json()["errors"]]
