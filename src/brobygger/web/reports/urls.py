from __future__ import annotations

from django.urls import path

from brobygger.web.reports import views

urlpatterns = [
    path("", views.reports, name="reports"),
    path("esf.xlsx", views.esf_xlsx, name="reports-esf"),
    path("export/<str:table>.<str:fmt>", views.export, name="reports-export"),
]
