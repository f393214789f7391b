from __future__ import annotations

from django.apps import AppConfig


class AcceleratorConfig(AppConfig):
    name = "brobygger.web.accelerator"
    label = "accelerator"
    default_auto_field = "django.db.models.BigAutoField"
