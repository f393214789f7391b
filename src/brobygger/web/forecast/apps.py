from __future__ import annotations

from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "brobygger.web.forecast"
    label = "forecast"
    default_auto_field = "django.db.models.BigAutoField"
