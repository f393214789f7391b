from __future__ import annotations

from django.apps import AppConfig


class LabConfig(AppConfig):
    name = "brobygger.web.lab"
    label = "lab"
    default_auto_field = "django.db.models.BigAutoField"
