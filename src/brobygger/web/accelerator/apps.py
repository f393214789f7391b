from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AcceleratorConfig(AppConfig):
    name = "brobygger.web.accelerator"
    label = "accelerator"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Accelerator")
