"""The exportable tables, each read through ``accounts.scoping`` (docs/reports.md).

A builder returns the :class:`~brobygger.reports.tables.Table` and the ids of the participants
whose personal data it holds (for the audit log). Participants appear by their pseudonymous
reference (``D-00042``) and, like on the participant list, by name unless erased; never by
CPR number, not even masked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.utils.translation import gettext as _

from brobygger.reports.tables import Column, Table
from brobygger.web.accounts import scoping
from brobygger.web.pathways.labels import state_label, state_labels
from brobygger.web.pathways.models import (
    AgeBand,
    BenefitType,
    EmploymentStatus,
    EventKind,
    Gender,
    Isced,
)
from brobygger.web.pathways.timeline import current_states
from brobygger.web.registry.models import Partnership
from brobygger.web.reports.period import ReportPeriod


@dataclass(frozen=True)
class Scope:
    """What a download asks for within the user's scope: a period (None: everything) and
    one partnership (None: all the user's partnerships)."""

    period: ReportPeriod | None = None
    partnership: Partnership | None = None

    def participants(self, request):
        qs = scoping.participants_for_user(request)
        return qs if self.partnership is None else qs.filter(partnership=self.partnership)

    def partnerships(self, request):
        qs = scoping.partnerships_for_user(request)
        return qs if self.partnership is None else qs.filter(pk=self.partnership.pk)


@dataclass(frozen=True)
class Export:
    table: Table
    personal_data_of: tuple[int, ...] = ()


#: a participant's referral event that counts: not replaced by a correction (the registry
#: now refuses to correct a referral; one corrected before that rule counts as corrected)
REFERRAL_THAT_COUNTS = Q(events__kind=EventKind.REFERRAL, events__corrected_by__isnull=True)


def participants(request, scope: Scope) -> Export:
    """Every participant in scope (referred in the period, when one is given)."""
    period = scope.period
    qs = scope.participants(request).annotate(
        referred_on=Min("events__occurred_on", filter=REFERRAL_THAT_COUNTS))
    if period is not None:
        qs = qs.filter(referred_on__gte=period.start, referred_on__lte=period.end)
    fields = ("pk", "name", "erased_at", "fictitious", "partnership__name",
              "partnership__municipality__name", "partnership__social_enterprise_id",
              "referred_on", "gender", "age_band_at_entry", "benefit_type",
              "weeks_on_benefit_at_entry", "employment_status_at_entry", "education",
              "migrant_background", "disability", "other_disadvantage",
              "employment_status_at_exit")
    values = list(qs.order_by("pk").values_list(*fields))
    states = current_states({v[0]: v[6] for v in values})
    labels = state_labels()
    genders, ages, benefits = dict(Gender.choices), dict(AgeBand.choices), dict(BenefitType.choices)
    statuses, isced = dict(EmploymentStatus.choices), dict(Isced.choices)
    rows = []
    for (pk, name, erased_at, fictitious, partnership, municipality, _enterprise, referred_on,
         gender, age, benefit, weeks, status, education, migrant, disability, other,
         exit_status) in values:
        state = states[pk]
        rows.append((
            f"D-{pk:05d}", "" if erased_at else name, partnership, municipality, referred_on,
            genders.get(gender, gender), ages.get(age, age), benefits.get(benefit, benefit),
            weeks, statuses.get(status, status), isced.get(education, education), migrant,
            disability, other, statuses.get(exit_status, exit_status),
            state_label(state, labels) if state else "", fictitious, erased_at is not None,
        ))
    columns = (
        Column("reference", _("Reference")), Column("name", _("Name")),
        Column("partnership", _("Partnership")), Column("municipality", _("Municipality")),
        Column("referred_on", _("Referred on"), "date"), Column("gender", _("Gender")),
        Column("age_band", _("Age at entry")), Column("benefit", _("Benefit at entry")),
        Column("weeks_on_benefit", _("Weeks on benefit at entry"), "int"),
        Column("employment_status", _("Employment status at entry")),
        Column("education", _("Education (ISCED)")),
        Column("migrant_background", _("Migrant or minority background"), "bool"),
        Column("disability", _("Disability"), "bool"),
        Column("other_disadvantage", _("Other disadvantage"), "bool"),
        Column("employment_status_at_exit", _("Employment status at exit")),
        Column("state", _("Status")), Column("fictitious", _("Demo data"), "bool"),
        Column("erased", _("Erased"), "bool"),
    )
    personal = tuple(v[0] for v in values if v[2] is None)
    return Export(Table(_("Participants"), columns, rows), personal)


def partnerships(request, scope: Scope) -> Export:
    """Every partnership in scope (active in the period, when one is given) with its
    participants (referred in the period, as the participants' export counts them)."""
    period = scope.period
    referred = Q() if period is None else Q(
        participants__events__kind=EventKind.REFERRAL,
        participants__events__corrected_by__isnull=True,
        participants__events__occurred_on__gte=period.start,
        participants__events__occurred_on__lte=period.end)
    qs = scope.partnerships(request).select_related(
        "programme", "contract", "municipality__municipality").annotate(
        n_participants=Count("participants", filter=referred, distinct=True))
    if period is not None:
        qs = qs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=period.start),
                       starts_on__lte=period.end)
    columns = (
        Column("partnership", _("Partnership")), Column("programme", _("Programme")),
        Column("municipality_code", _("Municipality code")),
        Column("municipality", _("Municipality")), Column("other_actor", _("Other actor")),
        Column("social_enterprise", _("Social-economic enterprise")),
        Column("starts_on", _("Start"), "date"), Column("ends_on", _("End"), "date"),
        Column("contract", _("Contract")),
        Column("participants", _("Participants"), "int"),
    )
    rows = [
        (p.name, p.programme.name,
         p.municipality.municipality.code if p.municipality.municipality else "",
         p.municipality.name, p.other_actor.name, p.social_enterprise.name, p.starts_on,
         p.ends_on, p.contract.code if p.contract else "", p.n_participants)
        for p in qs.order_by("name", "pk")
    ]
    return Export(Table(_("Partnerships"), columns, rows))


def growth(request, scope: Scope) -> Export:
    """The growth figures of every enterprise in scope (periods overlapping the period)."""
    from brobygger.web.accelerator.models import GrowthFigure

    period = scope.period
    enterprises = scoping.enterprises_for_user(request)
    if scope.partnership is not None:
        enterprises = enterprises.filter(pk=scope.partnership.social_enterprise_id)
    qs = GrowthFigure.objects.filter(enterprise__in=enterprises).select_related("enterprise")
    if period is not None:
        qs = qs.filter(period_start__lte=period.end, period_end__gte=period.start)
    columns = (
        Column("enterprise", _("Enterprise")), Column("cvr", _("CVR number")),
        Column("period_start", _("Period start"), "date"),
        Column("period_end", _("Period end"), "date"),
        Column("revenue", _("Revenue (DKK)"), "decimal", 2),
        Column("fte", _("Full-time equivalents"), "decimal", 2),
        Column("education_places", _("Education places created"), "int"),
        Column("internship_places", _("Internship places created"), "int"),
        Column("ordinary_hires", _("Ordinary unemployed hired"), "int"),
        Column("vulnerable_hires", _("Vulnerable citizens hired"), "int"),
    )
    rows = [
        (f.enterprise.name, f.enterprise.cvr or "", f.period_start, f.period_end, f.revenue,
         f.fte, f.education_places, f.internship_places, f.ordinary_hires, f.vulnerable_hires)
        for f in qs.order_by("enterprise__name", "period_start", "pk")
    ]
    return Export(Table(_("Growth figures"), columns, rows))


def indicators(request, scope: Scope) -> Export:
    """The ESF indicator table of the report, for the period (the programme's by default)."""
    from brobygger.web.reports import esf

    data = esf.report_for(request, scope)
    return Export(data.indicator_table())


#: table name in the URL -> builder
TABLES: dict[str, Callable[..., Export]] = {
    "participants": participants,
    "partnerships": partnerships,
    "growth": growth,
    "indicators": indicators,
}
