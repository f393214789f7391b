from __future__ import annotations

from django.apps import AppConfig


class PathwaysConfig(AppConfig):
    name = "brobygger.web.pathways"
    label = "pathways"
    default_auto_field = "django.db.models.BigAutoField"
