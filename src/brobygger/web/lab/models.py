"""Saved lab scenarios and stored runs, each owned by one organisation.

A scenario is a shipped base plus the scenario format's own named ``changes``; a run stores
everything needed to reproduce its numbers: base, changes, draws, seed and the code version.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from brobygger.web.problems import problem_from_json, problem_text
from brobygger.web.registry.models import Organisation


class LabScenario(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="lab_scenarios",
                                     verbose_name=_("organisation"))
    name = models.CharField(_("name"), max_length=200)
    base = models.CharField(_("base scenario"), max_length=100)
    changes = models.JSONField(_("changes"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lab scenario")
        verbose_name_plural = _("lab scenarios")
        constraints = [models.UniqueConstraint(fields=["organisation", "name"],
                                               name="lab_scenario_name_per_organisation")]

    def __str__(self) -> str:
        return self.name


class Run(models.Model):
    """A simulation run, done in the background; claimed by a conditional UPDATE."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="lab_runs", verbose_name=_("organisation"))
    scenario = models.ForeignKey(LabScenario, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="runs", verbose_name=_("scenario"))
    label = models.CharField(_("label"), max_length=200, blank=True)
    base = models.CharField(_("base scenario"), max_length=100)
    changes = models.JSONField(_("changes"), default=list)
    draws = models.PositiveIntegerField(_("draws"))
    seed = models.PositiveIntegerField(_("seed"))
    version = models.CharField(_("code version"), max_length=50)
    commit = models.CharField(_("Git commit"), max_length=40, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    progress = models.PositiveIntegerField(_("draws done"), default=0)
    result = models.JSONField(_("result"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    #: the problems that stopped the run, kept whole (kind and figures) so that each
    #: reader is told them in the language of the page: :func:`Run.said_problems`
    problems = models.JSONField(_("problems"), default=list, blank=True)
    rerun_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="reruns", verbose_name=_("re-run of"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("run")
        verbose_name_plural = _("runs")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.base}, {self.draws} draws, seed {self.seed})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def said_problems(self) -> list[str]:
        """What stopped the run, in the active language: its problems, or its error."""
        if self.problems:
            return [problem_text(problem_from_json(p)) for p in self.problems]
        return self.error.splitlines()

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.progress / self.draws)) if self.draws else 0
