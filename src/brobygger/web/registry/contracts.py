"""Contracts are the core's: the web app stores the rate card and asks the core to check it
and to build the contract file a settlement runs on. Nothing of the payment model is
re-implemented here."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils.translation import gettext as _

from brobygger.errors import BrobyggerError
from brobygger.payments.contract_file import (
    ContractFile,
    load_contract_file,
    parse_contract_file,
)
from brobygger.web.numbers import shown_date
from brobygger.web.problems import problem_text


def contract_problems(spec: dict) -> list[str]:
    """Every problem the core finds in a rate card, as text; empty when it is valid."""
    try:
        parse_contract_file({"contract": spec}, source=_("contract"))
    except BrobyggerError as exc:
        return [problem_text(p) for p in exc.problems]
    return []


def read_contract(path: Path | str | None = None) -> dict:
    """The rate card of a contract file or scenario file (the shipped default if None)."""
    if path is None:
        from brobygger.scenario.load import resolve_path

        path = resolve_path(None)
    return load_contract_file(path).contract.model_dump(mode="json")


def contract_file_for(contract, agreement=None) -> ContractFile:
    """The core's ContractFile for a stored contract with its partnerships and, when it
    has one, its investor agreement (``agreement``: one not yet saved, to check it)."""
    partnerships = [
        {"id": str(p.pk), "municipality": p.municipality.municipality.code,
         "other_actor": str(p.other_actor_id), "social_enterprise": str(p.social_enterprise_id)}
        for p in contract.partnerships.select_related("municipality__municipality")
    ]
    data = {"contract": contract.spec, "partnerships": partnerships}
    if agreement is None:
        agreement = _agreement_of(contract)
    if agreement is not None:
        data["investor"] = agreement.core_terms()
    return parse_contract_file(data, source=_("contract %(code)s") % {"code": contract.code})


def _agreement_of(contract):
    from brobygger.web.registry.models import InvestorAgreement

    try:
        return contract.investor_agreement
    except InvestorAgreement.DoesNotExist:
        return None


def agreement_problems(agreement) -> list[str]:
    """Every problem the core finds in an investor agreement with its contract (its terms,
    and drawdowns by providers of the contract's partnerships), as text."""
    try:
        contract_file_for(agreement.contract, agreement)
    except BrobyggerError as exc:
        return [problem_text(p) for p in exc.problems]
    return []


def prices(price) -> list[tuple[str | None, float]]:
    """A flat price as [(None, amount)], dated prices as [(from-date, amount), ...], the
    date as the page writes dates (01.01.2020 in Danish; the rate card keeps ISO dates)."""
    if isinstance(price, dict):
        return [(_shown(day), amount) for day, amount in sorted(price.items())]
    return [(None, price)]


def _shown(day: str) -> str:
    try:
        return shown_date(dt.date.fromisoformat(day))
    except (TypeError, ValueError):  # the core has checked the card; said as it is otherwise
        return str(day)
