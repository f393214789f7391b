"""Input that once stored values the pages could not show, or made a page fail, is refused
with the field named (found by sending every form, import and API endpoint broken input)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from brobygger.web.accelerator.models import GrowthFigure
from brobygger.web.pathways.models import PathwayEvent
from tests.web.api_helpers import api_for
from tests.web.conftest import CPR_A

GROWTH = {"period_start": "2020-01-01", "period_end": "2020-12-31", "revenue": "1500000",
          "fte": "8.5", "education_places": "0", "internship_places": "0",
          "ordinary_hires": "1", "vulnerable_hires": "3"}


def events_path(world) -> str:
    return f"/participants/{world.participant_a.pk}/events"


def test_an_amount_the_database_column_cannot_hold_is_refused_naming_the_field(world):
    api = api_for(world, "owner")
    for body, field in [
        ({"kind": "exit", "occurred_on": "2019-09-01", "monthly_wage": "99999999999"},
         "monthly_wage"),
        ({"kind": "exit", "occurred_on": "2019-09-01", "hours_per_week": "-5"}, "hours_per_week"),
    ]:
        response = api.post(events_path(world), body)
        assert response.status_code == 422, response.content
        assert field in response.content.decode()
    assert not PathwayEvent.objects.filter(kind="exit").exists()
    page = world.client_for("owner").get(
        reverse("participant-detail", args=[world.participant_a.pk]))
    assert page.status_code == 200


def test_a_referral_cannot_be_cancelled_and_a_cancellation_cannot_be_in_the_future(world):
    referral = world.participant_a.events.get(kind="referral")
    api = api_for(world, "owner")
    response = api.post(events_path(world), {"kind": "cancellation",
                                             "occurred_on": "2019-09-01",
                                             "corrects_id": referral.pk})
    assert response.status_code == 422
    assert "corrects" in response.content.decode()
    api.post(events_path(world), {"kind": "induction_start", "occurred_on": "2019-04-01"})
    start = world.participant_a.events.get(kind="induction_start")
    response = api.post(events_path(world), {"kind": "cancellation",
                                             "occurred_on": "9999-12-31",
                                             "corrects_id": start.pk})
    assert response.status_code == 422
    assert "occurred_on" in response.content.decode()
    assert not PathwayEvent.objects.filter(kind="cancellation").exists()


def test_growth_figures_beyond_their_columns_or_any_real_count_are_refused(world):
    api = api_for(world, "enterprise")
    path = f"/enterprises/{world.enterprise_a.pk}/growth"
    for change, field in [({"revenue": "1e20"}, "revenue"), ({"fte": "123456789"}, "fte"),
                          ({"ordinary_hires": 2**31}, "ordinary_hires")]:
        response = api.post(path, {**GROWTH, **change})
        assert response.status_code == 422, (change, response.content)
        assert field in response.content.decode()
    form = world.client_for("enterprise").post(
        reverse("growth-create", args=[world.enterprise_a.pk]),
        {**GROWTH, "ordinary_hires": str(2**31)})
    assert form.status_code == 200
    assert form.context["form"].errors["ordinary_hires"]
    assert not GrowthFigure.objects.exists()
    assert world.client_for("operator").get(reverse("dashboard")).status_code == 200


def _import(world, text: bytes):
    return world.client_for("owner").post(reverse("import"), {
        "kind": "events", "file": SimpleUploadedFile("e.csv", text, content_type="text/csv")})


def test_an_import_with_numbers_no_one_writes_lists_the_rows(world):
    header = "cpr,kind,occurred_on,employer_cvr,hours_per_week,monthly_wage,subsidy_type\n"
    rows = [f"{CPR_A},exit,2019-09-01,,1e1000000,,", f"{CPR_A},exit,2019-09-02,,,Infinity,",
            f"{CPR_A},exit,2019-09-03,,,NaN,"]
    response = _import(world, (header + "\n".join(rows) + "\n").encode())
    assert response.status_code == 422
    problems = response.context["result"].problems
    assert [(p.row, p.column) for p in problems] == [
        (2, "hours_per_week"), (3, "monthly_wage"), (4, "monthly_wage")]


def test_an_unreadable_csv_is_refused_as_a_file(world):
    header = b"cpr,kind,occurred_on\n"
    for body in (header + b"\x81\x8d\x90\n", header + b'"' + b"x" * 200_000 + b'"\n'):
        response = _import(world, body)
        assert response.status_code == 422
        assert not PathwayEvent.objects.filter(kind="exit").exists()


def test_query_parameters_that_are_not_ids_are_ignored_or_refused(world):
    client = world.client_for("owner")
    for query in ("?partnership=²", "?q=D-²", "?partnership=99999999999999999999999",
                  "?q=" + "a" * 100_000):
        assert client.get(reverse("participant-list") + query).status_code == 200, query
    report = reverse("reports-esf")
    assert client.get(report + "?partnership=²").status_code == 400
    assert world.client_for("operator").get(report + "?period=0001").status_code == 400
    api = api_for(world, "owner")
    assert api.get("/participants", offset=2**63).status_code == 422


def test_a_participant_name_longer_than_its_column_is_refused_over_the_api(world):
    response = api_for(world, "owner").post("/participants", {
        "partnership_id": world.partnership_a.pk, "cpr": "2307921118", "name": "x" * 201,
        "referred_on": "2020-01-15", "benefit_type": "kontanthjaelp",
        "weeks_on_benefit_at_entry": 10,
                   "employment_status_at_entry": "long_term_unemployed",
        "education": "isced_1_2"})
    assert response.status_code == 422
    assert "name" in response.content.decode()


# --- dates no registration can have -------------------------------------------------------

NEW_PARTICIPANT = {"cpr": "2307921118", "name": "Nina", "benefit_type": "kontanthjaelp",
                   "weeks_on_benefit_at_entry": 10,
                   "employment_status_at_entry": "long_term_unemployed",
                   "education": "isced_1_2"}


def test_referral_and_consent_dates_no_registration_can_have_are_refused_on_every_channel(world):
    """Before 2000, before the citizen's birth (23 Jul 1992 in the CPR number) or in the
    future: the form, the API and the import refuse them naming the field."""
    from brobygger.web.pathways.models import Participant

    cases = [({"referred_on": "1900-01-01"}, "referred_on"),
             ({"referred_on": "2090-01-01"}, "referred_on"),
             ({"consent_given_on": "9999-12-31"}, "consent_given_on"),
             ({"consent_given_on": "0001-01-01"}, "consent_given_on")]
    client = world.client_for("owner")
    api = api_for(world, "owner")
    for change, field in cases:
        body = {**NEW_PARTICIPANT, "referred_on": "2020-01-15", **change}
        page = client.post(reverse("participant-create"),
                           {**body, "partnership": world.partnership_a.pk})
        assert page.status_code == 200 and field in page.context["form"].errors, change
        response = api.post("/participants", {**body, "partnership_id": world.partnership_a.pk})
        assert response.status_code == 422, (change, response.content)
        assert field in response.content.decode(), change
    # a referral before the birth date (possible only for a citizen born after 2000)
    born_2005 = "0101054123"  # 1 Jan 2005 (a 7th digit of 4 and a year to 36: the 2000s)
    response = api.post("/participants", {**NEW_PARTICIPANT, "cpr": born_2005,
                                          "referred_on": "2004-06-01",
                                          "partnership_id": world.partnership_a.pk})
    assert response.status_code == 422 and "referred_on" in response.content.decode()
    assert not Participant.objects.filter(name="Nina").exists()


def test_event_dates_and_benefit_months_no_registration_can_have_are_refused(world):
    api = api_for(world, "owner")
    for body, field in [
        ({"kind": "exit", "occurred_on": "1999-12-31"}, "occurred_on"),
        ({"kind": "benefit_status", "occurred_on": "2019-09-01", "benefit_month": "9999-01-01",
          "benefit_type": "kontanthjaelp"}, "benefit_month"),
        ({"kind": "benefit_status", "occurred_on": "2019-09-01", "benefit_month": "1900-01-01",
          "benefit_type": "kontanthjaelp"}, "benefit_month"),
    ]:
        response = api.post(events_path(world), body)
        assert response.status_code == 422, (body, response.content)
        assert field in response.content.decode(), body
    assert not PathwayEvent.objects.filter(kind__in=["exit", "benefit_status"]).exists()
