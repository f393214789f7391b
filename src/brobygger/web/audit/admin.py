from __future__ import annotations

from django.contrib import admin

from brobygger.web.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "action", "participant_id", "ip", "channel"]
    list_filter = ["action", "channel"]
    search_fields = ["username", "participant_id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
