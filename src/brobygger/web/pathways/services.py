"""Writing participants and events: the only code that changes this app's data."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from brobygger.cpr import Cpr
from brobygger.web.audit.log import record
from brobygger.web.audit.models import Action, Channel
from brobygger.web.pathways.cpr import fingerprint, store_cpr
from brobygger.web.pathways.models import EventKind, Participant, PathwayEvent
from brobygger.web.pathways.timeline import problems_with, referral_problems


class DuplicateParticipant(ValidationError):
    """A participant with the same CPR number is already registered (maybe out of scope)."""


def find_by_cpr(cpr: Cpr) -> Participant | None:
    return Participant.objects.filter(cpr_fingerprint=fingerprint(cpr)).first()


def register_participant(request, participant: Participant, cpr: Cpr, referred_on: dt.date,
                         *, channel: Channel = Channel.WEB) -> Participant:
    """Save a new participant with its referral event; refuses a second registration
    (:func:`refusal`) and implausible referral and consent dates."""
    dates = referral_problems(cpr.birth_date, referred_on, participant.consent_given_on,
                              partnership=participant.partnership)
    if dates:
        raise ValidationError(dates)
    registered = find_by_cpr(cpr)
    if registered is not None:
        raise DuplicateParticipant({"cpr": [refusal(request, registered.pk, channel)]})
    return _save_participant(request, participant, cpr, referred_on, channel)


def refusal(request, registered_id: int, channel: Channel) -> str:
    """Why a citizen already registered as participant ``registered_id`` cannot be
    registered again. A user who may see that participant is told which it is; anyone else
    only that the citizen cannot be registered here (a CPR number is registered once, so the
    refusal itself tells that the citizen is in the programme: the attempt is written to
    the audit log against the participant, whoever tries other municipalities' citizens'
    numbers is seen)."""
    from brobygger.web.accounts import scoping

    if scoping.participants_for_user(request).filter(pk=registered_id).exists():
        return _("A participant with this CPR number is already registered: %(ref)s.") % {
            "ref": Participant(pk=registered_id).reference}
    record(request, Action.REFUSED, [registered_id], channel=channel)
    return _("This citizen cannot be registered here. Contact the programme secretariat.")


@transaction.atomic
def _save_participant(request, participant: Participant, cpr: Cpr, referred_on: dt.date,
                      channel: Channel) -> Participant:
    store_cpr(participant, cpr, entry_date=referred_on)
    participant.created_by = request.user
    participant.save()
    PathwayEvent.objects.create(participant=participant, kind=EventKind.REFERRAL,
                                occurred_on=referred_on, registered_by=request.user,
                                source=channel)
    record(request, Action.CREATE, [participant.pk], channel=channel)
    return participant


@transaction.atomic
def add_event(request, participant: Participant, event: PathwayEvent, *,
              channel: Channel = Channel.WEB) -> PathwayEvent:
    """Validate ``event`` against the participant's history and append it."""
    # lock the participant row so two caseworkers cannot add conflicting events at once
    Participant.objects.select_for_update().filter(pk=participant.pk).first()
    if participant.is_erased:
        raise ValidationError(_("The participant's personal data has been erased."))
    event.participant = participant
    errors = problems_with(event, participant.events.all())
    if errors:
        raise ValidationError({k or "__all__": v for k, v in errors.items()})
    event.registered_by = request.user
    event.source = channel
    event.save()
    record(request, Action.CHANGE, [participant.pk], channel=channel)
    return event


@transaction.atomic
def erase(request, participant: Participant, *, channel: Channel = Channel.WEB) -> None:
    """GDPR erasure: remove the personal data, keep the row, the events and the aggregates.

    Gender, age band, municipality, benefit and the pathway stay: they are what the ESF
    indicators, the settlements and the business case count, and without name, CPR number and
    birth year they no longer identify the citizen.
    """
    Participant.objects.filter(pk=participant.pk).update(
        name="", cpr_ciphertext="", cpr_fingerprint=None, birth_year=None,
        consent_given_on=None, erased_at=timezone.now(),
    )
    participant.refresh_from_db()
    record(request, Action.ERASE, [participant.pk], channel=channel)
