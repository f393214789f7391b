"""The investor's page: pre-financing and return as the ledger stands, computed by the core,
seen only by the investor's own members and the programme operator."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command

from brobygger.payments.investor import investor_position
from brobygger.payments.period import month_index
from brobygger.payments.store import LedgerDir
from brobygger.simulation.forecast import last_complete_month
from brobygger.web import numbers
from brobygger.web.accounts.models import Membership, Role
from brobygger.web.forecast import services
from brobygger.web.pathways.models import EventKind, PathwayEvent
from brobygger.web.registry.contracts import contract_file_for
from brobygger.web.registry.models import InvestorAgreement, Organisation


@pytest.fixture
def funded(live):
    """The live world with an investor that lent Aktør A 100,000 in January 2019, and a
    member of it; the live settlement written to the ledger."""
    fund = Organisation.objects.create(name="Fonden", kind=Organisation.Kind.INVESTOR)
    user = get_user_model().objects.create_user(username="fund", password="a-long-password")
    Membership.objects.create(user=user, organisation=fund, role=Role.READ_ONLY)
    contract = live.partnership_a.contract
    agreement = InvestorAgreement(contract=contract, investor=fund, terms={
        "drawdowns": [{"month": "2019-01", "amount": 100000,
                       "provider": f"other_actor:{live.actor_a.pk}"}],
        "return_rate": 0.05, "success_fee_share": 0.1})
    agreement.full_clean()
    agreement.save()
    call_command("settlelive")
    live.fund = user
    live.agreement = agreement
    return live


def test_the_investor_sees_the_core_s_position_on_the_live_ledger(funded):
    response = funded.client_for("fund").get("/investor/")
    assert response.status_code == 200
    html = response.content.decode()
    entries = LedgerDir(services.ledger_dir()).entries()
    spec = contract_file_for(funded.agreement.contract).investor
    through = month_index(last_complete_month(dt.date.today()))
    result, receipts = investor_position(spec, entries, through, funded.agreement.contract.code)
    assert sum(receipts.values()) > 0  # the live settlement paid Aktør A
    assert result.invested == 100000
    for amount in (result.invested, result.received, result.loss, result.flows[-1].accrued):
        assert numbers.kr(amount, 2) in html  # to the øre, in Danish
    assert result.flows[-1].accrued > 0  # the return accrues to the last complete month
    assert "100.000,00 kr." in html and "Fonden" in html and funded.actor_a.name in html
    assert "afkast 5 % om året; succeshonorar 10 %" in html
    assert 'href="/investor/"' in html  # the investor's menu offers the page


def test_the_page_is_in_english_with_english_numbers(funded):
    client = funded.client_for("fund")
    html = client.get("/investor/", headers={"accept-language": "en"}).content.decode()
    assert "Pre-financing and return" in html and "100,000.00 DKK" in html


def test_only_the_investor_and_the_operator_see_it(funded):
    assert funded.client_for("operator").get("/investor/").status_code == 200
    for persona in ("owner", "actor", "outsider"):
        client = funded.client_for(persona)
        assert client.get("/investor/").status_code == 404, persona
        assert 'href="/investor/"' not in client.get("/participants/").content.decode()
    other = get_user_model().objects.create_user(username="other", password="a-long-password")
    rival = Organisation.objects.create(name="Anden fond", kind=Organisation.Kind.INVESTOR)
    Membership.objects.create(user=other, organisation=rival, role=Role.MANAGER)
    funded.other = other
    assert funded.client_for("other").get("/investor/").status_code == 404
    assert funded.client_for("anonymous").get("/investor/").status_code == 302


def test_the_core_checks_the_terms_against_the_contract_s_partnerships(live):
    fund = Organisation.objects.create(name="Fonden", kind=Organisation.Kind.INVESTOR)
    for terms, field in (
        ({"drawdowns": [{"month": "2019-01", "amount": 1, "provider": "other_actor:99999"}]},
         "investor.drawdowns.0.provider"),
        ({"return_rate": 2}, "investor.return_rate"),
    ):
        agreement = InvestorAgreement(contract=live.partnership_a.contract, investor=fund,
                                      terms=terms)
        with pytest.raises(ValidationError) as err:
            agreement.full_clean()
        assert field in str(err.value.message_dict["terms"]), err.value
    not_an_investor = InvestorAgreement(contract=live.partnership_a.contract,
                                        investor=live.actor_a, terms={})
    with pytest.raises(ValidationError) as err:
        not_an_investor.full_clean()
    assert "investor" in err.value.message_dict


def test_the_investor_downloads_its_position_as_the_core_s_workbook(funded):
    import io

    import openpyxl

    url = f"/investor/{funded.agreement.pk}.xlsx"
    assert f'href="{url}"' in funded.client_for("fund").get("/investor/").content.decode()
    response = funded.client_for("fund").get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    invested = {r[0]: r[1] for r in wb["Investor"].iter_rows(min_row=3, values_only=True)}
    assert invested["investeret kr."] == 100000
    for persona in ("owner", "actor"):
        assert funded.client_for(persona).get(url).status_code == 404, persona
    assert funded.client_for("operator").get(url).status_code == 200


def test_terms_the_core_refuses_are_said_and_stop_only_their_own_contract(live):
    """Terms saved around the checks (or made wrong by a partnership moving): the page says
    so, the download is refused, and the live settlement still settles the other
    contracts."""
    from django.core.management.base import CommandError

    from brobygger.web.registry.models import Contract

    other = Contract.objects.create(programme=live.partnership_b.programme, code="other",
                                    label="other card", spec=live.partnership_a.contract.spec)
    live.partnership_b.contract = other
    live.partnership_b.save()
    fund = Organisation.objects.create(name="Fonden", kind=Organisation.Kind.INVESTOR)
    bad = InvestorAgreement.objects.create(contract=live.partnership_a.contract, investor=fund,
                                           terms={"return_rate": "abc"})
    html = live.client_for("operator").get("/investor/").content.decode()
    assert "Aftalens vilkår kan ikke bruges" in html and "investor.return_rate" in html
    assert f"kontrakt {bad.contract.code}" in html and "contract " not in html
    assert live.client_for("operator").get(f"/investor/{bad.pk}.xlsx").status_code == 409
    for kind, day in ((EventKind.INDUCTION_START, dt.date(2019, 4, 2)),
                      (EventKind.INDUCTION_COMPLETION, dt.date(2019, 9, 30))):
        PathwayEvent.objects.create(participant=live.participant_b, kind=kind, occurred_on=day,
                                    registered_by=live.outsider)  # paid for under B's contract
    with pytest.raises(CommandError):
        call_command("settlelive")
    written = [b.name for b in LedgerDir(services.ledger_dir()).batches()]
    assert written and all("other" in name for name in written), written


def test_terms_must_be_an_object_naming_providers_of_the_right_kind(live):
    from brobygger.web.registry.models import Contract

    fund = Organisation.objects.create(name="Fonden", kind=Organisation.Kind.INVESTOR)
    alone = Contract.objects.create(programme=live.partnership_a.programme, code="alone",
                                    label="no partnerships", spec=live.partnership_a.contract.spec)
    for terms in ("x", 5, [{"return_rate": 0.5}], {"drawdowns": 5}, {"drawdowns": True},
                  {"drawdowns": "other_actor:1"},
                  {"drawdowns": [{"month": "2019-01", "amount": 1,
                                  "provider": f"other_actor:{live.municipality_b.pk}"}]}):
        agreement = InvestorAgreement(contract=alone, investor=fund, terms=terms)
        with pytest.raises(ValidationError) as err:
            agreement.full_clean()
        assert "terms" in err.value.message_dict, terms


def test_the_investor_lands_on_its_page_not_an_empty_participant_list(funded):
    """An investor is in no partnership: the participant list would always be empty."""
    response = funded.client_for("fund").get("/")
    assert response.status_code == 302 and response["Location"] == "/investor/"
    assert funded.client_for("actor").get("/")["Location"] == "/participants/"
    assert funded.client_for("operator").get("/")["Location"] == "/dashboard/"
