"""The social accelerator: which enterprise is in which cohort, its milestones, its growth."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from brobygger.web.registry.models import Organisation, ends_before_start


class Enrolment(models.Model):
    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="enrolments",
        limit_choices_to={"kind": Organisation.Kind.SOCIAL_ENTERPRISE},
        verbose_name=_("enterprise"),
    )
    cohort = models.CharField(_("cohort"), max_length=50)
    starts_on = models.DateField(_("start"))
    ends_on = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on"]
        verbose_name = _("accelerator enrolment")
        verbose_name_plural = _("accelerator enrolments")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "cohort"],
                                    name="one_enrolment_per_cohort"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="enrolment_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} – {self.cohort}"

    def clean(self) -> None:
        if errors := ends_before_start(self.starts_on, self.ends_on):
            raise ValidationError(errors)


class Milestone(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="milestones",
                                  verbose_name=_("accelerator enrolment"))
    name = models.CharField(_("milestone"), max_length=200)
    due_on = models.DateField(_("due"), null=True, blank=True)
    achieved_on = models.DateField(_("achieved"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")

    def __str__(self) -> str:
        return self.name


class GrowthFigure(models.Model):
    """What an enterprise reports for one period (a calendar year or part of one); an
    enterprise's periods do not overlap (:meth:`overlapping`), or its figures would count
    twice."""

    enterprise = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="growth_figures",
        limit_choices_to={"kind": Organisation.Kind.SOCIAL_ENTERPRISE},
        verbose_name=_("enterprise"),
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    revenue = models.DecimalField(_("revenue (DKK)"), max_digits=14, decimal_places=2)
    fte = models.DecimalField(_("full-time equivalents"), max_digits=8, decimal_places=2)
    education_places = models.PositiveIntegerField(_("education places created"), default=0)
    internship_places = models.PositiveIntegerField(_("internship places created"), default=0)
    ordinary_hires = models.PositiveIntegerField(_("ordinary unemployed hired"), default=0)
    vulnerable_hires = models.PositiveIntegerField(_("vulnerable citizens hired"), default=0)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True,
        verbose_name=_("registered by"),
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["period_start"]
        verbose_name = _("growth figure")
        verbose_name_plural = _("growth figures")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "period_start"],
                                    name="one_growth_figure_per_period"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")),
                                   name="growth_period_ends_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} {self.period_start:%Y-%m}"

    @staticmethod
    def period_problems(start, end, today=None) -> dict[str, str]:
        """Why start..end cannot be a reported period: field name -> reason (the same
        rules as the registry's dates: not in the future, not before 2000; the period may
        still be running)."""
        import datetime as dt

        from brobygger.web.pathways.timeline import EARLIEST, date_problem

        today = today or dt.date.today()
        found = {}
        if (problem := date_problem(start, today)) is not None:
            found["period_start"] = problem
        if end < EARLIEST and (problem := date_problem(end, today)) is not None:
            found["period_end"] = problem
        if end < start:
            found["period_end"] = str(_("The period ends before it starts."))
        return found

    @classmethod
    def overlapping(cls, enterprise, start, end, exclude_pk=None) -> GrowthFigure | None:
        """The enterprise's registered figures whose period shares a day with start..end
        (other than ``exclude_pk``, the figures being changed)."""
        return cls.objects.filter(enterprise=enterprise, period_start__lte=end,
                                  period_end__gte=start).exclude(pk=exclude_pk) \
            .order_by("period_start").first()

    def clean(self) -> None:
        """The rules of every way in (the screen's form, the admin): a period that can be
        reported, not overlapping the enterprise's other periods, no negative amounts."""
        from brobygger.web.numbers import shown_date

        errors: dict[str, list[str]] = {}
        start, end = self.period_start, self.period_end
        if start and end:
            for name, problem in self.period_problems(start, end).items():
                errors.setdefault(name, []).append(problem)
        if start and end and end >= start and self.enterprise_id:
            other = self.overlapping(self.enterprise_id, start, end, exclude_pk=self.pk)
            if other is not None and other.period_start == start:
                errors.setdefault("period_start", []).append(
                    str(_("Figures for this period are already registered.")))
            elif other is not None:
                errors.setdefault("period_start", []).append(str(_(
                    "Figures for %(first)s to %(last)s, which overlap this period, are "
                    "already registered.") % {"first": shown_date(other.period_start),
                                              "last": shown_date(other.period_end)}))
        for name in ("revenue", "fte"):
            value = getattr(self, name)
            if value is not None and value < 0:
                errors.setdefault(name, []).append(str(_("Cannot be negative.")))
        if errors:
            raise ValidationError(errors)
