from __future__ import annotations

from django.contrib import admin

from brobygger.web.accounts.models import ApiToken, Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__username", "organisation__name"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["user", "name", "created_at", "revoked_at"]
    fields = ["user", "name", "revoked_at"]
    readonly_fields = ["user", "name"]

    def has_add_permission(self, request):  # tokens are issued by `createapitoken`
        return False
