"""Registering a participant: CPR validated, encrypted, derived fields, duplicates refused."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from brobygger.web.pathways.models import Participant
from tests.web.conftest import CPR_A, CPR_NEW, cpr_forms

URL = reverse("participant-create")


def form(world, cpr=CPR_NEW, partnership=None):
    return {
        "partnership": (partnership or world.partnership_a).pk, "name": "Nina Nielsen",
        "cpr": f"{cpr[:6]}-{cpr[6:]}", "referred_on": "2020-01-15",
        "benefit_type": "kontanthjaelp", "weeks_on_benefit_at_entry": "80",
        "employment_status_at_entry": "long_term_unemployed", "education": "isced_1_2",
    }


def test_a_caseworker_registers_a_participant_with_derived_birth_year_and_gender(world):
    response = world.client_for("owner").post(URL, form(world))
    participant = Participant.objects.get(name="Nina Nielsen")
    assert response.status_code == 302
    assert str(participant.pk) in response["Location"]
    assert CPR_NEW not in response["Location"]
    assert (participant.birth_year, participant.gender, participant.age_band_at_entry) == (
        1992, "female", "25_29")
    assert participant.events.get().kind == "referral"


def test_it_refuses_a_date_that_is_not_a_birth_date_and_does_not_echo_the_number(world):
    response = world.client_for("owner").post(URL, form(world, cpr="3102921118"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "ikke en gyldig dato" in html
    assert not any(f in html for f in cpr_forms("3102921118"))


def test_it_refuses_a_second_registration_of_the_same_citizen(world):
    response = world.client_for("owner").post(URL, form(world, cpr=CPR_A))
    assert response.status_code == 200
    assert "allerede registreret" in response.content.decode()
    assert "allerede registreret" in " ".join(response.context["form"].errors["cpr"])
    assert Participant.objects.count() == 2


def test_a_read_only_colleague_may_not_register(world):
    world.client_for("colleague").post(URL, form(world))
    assert not Participant.objects.filter(name="Nina Nielsen").exists()


def test_it_refuses_an_outsider_registering_into_another_municipality_s_partnership(world):
    response = world.client_for("outsider").post(URL, form(world))
    assert response.status_code == 200  # the partnership is not among the form's choices
    assert not Participant.objects.filter(name="Nina Nielsen").exists()


def test_it_sends_an_anonymous_visitor_to_the_login(world):
    assert world.client_for("anonymous").post(URL, form(world)).status_code == 302
    assert not Participant.objects.filter(name="Nina Nielsen").exists()


def test_the_cpr_field_s_hint_is_in_the_page_s_language(world):
    client = world.client_for("owner")
    assert 'placeholder="DDMMÅÅ-XXXX"' in client.get("/participants/new/").content.decode()
    client.cookies["django_language"] = "en"
    assert 'placeholder="DDMMYY-XXXX"' in client.get("/participants/new/").content.decode()


def test_a_referral_outside_the_partnership_s_period_in_the_programme_is_refused(world):
    partnership = world.partnership_a
    partnership.starts_on = dt.date(2019, 1, 1)
    partnership.save()
    for day in ("2018-12-31", "2023-01-01"):  # before the partnership, after the programme
        response = world.client_for("owner").post(URL, {**form(world), "referred_on": day})
        assert response.status_code == 200
        assert response.context["form"].errors["referred_on"] == [
            "Henvisningen ligger uden for partnerskabets periode i programmet "
            "(01.01.2019 til 31.12.2022)."]
    assert not Participant.objects.filter(name="Nina Nielsen").exists()
    response = world.client_for("owner").post(URL, {**form(world), "referred_on": "2022-12-31"})
    assert response.status_code == 302  # the programme's last day


def test_a_partnership_s_period_ends_with_its_own_end_within_the_programme(world):
    partnership = world.partnership_a
    assert partnership.referral_period == (dt.date(2018, 1, 1), dt.date(2022, 12, 31))
    partnership.ends_on = dt.date(2021, 6, 30)
    assert partnership.referral_period == (dt.date(2018, 1, 1), dt.date(2021, 6, 30))
    partnership.ends_on = dt.date(2030, 1, 1)
    assert partnership.referral_period == (dt.date(2018, 1, 1), dt.date(2022, 12, 31))


def test_a_citizen_registered_in_another_municipality_is_refused_without_saying_so(world):
    from brobygger.web.audit.models import Action, AuditEntry

    response = world.client_for("outsider").post(
        URL, form(world, cpr=CPR_A, partnership=world.partnership_b))
    assert response.status_code == 200
    assert response.context["form"].errors["cpr"] == [
        "Borgeren kan ikke registreres her. Kontakt programsekretariatet."]
    html = response.content.decode()
    assert "allerede registreret" not in html and world.participant_a.reference not in html
    # the attempt is seen: against the participant, by whom
    entry = AuditEntry.objects.get(action=Action.REFUSED)
    assert (entry.participant_id, entry.username) == (world.participant_a.pk, "outsider")


def test_a_citizen_registered_in_the_user_s_own_partnerships_is_named(world):
    response = world.client_for("owner").post(URL, form(world, cpr=CPR_A))
    assert response.context["form"].errors["cpr"] == [
        f"En deltager med dette CPR-nummer er allerede registreret: "
        f"{world.participant_a.reference}."]
    from brobygger.web.audit.models import Action, AuditEntry

    assert not AuditEntry.objects.filter(action=Action.REFUSED).exists()
