from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LabConfig(AppConfig):
    name = "brobygger.web.lab"
    label = "lab"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Lab")
