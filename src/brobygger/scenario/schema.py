"""The scenario schema: a programme, who enters, what happens to them, what it costs, who pays.

Every model forbids unknown keys, so a misspelt key is an error, never silently ignored.
Cross-references (municipality codes, parameter names, probability rows) are checked by
:func:`brobygger.scenario.check.check_scenario`, which lists every problem at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError


def _invalid(kind: str, message: str, **context: Any) -> PydanticCustomError:
    """A problem the schema finds, with its kind and figures: pydantic reports it as
    ``message`` (with ``{name}`` from ``context``), and :mod:`brobygger.problem_text`
    says it again in the user's language."""
    return PydanticCustomError(kind, message, context)


Money = Annotated[float, Field(ge=0, le=1e12)]  # kroner; a trillion is beyond any budget
Probability = Annotated[float, Field(ge=0, le=1)]
Share = Annotated[float, Field(ge=0, le=1)]


class Strict(BaseModel):
    # allow_inf_nan: a .inf or .nan in a file is a mistake, not a number to compute with
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class State(StrEnum):
    """A participant's state in a month. The order is the index used in arrays."""

    referred = "referred"
    induction = "induction"
    jobseeking = "jobseeking"  # completed induction, looking for work, on benefit
    job_accelerator = "job_accelerator"
    job_other = "job_other"
    education = "education"
    benefit = "benefit"  # back on (or still on) benefit without progress
    exited = "exited"  # left the population (moved, pension, death): no public flows counted


def month_of(value: dt.date | str) -> dt.date:
    """The first day of the month holding ``value`` (accepts 'YYYY-MM' and ISO dates)."""
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 7:
            text += "-01"
        value = dt.date.fromisoformat(text)
    return value.replace(day=1)


def _is_month(value: str | None) -> str | None:
    if value is not None:
        try:
            month_of(value)
        except (ValueError, TypeError):
            raise _invalid("not_a_month", "{value} is not a month (YYYY-MM)",
                           value=repr(value)) from None
    return value


def _date_as_text(value: object) -> object:
    """A month written as a date (YAML reads ``2018-02-01`` unquoted as one) as its text,
    as the same month typed in the lab arrives: both then name the month that holds it."""
    return value.isoformat() if isinstance(value, dt.date) else value


MonthText = Annotated[str, BeforeValidator(_date_as_text), AfterValidator(_is_month)]


class Period(Strict):
    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise _invalid("period_order", "end {end} is before start {start}", end=str(self.end),
                           start=str(self.start))
        return self


Financier = Literal["municipality", "state", "region", "esf", "investor", "private"]
Payer = Literal["municipality", "state", "investor", "esf"]
Payee = Literal["other_actor", "social_enterprise", "investor"]


class BudgetLine(Strict):
    id: str
    label: str
    amount: Money


class Programme(Strict):
    name: str
    period: Period
    eligible_costs: Money
    esf_share: Share
    budget_lines: list[BudgetLine] = []
    targets: dict[str, Annotated[float, Field(ge=0)]]
    indicator_window_end: dt.date | None = None  # default: the end of the programme period

    @property
    def window_end(self) -> dt.date:
        return self.indicator_window_end or self.period.end


class Intake(Strict):
    """Referrals per month: an explicit schedule, or a total spread evenly over months."""

    schedule: dict[Annotated[str, BeforeValidator(_date_as_text)],
                   Annotated[int, Field(ge=0)]] | None = None
    start: Annotated[str, BeforeValidator(_date_as_text)] | None = None
    end: Annotated[str, BeforeValidator(_date_as_text)] | None = None
    total: Annotated[int, Field(ge=0)] | None = None

    @model_validator(mode="after")
    def _one_form(self) -> Intake:
        spread = (self.start, self.end, self.total)
        if self.schedule is not None and any(v is not None for v in spread):
            raise _invalid("intake_both_forms",
                           "give either 'schedule' or 'start', 'end' and 'total', not both")
        if self.schedule is None and any(v is None for v in spread):
            raise _invalid("intake_no_form",
                           "give 'schedule', or all of 'start', 'end' and 'total'")
        for key in [*(self.schedule or {}), *(v for v in (self.start, self.end) if v)]:
            try:
                month_of(key)
            except ValueError:
                raise _invalid("not_a_month", "{value} is not a month (YYYY-MM)",
                               value=repr(key)) from None
        seen: dict[dt.date, str] = {}
        for key in self.schedule or {}:
            month = month_of(key)
            if month in seen:
                raise _invalid("same_month", "{first} and {second} are the same month",
                               first=repr(seen[month]), second=repr(key))
            seen[month] = key
        if self.start and self.end and month_of(self.end) < month_of(self.start):
            raise _invalid("intake_order", "intake ends ({end}) before it starts ({start})",
                           end=self.end, start=self.start)
        return self

    def monthly(self) -> dict[dt.date, int]:
        """Referrals by calendar month.

        An even spread gives month i the referrals ⌊(i+1)·total/n⌋ − ⌊i·total/n⌋ (cumulative
        rounding), so 12 referrals over 24 months come every other month, not in the first 12.
        """
        if self.schedule is not None:
            return {month_of(k): v for k, v in sorted(self.schedule.items()) if v}
        assert self.start and self.end and self.total is not None
        months = _months_between(month_of(self.start), month_of(self.end))
        n = len(months)
        counts = [(i + 1) * self.total // n - i * self.total // n for i in range(n)]
        return {m: c for m, c in zip(months, counts, strict=True) if c}


def _months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    out = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        out.append(dt.date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


class MunicipalityTakingPart(Strict):
    code: str
    partnerships: Annotated[int, Field(ge=0)] = 1
    intake: Intake


class Profile(Strict):
    """A kind of participant; shares of all profiles sum to one."""

    id: str
    label: str
    benefit: str  # dotted parameter name of the monthly benefit, e.g. benefits.kontanthjaelp...
    age_band: Literal["under_25", "25_to_29", "30_to_54", "55_plus"]
    weeks_on_benefit_at_entry: Annotated[int, Field(ge=0)]
    share: Share


class PathwayPeriod(Strict):
    """Transition rows that apply to transitions *into* months since entry from ``from_month``.

    A row gives the probabilities of next month's state; every row sums to one. A later
    period lists only the rows that change; other rows carry on from the period before.
    """

    from_month: Annotated[int, Field(ge=1)] = 1
    rows: dict[State, dict[State, Probability]]


class PathwayModel(Strict):
    entry_state: State
    concentration: Annotated[float, Field(gt=0)] = Field(
        default=400.0,
        description="Dirichlet concentration of every row's parameter uncertainty "
        "(pseudo-observations: larger is more certain)",
    )
    row_concentration: dict[State, Annotated[float, Field(gt=0)]] = {}
    periods: list[PathwayPeriod] = Field(min_length=1)

    @field_validator("periods")
    @classmethod
    def _ascending(cls, periods: list[PathwayPeriod]) -> list[PathwayPeriod]:
        starts = [p.from_month for p in periods]
        if starts[0] != 1:
            raise _invalid("first_period", "the first period must start at from_month 1")
        if starts != sorted(set(starts)):
            raise _invalid("periods_ascending", "from_month must strictly ascend, got {starts}",
                           starts=str(starts))
        return periods


class Pathways(Strict):
    programme: PathwayModel
    counterfactual: PathwayModel


class HourlyWage(Strict):
    """An hourly wage: a fixed amount, or a parameter times a factor; sd is relative."""

    amount: Money | None = None
    parameter: str | None = None
    factor: Annotated[float, Field(gt=0)] = 1.0
    sd: Annotated[float, Field(ge=0, lt=1)] = 0.0

    @model_validator(mode="after")
    def _one_source(self) -> HourlyWage:
        if (self.amount is None) == (self.parameter is None):
            raise _invalid("one_wage_source", "give exactly one of 'amount' and 'parameter'")
        return self


class Subsidy(Strict):
    type: Literal["none", "loentilskud", "fleksjob"] = "none"
    per_hour: Money = 0.0

    @model_validator(mode="after")
    def _amount_for_type(self) -> Subsidy:
        if self.type == "none" and self.per_hour:
            raise _invalid("subsidy_none_amount", "a subsidy of type 'none' has no amount")
        return self


class JobType(Strict):
    label: str
    hours_per_week: Annotated[float, Field(gt=0, le=48)]
    hourly_wage: HourlyWage
    subsidy: Subsidy = Subsidy()


class Jobs(Strict):
    accelerator: JobType
    other: JobType


class Education(Strict):
    benefit: str  # dotted parameter name (SU), paid by the state




class Cohort(Strict):
    start: MonthText
    months: Annotated[int, Field(ge=1)]
    enterprises: Annotated[int, Field(ge=0)]


class Accelerator(Strict):
    cohorts: list[Cohort]
    places_per_enterprise: Annotated[float, Field(ge=0)] = 0.0
    ordinary_hires_per_enterprise: Annotated[float, Field(ge=0)] = 0.0

    @property
    def enterprises(self) -> int:
        return sum(c.enterprises for c in self.cohorts)


CostBasis = Literal["lump_sum", "per_month", "per_referral", "per_induction_start",
                    "per_enterprise", "per_partnership_month"]


class CostLine(Strict):
    id: str
    label: str
    basis: CostBasis
    amount: Money
    start: MonthText | None = None  # lump_sum: month paid; per_month: first month
    end: MonthText | None = None  # per_month: last month
    financing: dict[Financier, Share]
    budget_line: str | None = None

    @model_validator(mode="after")
    def _dates(self) -> CostLine:
        if self.basis in ("lump_sum", "per_month", "per_partnership_month") and not self.start:
            raise _invalid("basis_needs", "basis {basis} needs {field}", basis=repr(self.basis),
                           field="'start'")
        if self.basis in ("per_month", "per_partnership_month") and not self.end:
            raise _invalid("basis_needs", "basis {basis} needs {field}", basis=repr(self.basis),
                           field="'end'")
        return self


TriggerType = Literal[
    "referral",
    "induction_start",
    "induction_completed",
    "job_start",
    "job_sustained",
    "off_benefit_month",
    "education_start",
    "ordinary_hire",
    "place_created",
]
CITIZEN_TRIGGERS = frozenset(
    {"referral", "induction_start", "induction_completed", "job_start", "job_sustained",
     "off_benefit_month", "education_start"}
)
ENTERPRISE_TRIGGERS = frozenset({"ordinary_hire", "place_created"})
JOB_STATES = (State.job_accelerator, State.job_other)


class Trigger(Strict):
    type: TriggerType
    months: Annotated[int, Field(ge=1, le=60)] | None = None  # job_sustained
    min_hours_per_week: Annotated[float, Field(ge=0)] = 0.0  # job_sustained
    states: list[State] | None = None  # job_start / job_sustained: which job states count

    @model_validator(mode="after")
    def _fields_for_type(self) -> Trigger:
        if self.type == "job_sustained" and self.months is None:
            raise _invalid("sustained_months", "a job_sustained trigger needs 'months'")
        if self.type != "job_sustained" and (self.months is not None or self.min_hours_per_week):
            raise _invalid("sustained_only",
                           "'months' and 'min_hours_per_week' are for job_sustained only")
        if self.states is not None:
            if self.type not in ("job_start", "job_sustained"):
                raise _invalid("states_for_jobs",
                               "'states' is for job_start and job_sustained only")
            wrong = [s for s in self.states if s not in JOB_STATES]
            if wrong or not self.states:
                raise _invalid("job_states", "'states' must be job states {states}",
                               states=", ".join(s.value for s in JOB_STATES))
        return self

    @property
    def job_states(self) -> tuple[State, ...]:
        return tuple(self.states) if self.states else JOB_STATES


class Outcome(Strict):
    """One line of the rate card (an INDIGO outcome pricing)."""

    id: str
    label: str
    trigger: Trigger
    kind: Literal["fixed", "result"] = "result"
    price: Money | dict[dt.date, Money]  # (a wrong value is said as the first: a number)
    payer: Payer
    payees: dict[Payee, Share]
    lag_months: Annotated[int, Field(ge=0, le=36)] | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    @field_validator("payees")
    @classmethod
    def _shares_sum_to_one(cls, payees: dict[str, float]) -> dict[str, float]:
        if not payees or abs(sum(payees.values()) - 1.0) > 1e-9:
            raise _invalid("payee_shares", "payee shares must sum to 1, got {total}",
                           total=float(f"{sum(payees.values()):.12g}"))
        return payees

    def offered_to_referral(self, referral: dt.date) -> bool:
        """A citizen-side outcome applies to a participant referred on ``referral``.

        The model dates a referral on the first day of its month — the date its price is
        read at — and compares that date with ``valid_from`` and ``valid_to``, as
        settlement compares the real referral date (docs/settlement.md).
        """
        if self.valid_from and referral < self.valid_from:
            return False
        return not (self.valid_to and referral > self.valid_to)

    def offered_in_month(self, month: dt.date) -> bool:
        """An enterprise-side outcome is offered in some part of the month starting ``month``."""
        if self.valid_from and month < month_of(self.valid_from):
            return False
        return not (self.valid_to and month > self.valid_to)

    def price_at(self, date: dt.date) -> float:
        if not isinstance(self.price, dict):
            return float(self.price)
        known = [d for d in sorted(self.price) if d <= date]
        if not known:
            raise ValueError(f"outcome {self.id!r} has no price on {date}")
        return float(self.price[known[-1]])


class Caps(Strict):
    per_participant: Money | None = None
    per_partnership: Money | None = None
    per_contract: Money | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Caps:
        order = [self.per_participant, self.per_partnership, self.per_contract]
        present = [c for c in order if c is not None]
        if present != sorted(present):
            raise _invalid("caps_order", "caps contradict each other: per participant ≤ "
                           "per partnership ≤ per contract")
        return self


class Contract(Strict):
    id: str
    label: str
    pricing_date: Literal["referral"] = Field(
        default="referral",
        description="a participant's outcomes are priced as on the referral date",
    )
    lag_months: Annotated[int, Field(ge=0, le=36)] = 0
    outcomes: list[Outcome]
    caps: Caps = Caps()


class Horizon(Strict):
    start: MonthText
    months: Annotated[int, Field(ge=1, le=600)]


class Discounting(Strict):
    """A real discount rate needs flows in fixed prices: ``deflator`` names the dated yearly
    index (a parameter) that takes each year's current-price flows to the analysis year's
    level before discounting; without it the flows are discounted as they are."""

    parameter: str | None = "discount.rate"
    rate: Annotated[float, Field(ge=0, lt=1)] | None = None
    as_of: dt.date | None = None  # the analysis date; default: the horizon's start
    deflator: str | None = None

    @model_validator(mode="after")
    def _one_source(self) -> Discounting:
        if self.rate is not None and self.parameter not in (None, "discount.rate"):
            raise _invalid("one_discount_source", "give either 'rate' or 'parameter'")
        return self


#: The languages a scenario's texts may be written in; the first is the default.
LANGUAGES = ("da", "en")


def _localised(value: Any) -> Any:
    """A text for every language, or a mapping of language codes (da, en) to texts."""
    languages = ", ".join(LANGUAGES)
    if isinstance(value, str):
        return value
    if not isinstance(value, dict):
        raise PydanticCustomError(
            "localised_text", "give a text, or a mapping of languages ({languages}) to texts",
            {"languages": languages})
    unknown = [key for key in value if key not in LANGUAGES]
    if unknown:
        raise PydanticCustomError(
            "unknown_language", "unknown language {unknown}: give the text as a plain string "
            "or under the language keys {languages}",
            {"unknown": ", ".join(repr(k) for k in unknown), "languages": languages})
    if not value:
        raise PydanticCustomError(
            "no_language", "give the text in at least one language ({languages})",
            {"languages": languages})
    for key, text in value.items():
        if not isinstance(text, str) or not text.strip():
            raise PydanticCustomError("empty_text", "the {language} text is empty or not a text",
                                      {"language": repr(key)})
    return value


#: A text of the scenario file: the same text in every language, or ``{da: …, en: …}``.
LocalisedText = Annotated[str | dict[str, str], BeforeValidator(_localised)]


def in_language(text: str | Mapping[str, str], language: str | None) -> str:
    """``text`` in ``language`` ('en', 'en-gb', None…): the requested language, then Danish,
    then English, then whatever language the text has."""
    if isinstance(text, str):
        return text
    wanted = (language or "").lower().replace("_", "-").split("-")[0]
    for code in (wanted, *LANGUAGES, *text):
        if text.get(code):
            return text[code]
    return ""


def assumption_texts(assumptions: Mapping[str, str | Mapping[str, str]],
                     language: str | None) -> dict[str, str]:
    """A scenario's assumptions as plain texts in ``language``, with the fallback of
    :func:`in_language` (Danish, then English, then any) where a text lacks it."""
    return {key: in_language(text, language) for key, text in assumptions.items()}


class PlannedDrawdown(Strict):
    month: MonthText
    amount: Annotated[float, Field(gt=0, le=1e12)]


class PlannedInvestor(Strict):
    """An investor who pre-finances the providers (other actors and social enterprises),
    repaid from ``share_of_payments`` of their outcome payments: the return accrued (a
    year, compounded monthly), then the principal, then ``success_fee_share`` of what is
    left (:mod:`brobygger.payments.investor`'s waterfall, on the expected payments)."""

    label: str = ""  # its name, if it has one
    drawdowns: list[PlannedDrawdown] = Field(min_length=1)
    share_of_payments: Annotated[float, Field(gt=0, le=1)] = 1.0
    return_rate: Annotated[float, Field(ge=0, lt=1)] = 0.0
    success_fee_share: Share = 0.0


class Scenario(Strict):
    """A whole scenario. ``extends`` and ``changes`` are resolved before this model is built."""

    name: str
    description: str = ""
    programme: Programme
    horizon: Horizon
    discounting: Discounting = Discounting()
    municipalities: list[MunicipalityTakingPart] = Field(min_length=1)
    profiles: list[Profile] = Field(min_length=1)
    pathways: Pathways
    jobs: Jobs
    education: Education
    accelerator: Accelerator
    costs: list[CostLine] = []
    contract: Contract
    investor: PlannedInvestor | None = None  # pre-financing of the providers, if any
    assumptions: dict[str, LocalisedText] = {}

    @property
    def horizon_start(self) -> dt.date:
        return month_of(self.horizon.start)
