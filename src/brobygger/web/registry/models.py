"""Municipalities (reference data), organisations, the programme and its partnerships."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brobygger.web.lib.cvr import is_valid_cvr


def validate_cvr(value: str) -> None:
    if not is_valid_cvr(value):
        raise ValidationError(_("A CVR number has eight digits and a valid check digit."))


def ends_before_start(starts_on, ends_on) -> dict[str, str]:
    """The end-after-start rule of a record with a period, said on the end field (the
    database's check constraint would only say that it is violated)."""
    if starts_on and ends_on and ends_on < starts_on:
        return {"ends_on": _("The period ends before it starts.")}
    return {}


class Municipality(models.Model):
    """One of the 98 municipalities, loaded from the core's register (``loadmunicipalities``)."""

    code = models.CharField(_("municipality code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.CharField(_("region"), max_length=50)

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality (jobcentre)")
        OTHER_ACTOR = "other_actor", _("other actor")
        SOCIAL_ENTERPRISE = "social_enterprise", _("social-economic enterprise")
        EMPLOYER = "employer", _("ordinary employer")
        INVESTOR = "investor", _("investor")
        OPERATOR = "operator", _("programme operator")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    cvr = models.CharField(
        _("CVR number"), max_length=8, unique=True, null=True, blank=True,
        validators=[validate_cvr],
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, null=True, blank=True,
        related_name="organisations", verbose_name=_("municipality"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="municipality") | Q(municipality__isnull=False),
                name="municipality_organisation_has_municipality",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.kind == self.Kind.MUNICIPALITY and not self.municipality_id:
            errors["municipality"] = _("A jobcentre belongs to a municipality: choose it.")
        if self.pk and (uses := self._uses_of_kind()):
            errors["kind"] = _(
                "The kind cannot change while the organisation is %(uses)s: it would no "
                "longer be what those records say it is.") % {"uses": ", ".join(uses)}
        if errors:
            raise ValidationError(errors)

    def _uses_of_kind(self) -> list[str]:
        """What the stored organisation takes part in as its stored kind, when the kind is
        being changed (nothing otherwise)."""
        stored = type(self).objects.filter(pk=self.pk).values_list("kind", flat=True).first()
        if stored is None or stored == self.kind:
            return []
        uses = []
        if (self.partnerships_as_municipality.exists() or self.partnerships_as_other_actor.exists()
                or self.partnerships_as_enterprise.exists()):
            uses.append(str(_("in a partnership")))
        if self.investor_agreements.exists():
            uses.append(str(_("an investor in an agreement")))
        if self.enrolments.exists() or self.growth_figures.exists():
            uses.append(str(_("in the accelerator")))
        return uses

    @classmethod
    def employers(cls) -> models.QuerySet[Organisation]:
        """Who can employ a participant: anyone but a jobcentre, the operator or an investor."""
        return cls.objects.exclude(
            kind__in=[cls.Kind.MUNICIPALITY, cls.Kind.OPERATOR, cls.Kind.INVESTOR]
        )


class Programme(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"))
    eligible_costs = models.DecimalField(_("eligible costs (DKK)"), max_digits=14, decimal_places=2)
    esf_share = models.DecimalField(_("EU Social Fund share"), max_digits=5, decimal_places=4)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                   name="programme_ends_after_start"),
            models.CheckConstraint(condition=Q(esf_share__gte=0) & Q(esf_share__lte=1),
                                   name="programme_esf_share_is_a_fraction"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = ends_before_start(self.starts_on, self.ends_on)
        if self.esf_share is not None and not 0 <= self.esf_share <= 1:
            errors["esf_share"] = _("The share is a fraction between 0 and 1 (0,5 is half).")
        if self.eligible_costs is not None and self.eligible_costs < 0:
            errors["eligible_costs"] = _("Cannot be negative.")
        if errors:
            raise ValidationError(errors)


class Target(models.Model):
    """An expected effect of the programme, e.g. ``3B.1``: 148 start the induction course."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="targets",
                                  verbose_name=_("programme"))
    code = models.CharField(_("indicator"), max_length=20)
    label = models.CharField(_("label"), max_length=200)
    value = models.DecimalField(_("target"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["code"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="one_target_per_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.value}"


class Contract(models.Model):
    """A rate card in the core's contract model (``brobygger.scenario.schema.Contract``),
    stored as its JSON and validated by the core; partnerships settle under it."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="contracts",
                                  verbose_name=_("programme"))
    code = models.CharField(_("contract id"), max_length=100)
    label = models.CharField(_("label"), max_length=200)
    spec = models.JSONField(_("rate card"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="contract_code_unique")
        ]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        from brobygger.web.registry.contracts import contract_problems

        problems = contract_problems(self.spec)
        if problems:
            raise ValidationError({"spec": problems})

    def outcomes(self) -> list[dict]:
        return list(self.spec.get("outcomes", []))


class InvestorAgreement(models.Model):
    """An investor's pre-financing of a contract's providers, in the core's terms
    (:class:`brobygger.payments.contract_file.Investor`: drawdowns, the share of the
    providers' outcome payments that repays it, the return a year and the success fee),
    stored as their JSON and checked by the core against the contract's partnerships. A
    drawdown's provider is a ledger account: ``other_actor:<organisation id>`` or
    ``social_enterprise:<organisation id>``."""

    contract = models.OneToOneField(
        Contract, on_delete=models.PROTECT, related_name="investor_agreement",
        verbose_name=_("contract"),
    )
    investor = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="investor_agreements",
        limit_choices_to={"kind": Organisation.Kind.INVESTOR}, verbose_name=_("investor"),
    )
    terms = models.JSONField(
        _("terms"), help_text=_(
            'For example {"drawdowns": [{"month": "2020-01", "amount": 500000, "provider": '
            '"other_actor:7"}], "share_of_payments": 1.0, "return_rate": 0.05, '
            '"success_fee_share": 0.2}'))

    class Meta:
        verbose_name = _("investor agreement")
        verbose_name_plural = _("investor agreements")

    def __str__(self) -> str:
        return f"{self.investor} — {self.contract}"

    def core_terms(self) -> dict:
        """The terms as the core's investor block (its id: the investor organisation's)."""
        return {**(self.terms if isinstance(self.terms, dict) else {}),
                "id": str(self.investor_id)}

    def clean(self) -> None:
        from brobygger.web.registry.contracts import agreement_problems

        if self.investor_id and self.investor.kind != Organisation.Kind.INVESTOR:
            raise ValidationError({"investor": _("The organisation is not an investor.")})
        if not isinstance(self.terms, dict):
            raise ValidationError({"terms": _(
                "The terms are one object of the investor's fields (see the example).")})
        problems = [_("Drawdown %(n)s: %(provider)s is not an organisation of that kind.")
                    % {"n": n + 1, "provider": provider}
                    for n, provider in enumerate(self._providers())
                    if not self._is_provider(provider)]
        if self.contract_id:
            problems += agreement_problems(self)
        if problems:
            raise ValidationError({"terms": problems})

    def _providers(self) -> list[str]:
        drawdowns = self.terms.get("drawdowns") if isinstance(self.terms, dict) else None
        if not isinstance(drawdowns, list):  # the core says what the drawdowns must be
            return []
        return [str(d.get("provider", "")) for d in drawdowns if isinstance(d, dict)]

    @staticmethod
    def _is_provider(account: str) -> bool:
        """``other_actor:<id>`` or ``social_enterprise:<id>`` of an organisation of that
        kind (the core checks the contract's partnerships, when it has any)."""
        kind, _sep, ident = account.partition(":")
        return kind in (Organisation.Kind.OTHER_ACTOR, Organisation.Kind.SOCIAL_ENTERPRISE) \
            and ident.isdigit() and Organisation.objects.filter(pk=int(ident), kind=kind).exists()


class Partnership(models.Model):
    """A growth partnership: a municipality, an other actor and a social-economic enterprise."""

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="partnerships",
        verbose_name=_("programme"),
    )
    name = models.CharField(_("name"), max_length=200)
    municipality = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnerships_as_municipality",
        limit_choices_to={"kind": Organisation.Kind.MUNICIPALITY}, verbose_name=_("municipality"),
    )
    other_actor = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnerships_as_other_actor",
        limit_choices_to={"kind": Organisation.Kind.OTHER_ACTOR}, verbose_name=_("other actor"),
    )
    social_enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="partnerships_as_enterprise",
        limit_choices_to={"kind": Organisation.Kind.SOCIAL_ENTERPRISE},
        verbose_name=_("social-economic enterprise"),
    )
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"), null=True, blank=True)
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="partnerships",
        verbose_name=_("contract"),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="partnership_name_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="partnership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation_ids(self) -> set[int]:
        return {self.municipality_id, self.other_actor_id, self.social_enterprise_id}

    @property
    def referral_period(self) -> tuple[dt.date, dt.date]:
        """The first and last day a citizen can be referred to the partnership: its own
        period within its programme's."""
        programme = self.programme
        last = programme.ends_on if self.ends_on is None else min(self.ends_on,
                                                                   programme.ends_on)
        return max(self.starts_on, programme.starts_on), last

    def clean(self) -> None:
        wrong = [
            (field, kind)
            for field, kind in (
                ("municipality", Organisation.Kind.MUNICIPALITY),
                ("other_actor", Organisation.Kind.OTHER_ACTOR),
                ("social_enterprise", Organisation.Kind.SOCIAL_ENTERPRISE),
            )
            if getattr(self, f"{field}_id") and getattr(self, field).kind != kind
        ]
        errors = {field: _("This organisation is not of the kind %(kind)s.")
                  % {"kind": kind.label} for field, kind in wrong}
        errors.update(ends_before_start(self.starts_on, self.ends_on))
        if errors:
            raise ValidationError(errors)
