"""GDPR erasure: personal data goes, the pathway and the counts stay."""

from __future__ import annotations

from collections import Counter

from django.db import connection
from django.urls import reverse

from brobygger.web.audit.models import AuditEntry
from brobygger.web.pathways.models import Participant, PathwayEvent
from tests.web.conftest import CPR_A, masked


def url(world):
    return reverse("participant-erase", args=[world.participant_a.pk])


def aggregates():
    return (
        Participant.objects.count(),
        Counter(Participant.objects.values_list("gender", "age_band_at_entry", "partnership")),
        Counter(PathwayEvent.objects.values_list("kind", "occurred_on")),
    )


def test_the_manager_erases_and_the_counts_stay(world):
    before = aggregates()
    response = world.client_for("manager").post(url(world))
    assert response.status_code == 302
    assert aggregates() == before
    p = Participant.objects.get(pk=world.participant_a.pk)
    assert (p.name, p.cpr_ciphertext, p.cpr_fingerprint, p.birth_year) == ("", "", None, None)
    assert p.erased_at is not None


def test_nothing_of_the_cpr_remains_in_the_row(world):
    world.client_for("manager").post(url(world))
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM pathways_participant WHERE id = %s",
                       [world.participant_a.pk])
        row = " ".join(str(v) for v in cursor.fetchone())
    assert CPR_A not in row and CPR_A[:6] not in row


def test_the_erased_participant_s_page_shows_no_personal_data(world):
    world.client_for("manager").post(url(world))
    html = world.client_for("owner").get(
        reverse("participant-detail", args=[world.participant_a.pk])).content.decode()
    assert "Anna" not in html and masked(CPR_A) not in html
    assert "None" not in html  # an erased birth year shows as a dash


def test_the_erasure_is_audited(world):
    world.client_for("manager").post(url(world))
    assert AuditEntry.objects.filter(action="erase", username="manager").count() == 1


def test_the_citizen_can_be_registered_again_after_erasure(world):
    world.client_for("manager").post(url(world))
    assert not Participant.objects.filter(cpr_fingerprint__isnull=False,
                                          pk=world.participant_a.pk).exists()


def test_a_caseworker_may_not_erase(world):
    assert world.client_for("owner").post(url(world)).status_code == 403
    assert world.client_for("actor").post(url(world)).status_code == 403
    assert Participant.objects.get(pk=world.participant_a.pk).erased_at is None


def test_it_refuses_an_outsider_with_404(world):
    assert world.client_for("outsider").post(url(world)).status_code == 404
    assert Participant.objects.get(pk=world.participant_a.pk).erased_at is None


def test_it_sends_an_anonymous_visitor_to_the_login(world):
    assert world.client_for("anonymous").post(url(world)).status_code == 302


def test_the_secretariat_may_not_erase_a_municipality_s_citizen(world):
    """Erasure is the municipality's decision (the data controller's), not the programme
    secretariat's, though it sees every participant."""
    operator = world.client_for("operator")
    page = operator.get(reverse("participant-detail", args=[world.participant_a.pk]))
    assert page.status_code == 200 and page.context["can_erase"] is False
    assert operator.post(url(world)).status_code == 403
    assert Participant.objects.get(pk=world.participant_a.pk).erased_at is None
