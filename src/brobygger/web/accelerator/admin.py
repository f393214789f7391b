from __future__ import annotations

from django.contrib import admin

from brobygger.web.accelerator.models import Enrolment, GrowthFigure, Milestone


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "cohort", "starts_on", "ends_on"]
    inlines = [MilestoneInline]


@admin.register(GrowthFigure)
class GrowthFigureAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "period_start", "period_end", "revenue", "fte"]
    list_filter = ["enterprise"]
    readonly_fields = ["registered_by", "registered_at"]

    def save_model(self, request, obj, form, change):
        if not change:  # who reported the figures, as the screen and the API record it
            obj.registered_by = request.user
        super().save_model(request, obj, form, change)
