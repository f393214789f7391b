"""Partnership pages: only one's own partnerships; counts, never personal data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.conftest import CPR_A, masked

LIST = reverse("partnership-list")


def detail(world, partnership=None):
    return reverse("partnership-detail", args=[(partnership or world.partnership_a).pk])


@pytest.mark.parametrize("persona", ["owner", "colleague", "actor", "enterprise", "operator"])
def test_members_of_the_partnership_see_it(world, persona):
    client = world.client_for(persona)
    assert ">A</a>" in client.get(LIST).content.decode()
    assert client.get(detail(world)).status_code == 200


def test_the_list_refuses_an_outsider_the_other_municipality_s_partnership(world):
    html = world.client_for("outsider").get(LIST).content.decode()
    assert ">A</a>" not in html and ">B</a>" in html


def test_the_page_refuses_an_outsider_with_404(world):
    assert world.client_for("outsider").get(detail(world)).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(world):
    assert world.client_for("anonymous").get(LIST).status_code == 302
    assert world.client_for("anonymous").get(detail(world)).status_code == 302


def test_the_page_counts_participants_by_status_without_naming_them(world):
    html = world.client_for("owner").get(detail(world)).content.decode()
    assert "henvist" in html
    assert "Anna" not in html and masked(CPR_A) not in html


def test_the_payment_model_names_payers_and_payees_in_the_user_s_language(world):
    from django.utils import translation

    from brobygger.web.registry.views import party

    with translation.override("da"):
        assert [party(k) for k in ("municipality", "state", "other_actor",
                                   "social_enterprise")] == \
            ["kommune", "staten", "anden aktør", "socialøkonomisk virksomhed"]
    with translation.override("en"):
        assert party("other_actor") == "other actor"
    assert party("someone_new") == "someone_new"  # a key the rate card adds is shown as is
