"""Saved lab scenarios and stored runs, each owned by one organisation.

A scenario is a shipped base plus the scenario format's own named ``changes``; a run stores
everything needed to reproduce its numbers: base, changes, draws, seed and the code version.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from brobygger.web.registry.models import Organisation


class LabScenario(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE,
                                     related_name="lab_scenarios",
                                     verbose_name=_("organisation"))
    name = models.CharField(_("name"), max_length=200)
    base = models.CharField(_("base scenario"), max_length=100)
    changes = models.JSONField(_("changes"), default=list)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

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
                                     related_name="lab_runs")
    scenario = models.ForeignKey(LabScenario, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="runs")
    label = models.CharField(max_length=200, blank=True)
    base = models.CharField(max_length=100)
    changes = models.JSONField(default=list)
    draws = models.PositiveIntegerField()
    seed = models.PositiveIntegerField()
    version = models.CharField(max_length=50)
    commit = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveIntegerField(default=0)  # draws done
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    rerun_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="reruns")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.base}, {self.draws} draws, seed {self.seed})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.progress / self.draws)) if self.draws else 0
