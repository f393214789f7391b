"""The admin shows no personal data: participants by reference only, events read-only.
Personal data is read in the participant screens, where every read is audited."""

from __future__ import annotations

from django.contrib import admin

from brobygger.web.pathways.models import Participant, PathwayEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Participant)
class ParticipantAdmin(ReadOnlyAdmin):
    list_display = ["reference", "partnership", "gender", "age_band_at_entry", "benefit_type",
                    "fictitious", "erased_at"]
    list_filter = ["partnership", "gender", "benefit_type", "fictitious"]
    fields = ["partnership", "gender", "age_band_at_entry", "benefit_type",
              "weeks_on_benefit_at_entry", "employment_status_at_entry", "education",
              "fictitious", "erased_at"]


@admin.register(PathwayEvent)
class PathwayEventAdmin(ReadOnlyAdmin):
    list_display = ["participant", "kind", "occurred_on", "registered_by", "registered_at"]
    list_filter = ["kind"]
