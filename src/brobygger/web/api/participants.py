"""Participants and their events."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from brobygger.cpr import parse_cpr
from brobygger.web.accounts import scoping
from brobygger.web.api.schemas import (
    ErrorOut,
    EventIn,
    EventOut,
    ParticipantIn,
    ParticipantOut,
    ParticipantPage,
)
from brobygger.web.audit.log import record
from brobygger.web.audit.models import Action, Channel
from brobygger.web.pathways import services
from brobygger.web.pathways.cpr import masked_cpr
from brobygger.web.pathways.models import Participant, PathwayEvent
from brobygger.web.pathways.timeline import current_state, effective
from brobygger.web.registry.models import Organisation

router = Router(tags=["participants"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class Paging(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=2**31)
    partnership_id: int | None = Field(None, ge=1, le=2**31)


def _out(p: Participant) -> dict:
    return {
        "id": p.pk, "reference": p.reference, "partnership_id": p.partnership_id,
        "name": p.name, "cpr_masked": masked_cpr(p), "birth_year": p.birth_year,
        "gender": p.gender, "age_band_at_entry": p.age_band_at_entry,
        "benefit_type": p.benefit_type, "weeks_on_benefit_at_entry": p.weeks_on_benefit_at_entry,
        "state": current_state(p.events.all(), p.partnership.social_enterprise_id),
        "erased": p.is_erased, "fictitious": p.fictitious,
    }


def _event_out(e: PathwayEvent, counting: set[int]) -> dict:
    return {
        **{f: getattr(e, f) for f in (
            "id", "kind", "occurred_on", "corrects_id", "employer_id", "hours_per_week",
            "monthly_wage", "subsidy_type", "benefit_month", "benefit_type", "registered_at")},
        "registered_by": e.registered_by.get_username(),
        "counts": e.pk in counting,
    }


@router.get("", response={200: ParticipantPage, **ERRORS})
def list_participants(request, paging: Query[Paging]):
    qs = scoping.participants_for_user(request).prefetch_related("events").order_by("pk")
    if paging.partnership_id is not None:
        # (outside the caller's scope, or no such partnership: 404, as everywhere)
        scoping.get_partnership_for_user(request, paging.partnership_id)
        qs = qs.filter(partnership_id=paging.partnership_id)
    page = list(qs[paging.offset:paging.offset + paging.limit])
    record(request, Action.LIST, [p.pk for p in page if not p.is_erased], channel=Channel.API)
    return {"count": qs.count(), "items": [_out(p) for p in page]}


@router.post("", response={201: ParticipantOut, **ERRORS})
def create_participant(request, payload: ParticipantIn):
    partnership = scoping.get_partnership_for_user(request, payload.partnership_id,
                                                   scoping.CHANGE)
    data = payload.dict(exclude={"cpr", "referred_on", "partnership_id"})
    participant = services.register_participant(
        request, Participant(partnership=partnership, **data), parse_cpr(payload.cpr),
        payload.referred_on, channel=Channel.API,
    )
    return Status(201, _out(participant))


@router.get("/{participant_id}", response={200: ParticipantOut, **ERRORS})
def get_participant(request, participant_id: int):
    participant = scoping.get_participant_for_user(request, participant_id)
    if not participant.is_erased:
        record(request, Action.VIEW, [participant.pk], channel=Channel.API)
    return _out(participant)


@router.get("/{participant_id}/events", response={200: list[EventOut], **ERRORS})
def list_events(request, participant_id: int):
    participant = scoping.get_participant_for_user(request, participant_id)
    if not participant.is_erased:
        record(request, Action.VIEW, [participant.pk], channel=Channel.API)
    events = list(participant.events.select_related("registered_by"))
    counting = {e.pk for e in effective(events)}
    return [_event_out(e, counting) for e in events]


@router.post("/{participant_id}/events", response={201: EventOut, **ERRORS})
def create_event(request, participant_id: int, payload: EventIn):
    participant = scoping.get_participant_for_user(request, participant_id, scoping.CHANGE)
    employers = Organisation.employers()
    if payload.employer_id is not None and not employers.filter(pk=payload.employer_id).exists():
        raise ValidationError({"employer_id": [_("no employer with this id")]})
    event = services.add_event(request, participant, PathwayEvent(**payload.dict()),
                               channel=Channel.API)
    return Status(201, _event_out(event, {event.pk}))

