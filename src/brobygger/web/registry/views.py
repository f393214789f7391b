"""Partnership screens: what each partnership has achieved, counted from the events."""

from __future__ import annotations

from collections import Counter

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from brobygger.web.accounts import scoping
from brobygger.web.numbers import percent
from brobygger.web.pathways.timeline import current_state, prefetch_state_events
from brobygger.web.registry.contracts import prices


@login_required
def partnership_list(request):
    partnerships = scoping.partnerships_for_user(request).annotate(
        n_participants=Count("participants")
    )
    return render(request, "registry/partnership_list.html", {"partnerships": partnerships})


@login_required
def partnership_detail(request, pk: int):
    partnership = scoping.get_partnership_for_user(request, pk)
    # partnership_id too: the related manager reads it from every row it returns
    participants = partnership.participants.only("pk", "partnership_id").prefetch_related(
        prefetch_state_events())
    states = Counter(
        current_state(p.state_events, partnership.social_enterprise_id) for p in participants
    )
    contract = partnership.contract
    return render(request, "registry/partnership_detail.html", {
        "partnership": partnership,
        "contract": contract,
        "outcomes": [
            {**o, "prices": prices(o["price"]), "payer": party(o.get("payer", "")),
             "trigger_text": trigger(o["trigger"]),
             "payees_text": ", ".join(f"{party(k)} {percent(v)}" for k, v in
                                      o["payees"].items())}
            for o in (contract.outcomes() if contract else [])
        ],
        "n_participants": sum(states.values()),
        "states": sorted(((s, n) for s, n in states.items() if s is not None),
                         key=lambda sn: sn[0]),
    })


def trigger(spec: dict) -> str:
    """What triggers an outcome payment, in the page's language (its code otherwise): the
    core's words for it (:data:`brobygger.reports.console.TRIGGER_LABEL`)."""
    from brobygger.i18n import LANGUAGES, translation
    from brobygger.reports.console import TRIGGER_LABEL

    kind = spec.get("type", "")
    if kind not in TRIGGER_LABEL:
        return kind
    lang = (get_language() or "da")[:2]
    said = translation(lang if lang in LANGUAGES else "da").gettext(TRIGGER_LABEL[kind])
    return said.format(months=spec.get("months"))


def party(key: str) -> str:
    """A payer or payee of a rate card in the user's language (the card's keys otherwise)."""
    return {"municipality": _("municipality"), "state": _("the state"),
            "other_actor": _("other actor"),
            "social_enterprise": _("social-economic enterprise")}.get(key, key)
