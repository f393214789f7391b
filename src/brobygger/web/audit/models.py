"""The audit log. It references participants by id only (no foreign key), so it lives apart
from the data it describes, survives erasure, and could move to its own database."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from brobygger.web.appendonly import AppendOnlyModel


class Action(models.TextChoices):
    LIST = "list", _("saw in a list")
    VIEW = "view", _("viewed")
    CREATE = "create", _("registered")
    CHANGE = "change", _("changed")
    FIND = "find", _("found by CPR number")
    ERASE = "erase", _("erased")
    REFUSED = "refused", _("was refused registering again (registered elsewhere)")


class Channel(models.TextChoices):
    """Where the access came from."""

    WEB = "web", _("web app")
    API = "api", _("API")
    IMPORT = "import", _("file import")
    EXPORT = "export", _("report or export")


class AuditEntry(AppendOnlyModel):
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user_id = models.BigIntegerField(_("user id"), null=True)
    username = models.CharField(_("user"), max_length=150)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    participant_id = models.BigIntegerField(_("participant id"), db_index=True)
    ip = models.GenericIPAddressField(_("from address"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices,
                               default=Channel.WEB)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return (f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.get_action_display()} "
                f"{self.participant_id}")
