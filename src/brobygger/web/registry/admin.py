from __future__ import annotations

from django.contrib import admin

from brobygger.web.registry.models import (
    Contract,
    InvestorAgreement,
    Municipality,
    Organisation,
    Partnership,
    Programme,
    Target,
)


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "programme", "created_at"]


@admin.register(InvestorAgreement)
class InvestorAgreementAdmin(admin.ModelAdmin):
    list_display = ["investor", "contract"]
    list_select_related = ["investor", "contract"]


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "region"]
    search_fields = ["code", "name"]
    list_filter = ["region"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "cvr", "municipality"]
    list_select_related = ["municipality"]  # nullable: not followed by default
    list_filter = ["kind"]
    search_fields = ["name", "cvr"]


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on", "eligible_costs", "esf_share"]
    inlines = [TargetInline]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "other_actor", "social_enterprise", "starts_on",
                    "contract"]
    list_select_related = ["municipality", "other_actor", "social_enterprise", "contract"]
    list_filter = ["programme"]
