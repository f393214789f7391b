from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "brobygger.web.registry"
    label = "registry"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Master data")
