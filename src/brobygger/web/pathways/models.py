"""Participants and their append-only pathway events.

A participant's CPR number is stored only encrypted (``cpr_ciphertext``) plus a keyed hash
(``cpr_fingerprint``) that finds duplicates. Birth year, gender and the age band at entry are
derived from it on registration. GDPR erasure (``pathways.erasure``) blanks the personal fields
and keeps the row, its events and the aggregates built from them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brobygger.web.appendonly import AppendOnlyModel
from brobygger.web.numbers import shown_date
from brobygger.web.registry.models import Organisation, Partnership

#: the most weeks on benefit a participant can have had at entry (a hundred years)
MAX_WEEKS_ON_BENEFIT = 5200


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")


class BenefitType(models.TextChoices):
    KONTANTHJAELP = "kontanthjaelp", _("social assistance (kontanthjælp)")
    UDDANNELSESHJAELP = "uddannelseshjaelp", _("education assistance (uddannelseshjælp)")
    RESSOURCEFORLOEB = "ressourceforloebsydelse", _("resource course benefit")
    INTEGRATIONSYDELSE = "integrationsydelse", _("integration benefit")
    LEDIGHEDSYDELSE = "ledighedsydelse", _("flex-job unemployment benefit")
    SYGEDAGPENGE = "sygedagpenge", _("sickness benefit")


class AgeBand(models.TextChoices):
    UNDER_25 = "under_25", _("under 25")
    FROM_25_TO_29 = "25_29", _("25-29")
    FROM_30_TO_54 = "30_54", _("30-54")
    FROM_55 = "55_plus", _("55 and over")


class EmploymentStatus(models.TextChoices):
    """EU Social Fund common indicators (Regulation 1304/2013, Annex I)."""

    UNEMPLOYED = "unemployed", _("unemployed")
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("long-term unemployed")
    INACTIVE = "inactive", _("inactive")
    INACTIVE_NOT_IN_EDUCATION = "inactive_neet", _("inactive, not in education or training")
    EMPLOYED = "employed", _("employed")


class Isced(models.TextChoices):
    ISCED_1_2 = "isced_1_2", _("ISCED 1-2 (primary, lower secondary)")
    ISCED_3_4 = "isced_3_4", _("ISCED 3-4 (upper secondary, post-secondary)")
    ISCED_5_8 = "isced_5_8", _("ISCED 5-8 (tertiary)")


class Participant(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.PROTECT, related_name="participants",
        verbose_name=_("partnership"),
    )
    # --- personal data: blanked by erasure -------------------------------------------------
    name = models.CharField(_("name"), max_length=200, blank=True)
    cpr_ciphertext = models.TextField(_("CPR number (encrypted)"), blank=True, editable=False)
    cpr_fingerprint = models.CharField(
        _("CPR fingerprint"), max_length=64, unique=True, null=True, blank=True, editable=False
    )
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    # --- kept after erasure: needed for the ESF indicators and the business case -----------
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices)
    age_band_at_entry = models.CharField(_("age at entry"), max_length=10, choices=AgeBand.choices)
    benefit_type = models.CharField(
        _("benefit at entry"), max_length=30, choices=BenefitType.choices
    )
    weeks_on_benefit_at_entry = models.PositiveIntegerField(
        _("weeks on benefit at entry"), validators=[MaxValueValidator(MAX_WEEKS_ON_BENEFIT)])
    employment_status_at_entry = models.CharField(
        _("employment status at entry"), max_length=30, choices=EmploymentStatus.choices
    )
    education = models.CharField(_("education (ISCED)"), max_length=20, choices=Isced.choices)
    migrant_background = models.BooleanField(_("migrant or minority background"), default=False)
    disability = models.BooleanField(_("disability"), default=False)
    other_disadvantage = models.BooleanField(_("other disadvantage"), default=False)
    employment_status_at_exit = models.CharField(
        _("employment status at exit"), max_length=30, choices=EmploymentStatus.choices,
        blank=True,
    )
    consent_given_on = models.DateField(_("consent given on"), null=True, blank=True)
    fictitious = models.BooleanField(
        _("fictitious (demo data)"), default=False,
        help_text=_("Demo data with made-up CPR numbers."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
        verbose_name=_("created by"),
    )
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=Q(erased_at__isnull=True) | (
                    Q(cpr_ciphertext="") & Q(cpr_fingerprint__isnull=True) & Q(name="")
                    & Q(birth_year__isnull=True)
                ),
                name="erased_participant_holds_no_personal_data",
            )
        ]

    def __str__(self) -> str:  # no personal data: this ends up in logs and admin messages
        return f"{_('participant')} {self.reference}"

    @property
    def reference(self) -> str:
        return f"D-{self.pk:05d}" if self.pk else "D-new"

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class EventKind(models.TextChoices):
    REFERRAL = "referral", _("referral")
    INDUCTION_START = "induction_start", _("induction course start (3B.1)")
    INDUCTION_COMPLETION = "induction_completion", _("induction course completed (3B.2)")
    DROPOUT = "dropout", _("drop-out")
    EDUCATION_START = "education_start", _("education start")
    INTERNSHIP_START = "internship_start", _("internship start")
    EDUCATION_END = "education_end", _("education or internship end")
    EMPLOYMENT_START = "employment_start", _("employment start")
    EMPLOYMENT_END = "employment_end", _("employment end")
    BENEFIT_STATUS = "benefit_status", _("benefit status for a month")
    EXIT = "exit", _("exit")
    CANCELLATION = "cancellation", _("cancellation of a wrong event")


class SubsidyType(models.TextChoices):
    """The core scenario's subsidy types (``none`` is an ordinary job)."""

    NONE = "none", _("ordinary")
    LOENTILSKUD = "loentilskud", _("wage subsidy (løntilskud)")
    FLEKSJOB = "fleksjob", _("flex job (fleksjob)")


class PathwayEvent(AppendOnlyModel):
    """A dated fact in a participant's pathway. Never changed: a correction is a new event
    whose ``corrects`` points at the wrong one (a ``cancellation`` just voids it).

    Events hold no free text, so they carry no personal data beyond the pathway itself and
    survive erasure unchanged.
    """

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="events",
        verbose_name=_("participant"),
    )
    kind = models.CharField(_("event"), max_length=30, choices=EventKind.choices)
    occurred_on = models.DateField(_("date"))
    corrects = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrected_by",
        verbose_name=_("corrects"),
    )
    employer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("employer"),
    )
    hours_per_week = models.DecimalField(
        _("hours per week"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    monthly_wage = models.DecimalField(
        _("monthly wage (DKK)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    subsidy_type = models.CharField(
        _("subsidy"), max_length=20, choices=SubsidyType.choices, blank=True
    )
    benefit_month = models.DateField(_("month"), null=True, blank=True)
    benefit_type = models.CharField(
        _("benefit"), max_length=30, choices=BenefitType.choices, blank=True,
        help_text=_("Empty means no benefit that month."),
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("registered by"),
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    source = models.CharField(_("source"), max_length=20, default="web")

    class Meta:
        ordering = ["occurred_on", "pk"]
        verbose_name = _("pathway event")
        verbose_name_plural = _("pathway events")
        indexes = [models.Index(fields=["participant", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {shown_date(self.occurred_on)}"
