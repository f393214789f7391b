from __future__ import annotations

from django.urls import path

from brobygger.web.lab import views

urlpatterns = [
    path("", views.lab, name="lab"),
    path("update/", views.lab_update, name="lab-update"),
    path("save/", views.lab_save, name="lab-save"),
    path("scenarios/", views.scenario_list, name="lab-scenarios"),
    path("scenarios/<int:pk>/", views.scenario_detail, name="lab-scenario-detail"),
    path("scenarios/<int:pk>/delete/", views.scenario_delete, name="lab-scenario-delete"),
    path("compare/", views.compare, name="lab-compare"),
    path("runs/", views.run_list, name="lab-runs"),
    path("runs/new/", views.run_create, name="lab-run-create"),
    path("runs/<int:pk>/", views.run_detail, name="lab-run-detail"),
    path("runs/<int:pk>/progress/", views.run_progress, name="lab-run-progress"),
    path("runs/<int:pk>/rerun/", views.run_rerun, name="lab-run-rerun"),
]
