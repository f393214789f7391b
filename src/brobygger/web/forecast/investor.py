"""An investor's pre-financing as the ledger stands: what it lent the providers, what their
outcome payments have repaid, what is outstanding, and its return. The core computes it
(:func:`brobygger.payments.investor.investor_position`) on the ledger the live settlement
writes (``settlelive``); the page only shows it.

Who sees an agreement: the investor's own members and the programme operator; for
everyone else the page lists nothing (a municipality's economist sees the payments of its
partnerships on its business case page)."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from brobygger.errors import BrobyggerError
from brobygger.payments.investor import investor_position, write_investor_excel
from brobygger.payments.ledger import ZERO
from brobygger.payments.period import month_index
from brobygger.payments.store import LedgerDir
from brobygger.reports.format import exact_percent
from brobygger.simulation.forecast import last_complete_month
from brobygger.web.accounts import scoping
from brobygger.web.forecast.services import account_labels, ledger_dir
from brobygger.web.numbers import english, kr, month, number, percent
from brobygger.web.problems import problem_text
from brobygger.web.registry.contracts import contract_file_for
from brobygger.web.registry.models import InvestorAgreement


def agreements_for_user(request):
    """The investor agreements the user may see (module notes)."""
    agreements = InvestorAgreement.objects.select_related("investor", "contract")
    if scoping.is_operator(request):
        return agreements.order_by("investor__name", "contract__code")
    mine = list(scoping.memberships(request.user))
    return agreements.filter(investor_id__in=mine).order_by("investor__name", "contract__code")


@login_required
def investor_page(request):
    agreements = list(agreements_for_user(request))
    if not agreements and not scoping.is_operator(request):
        raise Http404
    entries = _entries()
    return render(request, "forecast/investor.html", {
        "positions": [_position(a, entries) for a in agreements],
        "settled": bool(entries),
    })


@login_required
def investor_excel(request, pk: int):
    """The position of one agreement the user may see, as the core's Danish workbook."""
    agreement = agreements_for_user(request).filter(pk=pk).first()
    if agreement is None:
        raise Http404
    try:
        spec, result, receipts = _computed(agreement, _entries())
    except BrobyggerError as exc:
        return HttpResponse("\n".join(problem_text(p) for p in exc.problems), status=409,
                            content_type="text/plain; charset=utf-8")
    out = BytesIO()
    write_investor_excel(result, receipts, spec, agreement.contract.code, out)
    response = HttpResponse(out.getvalue(), content_type=(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
    response["Content-Disposition"] = f'attachment; filename="investor-{agreement.pk}.xlsx"'
    return response


def _entries() -> list:
    store = LedgerDir(ledger_dir())
    return store.entries() if store.batches() else []


def _computed(agreement: InvestorAgreement, entries: list):
    """The agreement's terms as the core's, its waterfall and the providers' receipts, up to
    the last complete month, as the live settlement (the return accrues to it)."""
    spec = contract_file_for(agreement.contract).investor
    assert spec is not None  # the agreement is the contract file's investor block
    through = month_index(last_complete_month(dt.date.today()))
    result, receipts = investor_position(spec, entries, through, agreement.contract.code)
    return spec, result, receipts


def _position(agreement: InvestorAgreement, entries: list) -> dict:
    try:
        spec, result, receipts = _computed(agreement, entries)
    except BrobyggerError as exc:  # terms the core refuses (saved around the checks, or a
        # partnership since moved to another contract): said, and the others still shown
        return {"agreement": agreement, "problems": [problem_text(p) for p in exc.problems]}
    irr = result.irr
    labels = account_labels(sorted({d.provider for d in spec.drawdowns}))
    rows = []
    for f in result.flows:
        received = receipts.get(f.index, ZERO)
        if f.drawn or received or f.net:
            rows.append({"month": month(f.month), "drawn": number(f.drawn, 2),
                         "received": number(received, 2), "interest": number(f.interest, 2),
                         "principal": number(f.principal, 2),
                         "fee": number(f.success_fee, 2),
                         "outstanding": number(f.outstanding, 2)})
    accrued = result.accrued
    return {
        "agreement": agreement,
        "providers": [labels[a] for a in sorted(labels)],
        "invested": kr(result.invested, 2), "received": kr(result.received, 2),
        "outstanding": kr(result.loss, 2), "accrued": kr(accrued, 2) if accrued else "",
        "outstanding_now": bool(result.loss),
        "multiple": "–" if result.money_multiple is None else number(result.money_multiple, 2),
        "irr": "–" if irr is None else percent(irr, 1),
        "share": _exact(spec.share_of_payments), "rate": _exact(spec.return_rate),
        "fee": _exact(spec.success_fee_share),
        "rows": rows,
    }


def _exact(share: float) -> str:
    """A contract's rate with every decimal it has (8,25 %), in the page's language."""
    return exact_percent(share, "en" if english() else "da")
