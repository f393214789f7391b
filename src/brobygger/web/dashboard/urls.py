from __future__ import annotations

from django.urls import path

from brobygger.web.dashboard import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("accelerator/", views.accelerator, name="dashboard-accelerator"),
    path("accelerator/<int:pk>/", views.accelerator_enterprise,
         name="dashboard-accelerator-enterprise"),
]
