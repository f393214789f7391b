from __future__ import annotations

from django.urls import path

from brobygger.web.forecast import views

urlpatterns = [
    path("", views.forecast_home, name="forecast"),
    path("<str:code>/", views.forecast_municipality, name="forecast-municipality"),
    path("<str:code>/report/", views.forecast_report, name="forecast-report"),
    path("<str:code>/report.pdf", views.forecast_report_pdf, name="forecast-report-pdf"),
]
