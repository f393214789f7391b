"""Contracts: the core's rate card, stored, checked by the core, shown on the partnership."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from brobygger.web.registry.contracts import contract_file_for, read_contract
from brobygger.web.registry.models import Contract


def test_loadcontract_attaches_the_default_rate_card_to_every_partnership(world):
    out = StringIO()
    call_command("loadcontract", stdout=out)
    assert "attached to 2 partnerships" in out.getvalue()
    world.partnership_a.refresh_from_db()
    assert world.partnership_a.contract.code == read_contract()["id"]


def test_the_core_builds_the_contract_file_with_the_partnerships(world):
    call_command("loadcontract", stdout=StringIO())
    contract_file = contract_file_for(Contract.objects.get())
    assert {p.municipality for p in contract_file.partnerships} == {"101", "751"}


def test_a_broken_rate_card_is_refused_with_the_core_s_reasons(world):
    spec = {**read_contract(), "caps": {"per_participant": 10, "per_contract": 5}}
    contract = Contract(programme=world.partnership_a.programme, code="x", label="x", spec=spec)
    with pytest.raises(ValidationError) as info:
        contract.full_clean()
    # the schema's own check, in the request's language (Danish by default)
    assert "kontrakt: contract.caps: lofterne modsiger hinanden" in str(info.value)


def test_loadcontract_refuses_an_unknown_partnership(world):
    with pytest.raises(CommandError):
        call_command("loadcontract", "--partnership", "99999", stdout=StringIO())


def test_the_partnership_page_shows_the_rate_card_in_danish_numbers(world):
    call_command("loadcontract", stdout=StringIO())
    html = world.client_for("owner").get(
        reverse("partnership-detail", args=[world.partnership_a.pk])).content.decode()
    assert "Gennemført indslusningsforløb" in html
    assert "10.000" in html
    # payer and payees in Danish, shares with the Danish space before %
    assert "anden aktør 100 %" in html and "<td>kommune</td>" in html
    assert "other_actor" not in html
    # the triggers in words, not their codes
    assert "<td>job fastholdt 6 måneder</td>" in html and "<td>gennemført forløb</td>" in html
    assert "induction_completed" not in html and "job_sustained" not in html
    english = world.client_for("owner")
    english.cookies["django_language"] = "en"
    html = english.get(reverse("partnership-detail", args=[world.partnership_a.pk])
                       ).content.decode()
    assert "<td>job sustained 6 months</td>" in html


def test_a_dated_price_is_shown_with_the_page_s_dates(world):
    """A rate card keeps its price dates as ISO; the page writes them as its other dates."""
    spec = read_contract()
    first = spec["outcomes"][0]
    first["price"] = {"2018-01-01": 10000, "2020-07-01": 12500}
    contract = Contract.objects.create(programme=world.partnership_a.programme, code="dated",
                                       label="dated", spec=spec)
    world.partnership_a.contract = contract
    world.partnership_a.save()
    url = reverse("partnership-detail", args=[world.partnership_a.pk])
    html = world.client_for("owner").get(url).content.decode()
    assert "01.01.2018: 10.000<br>01.07.2020: 12.500" in html
    assert "2020-07-01" not in html
    english = world.client_for("owner")
    english.cookies["django_language"] = "en"
    assert "01/07/2020: 12,500" in english.get(url).content.decode()
