"""Pydantic schemas of the API. Input is strict: unknown fields are refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from ninja import Schema
from pydantic import ConfigDict, Field, field_validator

from brobygger.cpr import CprError, parse_cpr
from brobygger.web.accelerator.forms import MAX_COUNT
from brobygger.web.pathways.models import (
    MAX_WEEKS_ON_BENEFIT,
    BenefitType,
    EmploymentStatus,
    EventKind,
    Isced,
    SubsidyType,
)

BenefitName = Literal[tuple(BenefitType.values)]  # type: ignore[valid-type]
EventName = Literal[tuple(v for v in EventKind.values if v != "referral")]  # type: ignore[valid-type]
StatusName = Literal[tuple(EmploymentStatus.values)]  # type: ignore[valid-type]
IscedName = Literal[tuple(Isced.values)]  # type: ignore[valid-type]
SubsidyName = Literal[tuple(SubsidyType.values)]  # type: ignore[valid-type]


class StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


class ErrorItem(Schema):
    location: str
    message: str


class ErrorOut(Schema):
    errors: list[ErrorItem]


class ParticipantOut(Schema):
    id: int
    reference: str
    partnership_id: int
    name: str
    cpr_masked: str = Field(description="DDMMYY-XXXX; empty once erased")
    birth_year: int | None
    gender: str
    age_band_at_entry: str
    benefit_type: str
    weeks_on_benefit_at_entry: int
    state: str | None = Field(description="the core's pathway state after the last event")
    erased: bool
    fictitious: bool


class ParticipantPage(Schema):
    count: int
    items: list[ParticipantOut]


class ParticipantIn(StrictIn):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "partnership_id": 3, "cpr": "010290-1234", "name": "Anna Andersen",
        "referred_on": "2019-03-01", "benefit_type": "kontanthjaelp",
        "weeks_on_benefit_at_entry": 60, "employment_status_at_entry": "long_term_unemployed",
        "education": "isced_1_2", "consent_given_on": "2019-03-01"}]})

    partnership_id: int
    cpr: str = Field(description="DDMMYY-XXXX or ten digits; stored encrypted, never returned")
    name: str = Field("", max_length=200, pattern=r"^[^\x00]*$")  # the model's column (no NUL)
    referred_on: dt.date
    benefit_type: BenefitName
    weeks_on_benefit_at_entry: int = Field(ge=0, le=MAX_WEEKS_ON_BENEFIT)
    employment_status_at_entry: StatusName
    education: IscedName
    migrant_background: bool = False
    disability: bool = False
    other_disadvantage: bool = False
    consent_given_on: dt.date | None = None

    @field_validator("cpr")
    @classmethod
    def _valid_cpr(cls, value: str) -> str:
        from brobygger.web.pathways.forms import CPR_MESSAGES

        try:
            return parse_cpr(value).digits
        except CprError as exc:  # (said as the form says it, in the request's language)
            raise ValueError(str(CPR_MESSAGES[exc.code])) from None


class EventIn(StrictIn):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"kind": "induction_start", "occurred_on": "2019-04-01"},
        {"kind": "employment_start", "occurred_on": "2019-11-04", "employer_id": 7,
         "hours_per_week": "25", "monthly_wage": "18000.00", "subsidy_type": "none"},
        {"kind": "cancellation", "occurred_on": "2019-11-20", "corrects_id": 41},
    ]})

    kind: EventName
    occurred_on: dt.date
    corrects_id: int | None = None
    employer_id: int | None = None
    hours_per_week: Decimal | None = None
    monthly_wage: Decimal | None = None
    subsidy_type: SubsidyName | Literal[""] = ""
    benefit_month: dt.date | None = None
    benefit_type: BenefitName | Literal[""] = ""


class EventOut(Schema):
    id: int
    kind: str
    occurred_on: dt.date
    corrects_id: int | None
    employer_id: int | None
    hours_per_week: Decimal | None
    monthly_wage: Decimal | None
    subsidy_type: str
    benefit_month: dt.date | None
    benefit_type: str
    registered_by: str
    registered_at: dt.datetime
    counts: bool = Field(description="false when cancelled or replaced by a correction")


class PartnershipOut(Schema):
    id: int
    name: str
    municipality_id: int
    other_actor_id: int
    social_enterprise_id: int
    starts_on: dt.date
    ends_on: dt.date | None
    contract_id: int | None


class EnterpriseOut(Schema):
    id: int
    name: str
    cvr: str | None


class GrowthIn(StrictIn):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "period_start": "2020-01-01", "period_end": "2020-12-31", "revenue": "2450000.00",
        "fte": "6.5", "education_places": 1, "internship_places": 2, "ordinary_hires": 1,
        "vulnerable_hires": 2}]})

    period_start: dt.date
    period_end: dt.date
    # the model's columns (revenue 14 digits, FTE 8, two decimals) and the form's count limit
    revenue: Decimal = Field(ge=0, max_digits=14, decimal_places=2)
    fte: Decimal = Field(ge=0, max_digits=8, decimal_places=2)
    education_places: int = Field(0, ge=0, le=MAX_COUNT)
    internship_places: int = Field(0, ge=0, le=MAX_COUNT)
    ordinary_hires: int = Field(0, ge=0, le=MAX_COUNT)
    vulnerable_hires: int = Field(0, ge=0, le=MAX_COUNT)


class GrowthOut(GrowthIn):
    id: int
    enterprise_id: int
