from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PathwaysConfig(AppConfig):
    name = "brobygger.web.pathways"
    label = "pathways"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Participants and pathways")
