from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from brobygger.web.accelerator import views as accelerator
from brobygger.web.accounts.views import LoginView, home
from brobygger.web.api import api
from brobygger.web.forecast import investor
from brobygger.web.pathways import views as pathways
from brobygger.web.registry import views as registry

admin.site.site_header = _("brobygger administration")
admin.site.site_title = _("brobygger administration")
admin.site.index_title = _("Registers and users")

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("participants/", pathways.participant_list, name="participant-list"),
    path("participants/new/", pathways.participant_create, name="participant-create"),
    path("participants/find/", pathways.participant_find, name="participant-find"),
    path("participants/<int:pk>/", pathways.participant_detail, name="participant-detail"),
    path("participants/<int:pk>/events/new/", pathways.event_create, name="event-create"),
    path("participants/<int:pk>/erase/", pathways.participant_erase, name="participant-erase"),
    path("participants/<int:pk>/end-form/", pathways.participant_end_form,
         name="participant-end-form"),
    path("import/", pathways.import_file, name="import"),
    path("import/template/<str:kind>.<str:fmt>", pathways.import_template,
         name="import-template"),
    path("partnerships/", registry.partnership_list, name="partnership-list"),
    path("partnerships/<int:pk>/", registry.partnership_detail, name="partnership-detail"),
    path("enterprises/", accelerator.enterprise_list, name="enterprise-list"),
    path("enterprises/<int:pk>/", accelerator.enterprise_detail, name="enterprise-detail"),
    path("enterprises/<int:pk>/growth/new/", accelerator.growth_create, name="growth-create"),
    path("dashboard/", include("brobygger.web.dashboard.urls")),
    path("forecast/", include("brobygger.web.forecast.urls")),
    path("lab/", include("brobygger.web.lab.urls")),
    path("investor/", investor.investor_page, name="investor"),
    path("investor/<int:pk>.xlsx", investor.investor_excel, name="investor-excel"),
    path("reports/", include("brobygger.web.reports.urls")),
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]
