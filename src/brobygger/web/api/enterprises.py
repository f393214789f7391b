"""Partnerships, accelerator enterprises and their growth figures (no personal data)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.errors import HttpError

from brobygger.web.accelerator.models import GrowthFigure
from brobygger.web.accounts import scoping
from brobygger.web.api.schemas import (
    EnterpriseOut,
    ErrorOut,
    GrowthIn,
    GrowthOut,
    PartnershipOut,
)

router = Router()
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


@router.get("partnerships", response={200: list[PartnershipOut], **ERRORS},
            tags=["partnerships"])
def list_partnerships(request):
    return list(scoping.partnerships_for_user(request))


@router.get("partnerships/{partnership_id}", response={200: PartnershipOut, **ERRORS},
            tags=["partnerships"])
def get_partnership(request, partnership_id: int):
    return scoping.get_partnership_for_user(request, partnership_id)


@router.get("enterprises", response={200: list[EnterpriseOut], **ERRORS}, tags=["accelerator"])
def list_enterprises(request):
    return list(scoping.enterprises_for_user(request))


@router.get("enterprises/{enterprise_id}", response={200: EnterpriseOut, **ERRORS},
            tags=["accelerator"])
def get_enterprise(request, enterprise_id: int):
    return scoping.get_enterprise_for_user(request, enterprise_id)


@router.get("enterprises/{enterprise_id}/growth", response={200: list[GrowthOut], **ERRORS},
            tags=["accelerator"])
def list_growth(request, enterprise_id: int):
    return list(scoping.get_enterprise_for_user(request, enterprise_id).growth_figures.all())


@router.post("enterprises/{enterprise_id}/growth",
             response={201: GrowthOut, 409: ErrorOut, **ERRORS}, tags=["accelerator"])
def create_growth(request, enterprise_id: int, payload: GrowthIn):
    enterprise = scoping.get_enterprise_for_user(request, enterprise_id, scoping.CHANGE)
    problems = GrowthFigure.period_problems(payload.period_start, payload.period_end)
    if problems:
        raise ValidationError({name: [problem] for name, problem in problems.items()})
    other = GrowthFigure.overlapping(enterprise, payload.period_start, payload.period_end)
    if other is not None:
        raise HttpError(409, _("figures for %(start)s to %(end)s, which overlap this period, "
                               "are already registered") % {
            "start": other.period_start.isoformat(), "end": other.period_end.isoformat()})
    try:
        with transaction.atomic():
            figure = GrowthFigure.objects.create(
                enterprise=enterprise, registered_by=request.user, **payload.dict()
            )
    except IntegrityError:
        raise HttpError(409, _("figures for this period are already registered")) from None
    return Status(201, figure)
